// What WebFetch gives the model from a response body: HTML → the main content (Mozilla Readability on a
// linkedom document) → Markdown (turndown); JSON, Markdown and plain text as they are; anything else refused.
// The libraries load on the first HTML page. Imports libraries only.

export class NotTextError extends Error {
  override name = 'NotTextError';
}

const TEXT_TYPES = /^(text\/(plain|markdown|x-markdown|csv|css|javascript|xml)|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|javascript|x-ndjson))$/;

/** The page as text for the model: Markdown for HTML, the text itself otherwise. */
export async function pageText(body: Buffer, contentType: string): Promise<{ text: string; title?: string }> {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const text = body.toString('utf8');
  if (type === 'text/html' || type === 'application/xhtml+xml' || (type === '' && /^\s*<(!doctype html|html)/i.test(text))) return htmlToMarkdown(text);
  if (TEXT_TYPES.test(type) || (type === '' && !text.includes('\u0000'))) return { text };
  throw new NotTextError(`the response is ${type || 'binary data'}, not a page WebFetch can read as text`);
}

export async function htmlToMarkdown(html: string): Promise<{ text: string; title?: string }> {
  const [{ parseHTML }, { Readability }, { default: TurndownService }] = await Promise.all([import('linkedom'), import('@mozilla/readability'), import('turndown')]);
  const { document } = parseHTML(html);
  const title = document.querySelector('title')?.textContent?.trim() || undefined;
  let main: string;
  try {
    main = new Readability(document as unknown as Document).parse()?.content ?? '';
  } catch {
    main = '';
  }
  if (!main.trim()) {
    const again = parseHTML(html).document;
    for (const el of again.querySelectorAll('script, style, noscript, template')) el.remove();
    main = again.body?.innerHTML ?? html;
  }
  const turndown = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-' });
  turndown.remove(['script', 'style', 'noscript', 'iframe']);
  const text = turndown.turndown(main).replace(/\n{3,}/g, '\n\n').trim();
  return { text, ...(title && { title }) };
}
