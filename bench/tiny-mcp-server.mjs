// A minimal stdio MCP server for bench/mcp.mjs: answers initialize and tools/list (one tool) and exits when its
// stdin closes, as a well-behaved server does; it starts as fast as Node can, so glm's own cost shows.
let buffer = '';
const send = (m) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\n');
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  for (let i; (i = buffer.indexOf('\n')) >= 0; ) {
    const m = JSON.parse(buffer.slice(0, i));
    buffer = buffer.slice(i + 1);
    if (m.method === 'initialize') send({ id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'tiny', version: '1' } } });
    else if (m.method === 'tools/list') send({ id: m.id, result: { tools: [{ name: 'noop', description: 'Does nothing.', inputSchema: { type: 'object', properties: {} } }] } });
    else if (m.id !== undefined && m.method) send({ id: m.id, result: {} });
  }
});
process.stdin.on('end', () => process.exit(0));
