// Checks for option values several subcommands share (--timeout, --output-format), with the one-line messages
// they print. Pure functions; imports nothing.

/** `--timeout` as milliseconds, or the error to print when it is not a number of seconds above 0. */
export function timeoutMs(value: string | number): { ms: number; error?: undefined } | { error: string } {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) return { error: `--timeout must be a number of seconds above 0, not "${value}"` };
  return { ms: seconds * 1000 };
}

/** The error to print when `--output-format` is none of `allowed`, else undefined. */
export function formatError(value: string, allowed: readonly string[]): string | undefined {
  if (allowed.includes(value)) return undefined;
  const list = allowed.length === 2 ? allowed.join(' or ') : `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;
  return `--output-format must be ${list}, not "${value}"`;
}
