// WebSearch {query, allowed_domains?, blocked_domains?}: titles, URLs and snippets from the provider's search
// backend (src/web-search.ts, handed in through the ToolContext: it holds the key). Asks by default (kind
// "web", rule `WebSearch`). Imports src/tool.ts and zod only.
import { z } from 'zod';
import { defineTool } from '../src/tool.ts';
import description from './web-search.md';

const schema = z.object({
  query: z.string().min(2).describe('The search query'),
  allowed_domains: z.array(z.string()).optional().describe('Only include results from these domains'),
  blocked_domains: z.array(z.string()).optional().describe('Never include results from these domains'),
});

const onDomain = (url: string, domains: string[]): boolean => {
  const host = URL.canParse(url) ? new URL(url).hostname.toLowerCase() : '';
  return domains.some((d) => {
    const domain = d.trim().toLowerCase().replace(/^\*?\./, '');
    return host === domain || host.endsWith(`.${domain}`);
  });
};

export const webSearchTool = defineTool({
  name: 'WebSearch',
  kind: 'web',
  keep: 'head',
  description,
  schema,
  title: (a) => `WebSearch ${a.query}`,
  async execute(args, ctx) {
    if (!ctx.webSearch) {
      // The session offers WebSearch only with a backend; this is a call from an earlier request or a hand-made context.
      return { output: 'WebSearch is not available here (no search backend): use WebFetch on a URL you know.', isError: true };
    }
    let hits;
    try {
      hits = await ctx.webSearch(args.query, ctx.signal);
    } catch (e) {
      return { output: `WebSearch: ${e instanceof Error ? e.message : String(e)}.`, isError: true };
    }
    if (typeof hits === 'string') {
      // A search MCP server's own text: domain filters cannot be applied to it, so the model is told.
      const note = args.allowed_domains?.length || args.blocked_domains?.length ? ' (the domain filters could not be applied to this search server\'s answer)' : '';
      return { output: `Results for "${args.query}"${note}:\n\n${hits}`, display: { summary: 'results' } };
    }
    if (args.allowed_domains?.length) hits = hits.filter((h) => onDomain(h.url, args.allowed_domains!));
    if (args.blocked_domains?.length) hits = hits.filter((h) => !onDomain(h.url, args.blocked_domains!));
    if (hits.length === 0) return { output: `No results for "${args.query}". Try other words or fewer domain filters.`, display: { summary: 'no results' } };
    const lines = hits.map((h, i) => `${i + 1}. ${h.title}\n   ${h.url}${h.date ? ` (${h.date})` : ''}\n   ${h.snippet.replace(/\s+/g, ' ').trim().slice(0, 400)}`);
    return { output: `Results for "${args.query}":\n\n${lines.join('\n\n')}`, display: { summary: `${hits.length} result${hits.length === 1 ? '' : 's'}` } };
  },
});
