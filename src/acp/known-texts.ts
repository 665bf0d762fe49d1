// The texts the model knows a file by in an ACP session (what Read showed: the disk's and the editor's; what glm
// last wrote through the editor, and the buffer right after), so that the editor saving one of them to disk after
// glm looked (a late save, a format-on-save) is not taken for a change by someone else. Any other text still is.
// Imports no SDK, loop or UI.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { diskPath } from '../paths.ts';
import type { ToolState } from '../tool.ts';

/** Per session (and per subagent: each has its own ToolState): absolute path → hashes of the texts it is known by. */
const known = new WeakMap<ToolState, Map<string, Set<string>>>();

const digest = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** What the model knows `abs` by from now on (replacing what it knew); no texts: only the recorded mtime counts. */
export function knowTexts(state: ToolState, abs: string, texts: Array<string | Buffer | undefined>): void {
  let files = known.get(state);
  if (!files) known.set(state, (files = new Map()));
  const hashes = new Set(texts.filter((t) => t !== undefined).map(digest));
  if (hashes.size) files.set(abs, hashes);
  else files.delete(abs);
}

/**
 * Before an edit's freshness check: when the disk's mtime is not the one recorded (or none is, for a file glm
 * created through the editor) but its bytes are a text the model knows the file by, the editor saved what the model
 * already knows: it counts as read at this mtime. Anything else is left for the check to refuse.
 */
export async function acceptKnownSave(state: ToolState, abs: string): Promise<void> {
  const hashes = known.get(state)?.get(abs);
  const onDisk = diskPath(abs);
  if (!hashes || typeof onDisk !== 'string') return;
  const st = await stat(onDisk).catch(() => undefined);
  if (!st?.isFile() || state.readFiles.get(abs) === st.mtimeMs) return;
  const bytes = await readFile(onDisk).catch(() => undefined);
  // The mtime is taken before the bytes: a save landing in between leaves an older mtime, which the check refuses.
  if (bytes && hashes.has(digest(bytes))) state.readFiles.set(abs, st.mtimeMs);
}
