// `@<server>:<uri>` mentions of MCP resources: on submit each one is read through the host (the user typed it,
// so no permission prompt, like @file) and its contents are attached to the message, cut like @file's. A mention
// of a server that is not connected or a resource that cannot be read is a line for the user, not an error.
// Imports the host's types, limits and terminal-text only; no ink/react.
import { MAX_OUTPUT_BYTES, MAX_OUTPUT_LINES } from '../limits.ts';
import { safeLine } from '../terminal-text.ts';
import type { ReplResources } from './host.ts';

const MENTION = /(?:^|\s)@([A-Za-z0-9_.-]+):(\S+)/g;
const MAX_RESOURCES = 10;

export interface ResourceMention {
  server: string;
  uri: string;
}

/** The `@server:uri` mentions in `text` whose server is one of `servers`, each once, in order. */
export function resourceMentions(text: string, servers: readonly string[]): ResourceMention[] {
  const found = new Map<string, ResourceMention>();
  for (const m of text.matchAll(MENTION)) {
    const server = m[1]!;
    const uri = m[2]!.replace(/[.,;!?)]+$/, '');
    if (servers.includes(server) && uri) found.set(`${server}:${uri}`, { server, uri });
  }
  return [...found.values()].slice(0, MAX_RESOURCES);
}

/** Whether `@<path>` is really a resource mention (then it is no file mention). */
export const isResourceMention = (path: string, servers: readonly string[]): boolean => {
  const colon = path.indexOf(':');
  return colon > 0 && servers.includes(path.slice(0, colon));
};

function cut(text: string): string {
  const lines = text.split('\n');
  if (Buffer.byteLength(text) <= MAX_OUTPUT_BYTES && lines.length <= MAX_OUTPUT_LINES) return text;
  let kept = lines.slice(0, MAX_OUTPUT_LINES).join('\n');
  if (Buffer.byteLength(kept) > MAX_OUTPUT_BYTES) kept = Buffer.from(kept).subarray(0, MAX_OUTPUT_BYTES).toString('utf8').replace(/\uFFFD$/, '');
  return `${kept}\n(truncated: use ReadMcpResource for the whole resource)`;
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The message with the contents of each mentioned resource attached, and a line per mention that could not be
 * read (for the user). Without resources, the message as it was.
 */
export async function expandResourceMentions(text: string, resources: ReplResources | undefined, signal: AbortSignal): Promise<{ text: string; problems: string[] }> {
  const mentions = resources ? resourceMentions(text, resources.servers()) : [];
  const blocks: string[] = [];
  const problems: string[] = [];
  for (const { server, uri } of mentions) {
    try {
      const contents = await resources!.read(server, uri, signal);
      blocks.push(`<mcp-resource server="${attr(server)}" uri="${attr(uri)}">\n${cut(contents)}\n</mcp-resource>`);
    } catch (err) {
      problems.push(safeLine(`@${server}:${uri} was not attached: ${err instanceof Error ? err.message : String(err)}`));
    }
  }
  return { text: blocks.length ? `${text}\n\n${blocks.join('\n\n')}` : text, problems };
}
