// The fetch the SDK uses: keeps HTTP error bodies (the SDK drops the top-level request_id) and reports
// received bytes to the idle watchdog. Imports nothing; only ./client.ts and ./attempt.ts use it.

/** Per-request hook, passed through the SDK's `fetchOptions`: called whenever response bytes arrive. */
export const ON_BYTES = '__glmOnBytes';

/**
 * Wraps fetch: keeps each HTTP error body so `request_id` (top level, dropped by the SDK) can be reported,
 * and reports every byte of a successful body, so SSE comments keep an idle stream alive.
 */
export function observingFetch(base: typeof fetch, bodies: WeakMap<Headers, string>): typeof fetch {
  return async (input, init) => {
    const { [ON_BYTES]: onBytes, ...rest } = (init ?? {}) as RequestInit & { [ON_BYTES]?: () => void };
    const response = await base(input, rest);
    if (!response.ok) {
      try {
        bodies.set(response.headers, await response.clone().text());
      } catch {
        // The SDK reads the body itself and reports what it can.
      }
      return response;
    }
    if (!onBytes || !response.body) return response;
    // The SDK reads an async-iterable body as it is (it supports fetch implementations without web streams).
    // A web stream costs ~2 ms more on the first request: the SDK releases its reader at the end, and Node
    // builds that release's error in a fresh VM context (pipeThrough pays the same through its writer).
    Object.defineProperty(response, 'body', { value: observe(response.body.getReader(), onBytes) });
    return response;
  };
}

/** The body's chunks, reporting each one; stopping early cancels the body. */
async function* observe(reader: ReadableStreamDefaultReader<Uint8Array>, onBytes: () => void): AsyncGenerator<Uint8Array> {
  let ended = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        ended = true;
        return;
      }
      onBytes();
      yield next.value;
    }
  } finally {
    if (!ended) reader.cancel().catch(() => {});
  }
}
