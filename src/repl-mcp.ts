// The REPL's MCP servers: one set for the whole REPL, started with the first session that has servers; a
// notice when one fails (held until the REPL listens); the /mcp command (each server's status, /mcp reconnect
// <name>), its prompts as slash commands (repl-mcp-prompts.ts) and its resources for @server:uri mentions
// (repl-mcp-resources.ts). Imports mcp/start.ts lazily (a REPL without servers never loads it); no ink/react.
import { describeServer } from './mcp/config.ts';
import type { McpServers, McpServerState } from './mcp/servers.ts';
import { watchPromptCommands } from './repl-mcp-prompts.ts';
import { watchResources } from './repl-mcp-resources.ts';
import { safeLine } from './terminal-text.ts';
import type { Config } from './types.ts';
import type { CommandContext, SlashCommand } from './ui/commands.ts';
import type { ReplResources } from './ui/host.ts';

export interface ReplMcp {
  /** The servers of `config` (started on the first call that has any); undefined without servers. */
  serversFor(config: Config): Promise<McpServers> | undefined;
  /** Failure notices from now on (and those held until now) go to `show`. */
  watchNotices(show: (text: string) => void): void;
  /** How many servers are connected, of how many: the last count at once, then each change. */
  watchCounts(update: (up: number, total: number) => void): void;
  readonly command: SlashCommand;
  /** `/mcp__<server>__<prompt>` for the prompts of the connected servers (none until one connects). */
  liveCommands(): readonly SlashCommand[];
  /** Their resources for `@server:uri` mentions (none until the servers start). */
  readonly resources: ReplResources;
  close(): Promise<void>;
}

const NONE: readonly never[] = [];
const tools = (n: number) => `${n} tool${n === 1 ? '' : 's'}`;

/** `connected (3 tools)`, `connecting…`, `failed: spawn nope ENOENT`. */
export function statusText(s: McpServerState): string {
  if (s.status === 'connected') return `connected (${tools(s.toolCount)})`;
  if (s.status === 'pending') return 'connecting…';
  return `failed: ${safeLine(s.error ?? 'unknown error')}`;
}

export function replMcp(): ReplMcp {
  let servers: Promise<McpServers> | undefined;
  let config: Config | undefined;
  let show: ((text: string) => void) | undefined;
  let prompts: () => readonly SlashCommand[] = () => [];
  let resources: ReplResources | undefined;
  let counts: [number, number] | undefined;
  let countTo: ((up: number, total: number) => void) | undefined;
  const count = (up: number, total: number) => {
    counts = [up, total];
    countTo?.(up, total);
  };
  const held: string[] = [];
  /** Servers being reconnected by /mcp: its own answer says how it went. */
  const reconnecting = new Set<string>();
  const say = (text: string) => (show ? show(text) : held.push(text));

  const onChange = (s: McpServerState) => {
    if (s.status !== 'failed' || reconnecting.has(s.name)) return;
    say(`MCP server "${s.name}" failed: ${safeLine(s.error ?? 'unknown error')}; going on without its tools (/mcp reconnect ${s.name} tries again)`);
  };

  async function list(ctx: CommandContext): Promise<void> {
    const set = await servers;
    if (!set || !config) {
      const untrusted = (ctx.host.config.untrustedProject?.entries ?? []).filter((e) => e.kind === 'mcpServer').length;
      const lines = ['No MCP servers in this session. Add one with glm mcp add (Z.ai\'s four: glm mcp add zai), then start glm again.'];
      if (untrusted) lines.push(`This project's .mcp.json has ${untrusted} that start${untrusted === 1 ? 's' : ''} once you trust the project (glm trust).`);
      return ctx.notice(lines.join('\n'));
    }
    const entries = new Map((config.mcpServers ?? []).map((e) => [e.name, e]));
    const lines = [`MCP servers (${set.statuses().length}):`];
    for (const s of set.statuses()) {
      const e = entries.get(s.name);
      // The status first: a server's command line can be long enough to push it off the row.
      lines.push(`  ${s.name}: ${statusText(s)}`);
      if (e) lines.push(`      ${e.scope} · ${safeLine(describeServer(e.def))}`);
    }
    lines.push('/mcp reconnect <name> starts one again (with the definition it started with).');
    ctx.notice(lines.join('\n'));
  }

  async function reconnect(ctx: CommandContext, name: string): Promise<void> {
    const set = await servers;
    const known = set?.statuses().map((s) => s.name) ?? [];
    if (!set || !known.includes(name)) {
      return ctx.notice(`No MCP server "${safeLine(name)}" in this session${known.length ? ` (${known.join(', ')})` : ''}.`, 'warn');
    }
    ctx.notice(`Reconnecting ${name}…`, 'dim');
    reconnecting.add(name);
    try {
      const s = await set.reconnect(name);
      if (!s) return;
      if (s.status === 'connected') ctx.notice(`MCP server "${name}" connected (${tools(s.toolCount)}).`);
      else ctx.notice(`MCP server "${name}" ${statusText(s)}`, 'warn');
    } finally {
      reconnecting.delete(name);
    }
  }

  return {
    serversFor(c) {
      if (!c.mcpServers?.length) return servers;
      config ??= c;
      servers ??= import('./mcp/start.ts').then((m) => {
        const set = m.startMcpServers(c);
        set.onChange(onChange);
        const recount = () => count(set.statuses().filter((s) => s.status === 'connected').length, set.statuses().length);
        set.onChange(recount);
        recount();
        prompts = watchPromptCommands(set);
        return set;
      });
      resources ??= watchResources(c.mcpServers.map((e) => e.name), servers);
      return servers;
    },
    liveCommands: () => prompts(),
    resources: {
      servers: () => resources?.servers() ?? [],
      list: () => resources?.list() ?? NONE,
      read: (server, uri, signal) => (resources ? resources.read(server, uri, signal) : Promise.reject(new Error('no MCP servers in this session'))),
    },
    watchCounts(update) {
      countTo = update;
      if (counts) update(...counts);
    },
    watchNotices(s) {
      show = s;
      for (const text of held.splice(0)) s(text);
    },
    command: {
      name: 'mcp',
      args: '[reconnect <name>]',
      description: 'MCP servers and their status; reconnect one',
      run(ctx, args) {
        const [verb, name, ...rest] = args.split(/\s+/).filter(Boolean);
        if (!verb) return list(ctx);
        if (verb === 'reconnect' && name && !rest.length) return reconnect(ctx, name);
        ctx.notice('Use /mcp to list the servers, or /mcp reconnect <name>.', 'warn');
      },
    },
    async close() {
      await (await servers?.catch(() => undefined))?.close();
    },
  };
}
