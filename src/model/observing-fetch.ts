// The fetch the SDK uses: keeps HTTP error bodies (the SDK drops the top-level request_id) and reports each
// complete SSE block received to the idle watchdog. Imports nothing; only ./client.ts and ./attempt.ts use it.

/**
 * Per-request hook, passed through the SDK's `fetchOptions`: called whenever a complete SSE block (an event or a
 * comment, ended by a blank line) has arrived. Bytes alone do not count: a server trickling one byte a second
 * never completes anything and must time out.
 */
export const ON_BLOCK = '__glmOnBlock';

/** A successful response that is a web page (a wrong base URL, a captive portal, a login page): not worth a retry. */
export class HtmlPageError extends Error {
  constructor() {
    super('the endpoint answered with an HTML page');
  }
}

const isHtml = (response: Response): boolean => /\btext\/html\b/i.test(response.headers.get('content-type') ?? '');

/**
 * Wraps fetch: keeps each HTTP error body so `request_id` (top level, dropped by the SDK) can be reported,
 * and reports every complete SSE block of a successful body, so keep-alive comments (`: OPENROUTER
 * PROCESSING`) keep an idle stream alive while a trickle of bytes does not.
 */
export function observingFetch(base: typeof fetch, bodies: WeakMap<Headers, string>): typeof fetch {
  return async (input, init) => {
    const { [ON_BLOCK]: onBlock, ...rest } = (init ?? {}) as RequestInit & { [ON_BLOCK]?: () => void };
    const response = await base(input, rest);
    if (!response.ok) {
      try {
        bodies.set(response.headers, await response.clone().text());
      } catch {
        // The SDK reads the body itself and reports what it can.
      }
      return response;
    }
    if (isHtml(response)) {
      response.body?.cancel().catch(() => {});
      throw new HtmlPageError();
    }
    if (!onBlock || !response.body) return response;
    // The SDK reads an async-iterable body as it is (it supports fetch implementations without web streams).
    // A web stream costs ~2 ms more on the first request: the SDK releases its reader at the end, and Node
    // builds that release's error in a fresh VM context (pipeThrough pays the same through its writer).
    Object.defineProperty(response, 'body', { value: observe(response.body.getReader(), blockCounter(onBlock)) });
    return response;
  };
}

const CR = 13;
const LF = 10;

/**
 * Scans bytes for blank lines (the end of an SSE block: `\n\n`, `\r\n\r\n` or `\r\r`), across chunk
 * boundaries, and calls `onBlock` once per chunk that completed at least one block.
 */
export function blockCounter(onBlock: () => void): (bytes: Uint8Array) => void {
  let atLineStart = false;
  let afterCR = false;
  return (bytes) => {
    let completed = false;
    for (const b of bytes) {
      if (b === LF && afterCR) {
        afterCR = false;
        continue;
      }
      afterCR = b === CR;
      if (b !== CR && b !== LF) {
        atLineStart = false;
        continue;
      }
      if (atLineStart) completed = true;
      atLineStart = true;
    }
    if (completed) onBlock();
  };
}

/** The body's chunks, each one scanned for complete blocks; stopping early cancels the body. */
async function* observe(reader: ReadableStreamDefaultReader<Uint8Array>, onBytes: (bytes: Uint8Array) => void): AsyncGenerator<Uint8Array> {
  let ended = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        ended = true;
        return;
      }
      onBytes(next.value);
      yield next.value;
    }
  } finally {
    if (!ended) reader.cancel().catch(() => {});
  }
}
