// Spinner frames, drawn from the clock so every spinner in the live region agrees, and a tick that
// re-renders while nothing else does. Imports react only.
import { useEffect, useState } from 'react';

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
export const SPINNER_MS = 150;

/** Re-renders every SPINNER_MS while `active` (the spinner frame comes from the clock); no timer otherwise. */
export function useTick(active: boolean): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTick((t) => t + 1), SPINNER_MS);
    return () => clearInterval(timer);
  }, [active]);
}
