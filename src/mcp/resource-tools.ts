// ListMcpResources and ReadMcpResource: the resources of the connected servers that offer them, as two tools the
// model can use. Listing runs without asking; reading asks unless a rule allows ReadMcpResource (a server's
// resources can be any file it reaches, past glm's Read deny rules). Present only while some server offers resources.
// Imports the tool contract and this folder's results.ts; zod only when the tools are loaded (not at a run's start).
// The servers come in as a function.
import type { AnyToolDef, ToolSet } from '../tool.ts';
import type { ToolSchema } from '../types.ts';
import type { Connection } from './client.ts';
import { contentText } from './results.ts';

/** The connected servers that offer resources, by name. */
export type ResourceServers = () => { name: string; conn: Connection }[];

const LIST = 'ListMcpResources';
const READ = 'ReadMcpResource';

const argumentSchemas = ({ z }: typeof import('zod')) => ({
  listSchema: z.object({ server: z.string().optional() }),
  readSchema: z.object({ server: z.string(), uri: z.string() }),
});
type ListArgs = { server?: string };
type ReadArgs = { server: string; uri: string };

const schemas: ToolSchema[] = [
  {
    name: LIST,
    description: 'Lists the resources (files, documents, records) that the connected MCP servers offer: each with its server, URI, name and type. Give `server` to list one server only.',
    parameters: { type: 'object', properties: { server: { type: 'string', description: 'Only this MCP server' } } },
  },
  {
    name: READ,
    description: 'Reads one resource of an MCP server by its URI (as ListMcpResources gives it) and returns its contents.',
    parameters: {
      type: 'object',
      properties: { server: { type: 'string', description: 'The MCP server name' }, uri: { type: 'string', description: 'The resource URI' } },
      required: ['server', 'uri'],
    },
  },
];

function pick(servers: ResourceServers, name: string | undefined) {
  const all = servers();
  if (name === undefined) return all;
  const one = all.filter((s) => s.name === name);
  if (!one.length) throw new Error(`No connected MCP server "${name}" offers resources${all.length ? ` (these do: ${all.map((s) => s.name).join(', ')})` : ''}.`);
  return one;
}

function defs(servers: ResourceServers, { listSchema, readSchema }: ReturnType<typeof argumentSchemas>): AnyToolDef[] {
  const list: AnyToolDef = {
    name: LIST,
    kind: 'read',
    description: schemas[0]!.description,
    schema: listSchema,
    keep: 'head',
    title: (a: ListArgs) => `List MCP resources${a.server ? ` of ${a.server}` : ''}`,
    async execute(a: ListArgs, ctx) {
      const lines: string[] = [];
      for (const s of pick(servers, a.server)) {
        for (const r of await s.conn.resources(ctx.signal)) {
          const about = [r.title ?? r.name, r.mimeType].filter(Boolean).join(', ');
          lines.push(`${s.name}: ${r.uri}${about ? ` (${about})` : ''}${r.description ? ` — ${r.description.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`);
        }
      }
      return { output: lines.length ? lines.join('\n') : 'No resources.' };
    },
  };
  const read: AnyToolDef = {
    name: READ,
    kind: 'mcp',
    description: schemas[1]!.description,
    schema: readSchema,
    keep: 'head',
    title: (a: ReadArgs) => `Read MCP resource ${a.server} ${a.uri}`,
    async execute(a: ReadArgs, ctx) {
      const [s] = pick(servers, a.server);
      const contents = await s!.conn.readResource(a.uri, ctx.signal);
      if (!contents.length) return { output: `${a.uri} is empty.` };
      return { output: contents.map((c) => contentText({ type: 'resource', resource: c })).join('\n\n') };
    },
  };
  return [list, read];
}

/** The two tools while some connected server offers resources; nothing otherwise. */
export function resourceToolSet(servers: ResourceServers): ToolSet {
  const some = () => servers().length > 0;
  return {
    get names() {
      return some() ? schemas.map((s) => s.name) : [];
    },
    get schemas() {
      return some() ? schemas : [];
    },
    load: async () => (some() ? defs(servers, argumentSchemas(await import('zod'))) : []),
  };
}
