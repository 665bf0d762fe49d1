// A minimal instant GLM-shaped SSE server for benchmarks (plain JS, no build step): answers each request
// with what `reply(body, index)` returns, and records when each request arrived and each reply ended.
import http from 'node:http';

const chunk = (delta, extra = {}) =>
  `data: ${JSON.stringify({ id: '20261123000000abcdef0123456789', created: 1, object: 'chat.completion.chunk', model: 'glm-5.2', choices: [{ index: 0, delta, ...extra }] })}\n\n`;

export function sseText(text, pieces = 4) {
  const size = Math.ceil(text.length / pieces);
  const parts = [];
  for (let i = 0; i < text.length; i += size) parts.push(chunk({ role: 'assistant', content: text.slice(i, i + size) }));
  return parts.join('') + finish('stop');
}

export function sseToolCall(name, args) {
  return chunk({ tool_calls: [{ id: `call_${Math.random().toString(16).slice(2, 14).padEnd(24, '0')}`, index: 0, type: 'function', function: { name, arguments: JSON.stringify(args) } }] }) + finish('tool_calls');
}

const finish = (reason) =>
  `data: ${JSON.stringify({ id: '20261123000000abcdef0123456789', created: 1, object: 'chat.completion.chunk', model: 'glm-5.2', choices: [{ index: 0, finish_reason: reason, delta: { role: 'assistant', content: '' } }], usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } } })}\n\ndata: [DONE]\n\n`;

export async function startBenchServer(reply) {
  const log = [];
  const server = http.createServer((req, res) => {
    const arrived = performance.now();
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const body = JSON.parse(raw);
      const index = log.length;
      const entry = { arrived, raw, body, ended: 0 };
      log.push(entry);
      res.writeHead(200, { 'Content-Type': 'text/event-stream;charset=UTF-8' });
      res.end(reply(body, index), () => (entry.ended = performance.now()));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/api/paas/v4`, log, close: () => new Promise((r) => server.close(r)) };
}

/** The median of the finite values (a run that measured nothing gives NaN or undefined and is left out). */
export const median = (xs) => {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
