// A real stdio MCP server (the SDK's low-level Server) with generated tools, for tests that need many tools or a
// server that misbehaves mid-call. Usage: node generated-mcp-server.mjs [--tools N] [--long-names] [marker…]
// Tools: N back-office tools (`<verb>_<thing>`, realistic descriptions and schemas), plus `crash` (the process
// exits in the middle of the call), `grow` (adds a tool, then notifications/tools/list_changed) and `wait_forever` (answers only when cancelled; writes cancelled.txt then).
import { writeFileSync } from 'node:fs';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const count = Number(process.argv[process.argv.indexOf('--tools') + 1]) || 0;
const VERBS = ['create', 'get', 'list', 'update', 'delete', 'search', 'archive', 'export', 'import', 'summarize'];
const THINGS = ['invoice', 'customer', 'shipment', 'ticket', 'calendar_event', 'repository', 'deployment', 'metric', 'alert', 'document', 'spreadsheet', 'email', 'payment', 'user_account', 'database_backup'];

const tools = [];
for (let i = 0; i < count; i++) {
  const verb = VERBS[i % VERBS.length];
  const thing = THINGS[Math.floor(i / VERBS.length) % THINGS.length];
  const round = Math.floor(i / (VERBS.length * THINGS.length));
  const name = round ? `${verb}_${thing}_v${round + 1}` : `${verb}_${thing}`;
  const words = thing.replace(/_/g, ' ');
  tools.push({
    name,
    description: `${verb[0].toUpperCase()}${verb.slice(1)} a ${words} in the ACME back office. Takes the ${words} id and optional fields, checks the caller's access, and returns the ${words} as JSON with every field the back office stores, including audit history.`,
    inputSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        id: { type: 'string', description: `The ${words} id, like "${thing.slice(0, 3)}_0042"` },
        fields: { type: 'array', items: { type: 'string' }, description: 'Fields to return; all when left out' },
        dry_run: { type: 'boolean', description: 'Check the request without changing anything' },
        note: { type: 'string', description: `A note stored with the ${words}'s audit history` },
      },
      required: ['id'],
    },
  });
}
// --long-names: two tools whose names agree in their first 70 characters (a 64-character cut would merge them).
if (process.argv.includes('--long-names')) {
  const stem = 'export_quarterly_revenue_report_for_every_region_and_product_line_as';
  for (const format of ['pdf', 'csv']) tools.push({ name: `${stem}_${format}`, description: `Exports the report as ${format}.`, inputSchema: { type: 'object', properties: {} } });
}
tools.push({ name: 'crash', description: 'Exits the server process in the middle of the call.', inputSchema: { type: 'object', properties: {} } });
tools.push({ name: 'grow', description: 'Adds a tool named grown_<n> and tells the client the list changed.', inputSchema: { type: 'object', properties: {} } });
tools.push({ name: 'wait_forever', description: 'Never answers until cancelled.', inputSchema: { type: 'object', properties: {} } });

const server = new Server({ name: 'generated', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
  const { name, arguments: args } = request.params;
  if (name === 'crash') {
    process.stderr.write('crashing on purpose\n');
    setTimeout(() => process.exit(3), 20);
    return new Promise(() => {});
  }
  if (name === 'grow') {
    const grown = `grown_${tools.filter((t) => t.name.startsWith('grown_')).length + 1}`;
    tools.push({ name: grown, description: 'A tool added while the server runs.', inputSchema: { type: 'object', properties: {} } });
    await server.sendToolListChanged();
    return { content: [{ type: 'text', text: `added ${grown}` }] };
  }
  if (name === 'wait_forever') {
    return new Promise((resolve) => {
      extra.signal.addEventListener('abort', () => {
        writeFileSync('cancelled.txt', 'cancelled');
        resolve({ content: [{ type: 'text', text: 'cancelled' }] });
      });
    });
  }
  if (!tools.some((t) => t.name === name)) return { content: [{ type: 'text', text: `no tool ${name}` }], isError: true };
  return { content: [{ type: 'text', text: `${name} ok: ${JSON.stringify(args ?? {})}` }] };
});
await server.connect(new StdioServerTransport());
