// The floor for `glm -p "hi"`: a bare Node script that makes the same streamed request with fetch and prints
// the answer. Usage: node floor-client.mjs <baseURL> <prompt>
const [baseURL, prompt] = process.argv.slice(2);
const res = await fetch(`${baseURL}/chat/completions`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Authorization: 'Bearer bench' },
  body: JSON.stringify({ model: 'glm-5.2', stream: true, messages: [{ role: 'user', content: prompt }] }),
});
let text = '';
let buffer = '';
for await (const bytes of res.body) {
  buffer += Buffer.from(bytes).toString('utf8');
  let end;
  while ((end = buffer.indexOf('\n\n')) >= 0) {
    const line = buffer.slice(0, end).trim();
    buffer = buffer.slice(end + 2);
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    text += JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? '';
  }
}
process.stdout.write(text + '\n');
