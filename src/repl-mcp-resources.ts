// MCP resources for the REPL's `@<server>:<uri>` mentions: the connected servers' resource lists (for completion,
// refreshed when a server connects or fails) and the read of one mentioned resource, as ReadMcpResource's text.
// The user typed the mention, so it is read without a permission prompt (like @file). Imports the MCP shapes as
// types only and results.ts; no ink/react.
import type { McpServers } from './mcp/servers.ts';
import { contentText } from './mcp/results.ts';
import type { ReplResources, ResourceRef } from './ui/host.ts';

/** Resources of one server offered for completion (a server can list thousands). */
const MAX_LISTED = 500;
const READ_TIMEOUT_MS = 30_000;

/** `servers()` may still be starting: until it resolves, no resource is listed and a mention says so. */
export function watchResources(names: readonly string[], servers: Promise<McpServers>): ReplResources {
  let listed: readonly ResourceRef[] = [];
  let set: McpServers | undefined;
  let generation = 0;
  const refresh = async () => {
    const mine = ++generation;
    const signal = AbortSignal.timeout(READ_TIMEOUT_MS);
    const lists = await Promise.all(
      set!.offering('resources').map(async (s) =>
        (await s.conn.resources(signal).catch(() => [])).slice(0, MAX_LISTED).map((r): ResourceRef => ({ server: s.name, uri: r.uri, ...((r.title ?? r.name) && { name: r.title ?? r.name }) })),
      ),
    );
    if (mine === generation) listed = lists.flat();
  };
  void servers.then((s) => {
    set = s;
    s.onChange(() => void refresh());
    return s.ready().then(refresh);
  });
  return {
    servers: () => names,
    list: () => listed,
    async read(server, uri, signal) {
      const found = set?.statuses().find((s) => s.name === server);
      if (!set || !found || found.status !== 'connected') throw new Error(`MCP server "${server}" is not connected${found?.status === 'failed' ? ' (/mcp shows why)' : ' yet'}`);
      const conn = set.offering('resources').find((s) => s.name === server)?.conn;
      if (!conn) throw new Error(`MCP server "${server}" offers no resources`);
      const contents = await conn.readResource(uri, AbortSignal.any([signal, AbortSignal.timeout(READ_TIMEOUT_MS)]));
      if (!contents.length) return `${uri} is empty.`;
      return contents.map((c) => contentText({ type: 'resource', resource: c })).join('\n\n');
    },
  };
}
