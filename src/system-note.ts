// Resuming keeps the provider's prompt cache: a resumed session sends the system prompt it started with, and what
// changed since in its environment block (date, git status) goes in a short note with the next prompt. Pure.

const ENVIRONMENT = '\n# Environment\n';

function split(system: string): { head: string; env: string[] } {
  const at = system.lastIndexOf(ENVIRONMENT);
  if (at < 0) return { head: system, env: [] };
  return { head: system.slice(0, at), env: system.slice(at + ENVIRONMENT.length).trim().split('\n') };
}

/**
 * The system prompt a resumed session sends, and the note for its next prompt. The stored prompt stays when only
 * the environment block changed (the note says how); when the instructions changed (memory files, tools), the
 * fresh prompt is sent: they must reach the model, at the cost of one cache miss.
 */
export function resumedSystem(stored: string, fresh: string): { system: string; note?: string } {
  if (stored === fresh) return { system: stored };
  const before = split(stored);
  const after = split(fresh);
  if (before.head !== after.head) return { system: fresh };
  const changed = after.env.filter((line) => !before.env.includes(line));
  if (changed.length === 0) return { system: stored };
  return { system: stored, note: `<system-reminder>\nSince this session started, the environment changed:\n${changed.join('\n')}\n</system-reminder>` };
}
