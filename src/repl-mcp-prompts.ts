// MCP prompts as REPL slash commands: `/mcp__<server>__<prompt> [args]`, listed once a server that offers prompts
// connects. Arguments go by position (quotes keep spaces) or as name=value; the prompt's messages become the
// user turn. Imports the MCP shapes as types only; no ink/react.
import type { McpPromptInfo, McpPromptMessage } from './mcp/client.ts';
import type { McpServers } from './mcp/servers.ts';
import { contentText } from './mcp/results.ts';
import { exposedToolName } from './mcp/schema.ts';
import { safeLine } from './terminal-text.ts';
import type { SlashCommand } from './ui/commands.ts';

/** `a "b c" d=e` → ['a', 'b c', 'd=e']. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) out.push(m[1]?.replace(/\\(.)/g, '$1') ?? m[2] ?? m[3]!);
  return out;
}

/** The prompt's arguments from what was typed, or the line that says what is missing. */
export function promptArgs(prompt: McpPromptInfo, typed: string): Record<string, string> | string {
  const declared = prompt.arguments ?? [];
  const args: Record<string, string> = {};
  const positional: string[] = [];
  for (const word of splitArgs(typed)) {
    const named = /^([A-Za-z_][\w-]*)=(.*)$/s.exec(word);
    if (named && declared.some((a) => a.name === named[1])) args[named[1]!] = named[2]!;
    else positional.push(word);
  }
  for (const a of declared) if (args[a.name] === undefined && positional.length) args[a.name] = positional.shift()!;
  if (positional.length) args[declared.at(-1)?.name ?? 'input'] = [args[declared.at(-1)?.name ?? 'input'], ...positional].filter(Boolean).join(' ');
  const missing = declared.filter((a) => a.required && !args[a.name]).map((a) => a.name);
  return missing.length ? `needs ${missing.join(', ')}` : args;
}

/** The messages of prompts/get as the text of one user turn. */
export function promptText(messages: McpPromptMessage[]): string {
  const parts = messages.map((m) => {
    const blocks = Array.isArray(m.content) ? m.content : [m.content];
    const text = blocks.map((b) => contentText(b)).join('\n');
    return m.role === 'user' ? text : `[${m.role}] ${text}`;
  });
  return parts.join('\n\n');
}

const usage = (p: McpPromptInfo) => (p.arguments ?? []).map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`)).join(' ');

function commandOf(server: string, prompt: McpPromptInfo, servers: McpServers): SlashCommand {
  const name = exposedToolName(server, prompt.name).toLowerCase();
  return {
    name,
    ...(prompt.arguments?.length && { args: usage(prompt) }),
    description: safeLine((prompt.description ?? prompt.title ?? `the ${prompt.name} prompt`).replace(/\s+/g, ' ').slice(0, 120)) + ` (MCP ${server})`,
    async run(ctx, typed) {
      const args = promptArgs(prompt, typed);
      if (typeof args === 'string') return ctx.notice(`/${name} ${args}: /${name} ${usage(prompt)}`, 'warn');
      const conn = servers.offering('prompts').find((s) => s.name === server)?.conn;
      if (!conn) return ctx.notice(`MCP server "${server}" is not connected (/mcp shows why).`, 'warn');
      try {
        const text = promptText(await conn.getPrompt(prompt.name, args));
        await ctx.runPrompt(text, `/${name}${typed ? ` ${typed}` : ''}`);
      } catch (err) {
        ctx.notice(`/${name} failed: ${safeLine(err instanceof Error ? err.message : String(err))}`, 'warn');
      }
    },
  };
}

/** The prompt commands of the connected servers, refreshed when a server connects or fails. */
export function watchPromptCommands(servers: McpServers): () => readonly SlashCommand[] {
  let commands: readonly SlashCommand[] = [];
  let generation = 0;
  const refresh = async () => {
    const mine = ++generation;
    const lists = await Promise.all(
      servers.offering('prompts').map(async (s) => (await s.conn.prompts().catch(() => [])).map((p) => commandOf(s.name, p, servers))),
    );
    if (mine === generation) commands = lists.flat();
  };
  servers.onChange(() => void refresh());
  void servers.ready().then(refresh);
  return () => commands;
}
