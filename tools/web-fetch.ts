// WebFetch {url, prompt}: a public web page as Markdown (web-fetch-http.ts fetches, web-fetch-convert.ts
// converts), cached per URL for 15 minutes. Asks by default (kind "web"; rules WebFetch(domain:…)). Sends no
// API key. Imports src/tool.ts, src/template.ts and its own helpers only.
import { z } from 'zod';
import { defineTool } from '../src/tool.ts';
import { fetchUrl, normalizeUrl, WebFetchError } from './web-fetch-http.ts';
import { NotTextError, pageText } from './web-fetch-convert.ts';
import description from './web-fetch.md';

const schema = z.object({
  url: z.string().describe('The full URL to fetch (https://…)'),
  prompt: z.string().describe('What you want to learn from the page'),
});

export const WEB_FETCH_CACHE_MS = 15 * 60_000;
const cache = new Map<string, { at: number; output: string; summary: string }>();

/** Empties the cache (tests). */
export const clearWebFetchCache = (): void => cache.clear();

export const webFetchTool = defineTool({
  name: 'WebFetch',
  kind: 'web',
  keep: 'head',
  description,
  schema,
  title: (a) => `WebFetch ${a.url}`,
  target: (a) => a.url,
  async execute(args, ctx) {
    const allowPrivate = ctx.allowPrivateNetwork === true;
    let key: string;
    try {
      key = normalizeUrl(args.url, allowPrivate).href;
    } catch (e) {
      if (e instanceof WebFetchError) return { output: `WebFetch: ${e.message}.`, isError: true };
      throw e;
    }
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < WEB_FETCH_CACHE_MS) return { output: hit.output, display: { summary: `${hit.summary} (cached)` } };
    try {
      const got = await fetchUrl(key, { allowPrivate, signal: ctx.signal });
      if (got.kind === 'redirect') {
        return { output: `${got.from} redirects (HTTP ${got.status}) to another host: ${got.to}\nIt was not followed. To read it, call WebFetch again with that URL.`, display: { summary: `redirect to ${new URL(got.to).host}` } };
      }
      if (got.status >= 400) return { output: `WebFetch: ${got.url} answered HTTP ${got.status}.`, isError: true };
      const page = await pageText(got.body, got.contentType);
      const cut = got.truncated ? `\n\n[The page was longer than ${got.body.length} bytes; the rest was not downloaded.]` : '';
      const head = `Source: ${got.url}${page.title ? `\nTitle: ${page.title}` : ''}\nAsked: ${args.prompt}\n\n`;
      const output = head + (page.text || '(the page has no text)') + cut;
      const summary = `${Math.ceil(got.body.length / 1024)} KB${got.truncated ? ', cut' : ''}`;
      cache.set(key, { at: Date.now(), output, summary });
      return { output, display: { summary } };
    } catch (e) {
      if (e instanceof WebFetchError || e instanceof NotTextError) return { output: `WebFetch: ${e.message}.`, isError: true };
      throw e;
    }
  },
});
