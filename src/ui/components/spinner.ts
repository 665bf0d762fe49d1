// Spinner frames, drawn from the clock so every spinner in the live region agrees, and a tick that
// re-renders while nothing else does. Imports react only.
import { useEffect, useState } from 'react';

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
export const SPINNER_MS = 150;

/** Re-renders every `ms` while `active` (the spinner frame comes from the clock); no timer otherwise. */
export function useTick(active: boolean, ms = SPINNER_MS): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
  return tick;
}
