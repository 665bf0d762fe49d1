// Per-(baseURL, model) in-flight limit shared by the whole process: the Coding Plan caps concurrency per
// model (1302/1305). Module-level state by design. Imports nothing.

interface Gate {
  limit: number;
  active: number;
  waiting: Array<() => void>;
}

const gates = new Map<string, Gate>();

/** Releases a held slot; calling it twice is harmless. */
export type Release = () => void;

function pump(gate: Gate): void {
  while (gate.active < gate.limit && gate.waiting.length > 0) {
    gate.active++;
    gate.waiting.shift()!();
  }
}

/**
 * Waits for a slot for `key`. `limit` undefined, 0 or Infinity means unlimited. Resolves to null when the
 * signal aborts first (nothing is held then).
 */
export async function acquireSlot(key: string, limit: number | undefined, signal: AbortSignal): Promise<Release | null> {
  if (signal.aborted) return null;
  if (!limit || !Number.isFinite(limit) || limit <= 0) return () => {};
  let gate = gates.get(key);
  if (!gate) {
    gate = { limit, active: 0, waiting: [] };
    gates.set(key, gate);
  }
  gate.limit = limit;
  const g = gate;
  const granted = await new Promise<boolean>((resolve) => {
    const grant = (): void => {
      signal.removeEventListener('abort', cancel);
      resolve(true);
    };
    const cancel = (): void => {
      const at = g.waiting.indexOf(grant);
      if (at >= 0) g.waiting.splice(at, 1);
      resolve(false);
    };
    g.waiting.push(grant);
    signal.addEventListener('abort', cancel, { once: true });
    pump(g);
  });
  if (!granted) return null;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    g.active--;
    pump(g);
  };
}

/** Requests currently holding a slot for `key` (for tests and diagnostics). */
export function activeSlots(key: string): number {
  return gates.get(key)?.active ?? 0;
}
