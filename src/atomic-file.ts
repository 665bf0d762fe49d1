// Writes a file so that readers see the old content or the new one, never half of it: a temp file where a crash
// leaves nothing behind (process-temp.ts), then a rename. Imports node built-ins and process-temp.ts only.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { atomicTempFor } from './process-temp.ts';

/** Creates the folder if needed; on failure removes the temp file and throws. */
export function writeFileAtomicSync(file: string, data: string | Buffer, mode?: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeVia(atomicTempFor(file), file, data, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    writeVia(atomicTempFor(file, true), file, data, mode);
  }
}

function writeVia(temp: { tmp: string; done: () => void }, file: string, data: string | Buffer, mode?: number): void {
  try {
    writeFileSync(temp.tmp, data, { flag: 'wx', ...(mode !== undefined && { mode }) });
    renameSync(temp.tmp, file);
  } catch (err) {
    rmSync(temp.tmp, { force: true });
    throw err;
  } finally {
    temp.done();
  }
}
