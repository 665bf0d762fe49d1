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
    // A pulling wrapper rather than pipeThrough: a pipe's end releases a writer lock, and Node builds that
    // lock's error in a fresh VM context (~2 ms on the first request).
    const reader = response.body.getReader();
    const observed = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        onBytes();
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(observed, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
