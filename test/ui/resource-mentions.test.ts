// `@server:uri` mentions in a REPL prompt: which words are mentions, and the message the model gets (each
// resource's contents attached once, cut like @file; one line for the user when one cannot be read).
import { describe, expect, it } from 'vitest';
import type { ReplResources } from '../../src/ui/host.ts';
import { expandResourceMentions, isResourceMention, resourceMentions } from '../../src/ui/resource-mentions.ts';
import { MAX_OUTPUT_LINES } from '../../src/limits.ts';

const servers = ['everything', 'docs'];

function resources(contents: Record<string, string>): ReplResources & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    servers: () => servers,
    list: () => [],
    async read(server, uri) {
      reads.push(`${server}:${uri}`);
      if (server === 'docs') throw new Error('MCP server "docs" is not connected yet');
      const text = contents[uri];
      if (text === undefined) throw new Error(`MCP error -32002: Resource ${uri} not found\x1b[2J`);
      return text;
    },
  };
}

describe('resource mentions', () => {
  it('are @<known server>:<uri> words, each once; e-mail addresses, unknown servers and files are not', () => {
    expect(resourceMentions('see @everything:demo://a/b.md, and @everything:demo://a/b.md again; mail x@everything:y', servers)).toEqual([{ server: 'everything', uri: 'demo://a/b.md' }]);
    expect(resourceMentions('@nope:demo://a @src/a.ts', servers)).toEqual([]);
    expect(isResourceMention('everything:demo://a', servers)).toBe(true);
    expect(isResourceMention('src/a.ts', servers)).toBe(false);
    expect(isResourceMention('nope:x', servers)).toBe(false);
  });

  it('attach the contents after the message; unreadable ones are one escaped line each and the message goes on', async () => {
    const r = resources({ 'demo://a.md': '# A\nhello' });
    const out = await expandResourceMentions('summarise @everything:demo://a.md and @everything:demo://gone and @docs:x://y', r, new AbortController().signal);
    expect(out.text).toBe('summarise @everything:demo://a.md and @everything:demo://gone and @docs:x://y\n\n<mcp-resource server="everything" uri="demo://a.md">\n# A\nhello\n</mcp-resource>');
    expect(out.problems).toEqual([
      '@everything:demo://gone was not attached: MCP error -32002: Resource demo://gone not found\\e[2J',
      '@docs:x://y was not attached: MCP server "docs" is not connected yet',
    ]);
    expect(r.reads).toEqual(['everything:demo://a.md', 'everything:demo://gone', 'docs:x://y']);
  });

  it('a long resource is cut like an @file, with a note pointing at ReadMcpResource', async () => {
    const long = Array.from({ length: MAX_OUTPUT_LINES + 50 }, (_, i) => `line ${i}`).join('\n');
    const out = await expandResourceMentions('@everything:demo://long', resources({ 'demo://long': long }), new AbortController().signal);
    expect(out.text).toContain(`line ${MAX_OUTPUT_LINES - 1}\n(truncated: use ReadMcpResource for the whole resource)\n</mcp-resource>`);
    expect(out.text).not.toContain(`line ${MAX_OUTPUT_LINES}\n`);
  });

  it('without MCP servers the message is unchanged', async () => {
    expect(await expandResourceMentions('hi @everything:demo://a', undefined, new AbortController().signal)).toEqual({ text: 'hi @everything:demo://a', problems: [] });
  });
});
