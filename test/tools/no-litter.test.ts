// Issue 20, item 7: a crash leaves nothing behind. Atomic writes never put a temp file in the user's folder (so a
// kill -9 mid-write cannot leave one to commit), the undo store's writes likewise, and background-shell folders
// under the system temp folder go when glm exits, or, after a kill -9, on the next run that needs one.
import { spawnSync } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomicSync } from '../../src/atomic-file.ts';
import { sweepStaleTempFolders } from '../../src/process-temp.ts';
import { writeTool } from '../../tools/write.ts';
import { makeCtx, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** Every name that appears in `folder` while `act` runs (inotify sees a temp file even if it is renamed at once). */
async function namesSeen(folder: string, act: () => Promise<unknown> | unknown): Promise<Set<string>> {
  const seen = new Set<string>();
  const watcher = watch(folder, (_event, name) => name && seen.add(String(name)));
  await new Promise((r) => setTimeout(r, 50));
  await act();
  await new Promise((r) => setTimeout(r, 200));
  watcher.close();
  return seen;
}

const root = path.resolve(import.meta.dirname, '../..');
/** Runs a script in a fresh Node process (the project's), with the repository's modules importable by path. */
const node = (script: string) => spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }).stdout;

describe('no litter after a crash', () => {
  it('Write never creates anything in the folder but the file itself', async () => {
    const ctx = makeCtx(dir);
    const content = 'x'.repeat(5_000_000);
    const seen = await namesSeen(dir, () => writeTool.execute({ file_path: 'a.txt', content }, ctx));
    expect([...seen]).toEqual(['a.txt']);
    expect(await readdir(dir)).toEqual(['a.txt']);
  });

  it("the undo store's atomic writes leave nothing in its folder but the file", async () => {
    await writeFile(path.join(dir, 'index.json'), '{}');
    const seen = await namesSeen(dir, () => writeFileAtomicSync(path.join(dir, 'index.json'), JSON.stringify({ points: [] })));
    expect([...seen]).toEqual(['index.json']);
  });

  it('background-shell logs go when glm exits, and a killed run’s folder is removed by the next one', () => {
    const start = `
      const { startBackground, killAllShells } = await import('./tools/bash-shells.ts');
      const { createToolState } = await import('./src/tool.ts');
      const state = createToolState();
      const keepAlive = setInterval(() => {}, 1000); // the shell is unref'd: wait for it here
      const shell = await startBackground('echo hi', process.cwd(), state);
      await shell.done;
      clearInterval(keepAlive);
      console.log(shell.logPath);`;
    const exited = node(`${start}\n await killAllShells(state);`).trim();
    expect(exited).toMatch(/glm-\d+-\w+/);
    expect(existsSync(exited)).toBe(false);

    const killed = node(`${start}\n process.kill(process.pid, 'SIGKILL');`).trim();
    expect(existsSync(killed)).toBe(true);
    sweepStaleTempFolders(); // what the next run does before it makes its own folder
    expect(existsSync(path.dirname(path.dirname(killed)))).toBe(false);
  });
});
