// Keeps the saved full outputs of tool calls (each session's `spill/` folder) from growing without bound: files
// older than 30 days go, then the oldest until all sessions together fit the size limit (savedOutputsMaxMB).
// Imports node built-ins only.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

const MAX_AGE_MS = 30 * 24 * 60 * 60_000;

interface Saved {
  file: string;
  size: number;
  mtimeMs: number;
}

async function list(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

/** Every saved output of every session of every project under `<dataDir>/sessions`. */
async function savedOutputs(dataDir: string): Promise<Saved[]> {
  const sessions = path.join(dataDir, 'sessions');
  const found: Saved[] = [];
  for (const project of await list(sessions)) {
    for (const session of await list(path.join(sessions, project))) {
      const spill = path.join(sessions, project, session, 'spill');
      for (const name of await list(spill)) {
        const file = path.join(spill, name);
        const s = await stat(file).catch(() => undefined);
        if (s?.isFile()) found.push({ file, size: s.size, mtimeMs: s.mtimeMs });
      }
    }
  }
  return found;
}

/** Removes what is too old, then the oldest until the rest fits `maxBytes`. Returns how many files went. */
export async function pruneSavedOutputs(dataDir: string, maxBytes: number, now = Date.now()): Promise<number> {
  const saved = (await savedOutputs(dataDir)).sort((a, b) => a.mtimeMs - b.mtimeMs);
  let total = saved.reduce((sum, s) => sum + s.size, 0);
  let removed = 0;
  for (const s of saved) {
    if (now - s.mtimeMs <= MAX_AGE_MS && total <= maxBytes) break;
    if (await rm(s.file, { force: true }).then(() => true, () => false)) removed++;
    total -= s.size;
  }
  return removed;
}
