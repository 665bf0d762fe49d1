// Retry timing: exponential backoff with jitter, the server's retry-after honoured, both capped; and an
// abortable sleep. Imports nothing.

export const MAX_RETRY_DELAY_MS = 60_000;
const DEFAULT_BASE_DELAY_MS = 1_000;

/**
 * Delay before retry number `retry` (1-based). A server-given wait wins (capped at a minute);
 * otherwise base · 2^(retry-1), jittered to 50–100 %, capped at 30 s.
 */
export function backoffDelay(retry: number, baseMs = DEFAULT_BASE_DELAY_MS, serverMs?: number): number {
  if (serverMs !== undefined) return Math.min(Math.max(0, Math.round(serverMs)), MAX_RETRY_DELAY_MS);
  const exp = Math.min(baseMs * 2 ** Math.max(0, retry - 1), MAX_RETRY_DELAY_MS / 2);
  return Math.round(exp * (0.5 + Math.random() * 0.5));
}

/** Resolves after `ms`, or early (without throwing) when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
