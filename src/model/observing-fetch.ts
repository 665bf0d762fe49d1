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
    const observed = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          onBytes();
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(observed, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
