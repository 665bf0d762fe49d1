// Where glm's own temporary files go, so a crash (kill -9) leaves nothing in the user's folders: one folder per
// process under the system temp folder (glm-<pid>-…: shell logs, long scripts, atomic-write temp files), removed
// when the process exits and, after a crash, by the next glm that needs one. Imports node built-ins only.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PREFIX = 'glm-';
let folder: { dir: string; dev: number } | undefined;

/** Whether a process with this id still runs (EPERM: it does, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes glm-<pid>-… folders of processes that are gone (crashed runs); only this user's own. */
export function sweepStaleTempFolders(root = tmpdir()): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = /^glm-(\d+)-[A-Za-z0-9]{6}$/.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    const abs = path.join(root, name);
    try {
      if (uid !== undefined && statSync(abs).uid !== uid) continue;
      rmSync(abs, { recursive: true, force: true });
    } catch {
      // someone else's, or already gone
    }
  }
}

/** This process's temp folder (created on first use, private to the user, removed on exit). */
export function processTempDir(): string {
  return processTemp().dir;
}

function processTemp(): { dir: string; dev: number } {
  if (folder) return folder;
  sweepStaleTempFolders();
  const dir = mkdtempSync(path.join(tmpdir(), `${PREFIX}${process.pid}-`));
  folder = { dir, dev: statSync(dir).dev };
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return folder;
}

/**
 * A temp path for writing `target` atomically (write it, then rename it over the target). In this process's temp
 * folder when that is on the same file system (a rename cannot cross one); otherwise in a `.glm-tmp` folder beside
 * the target whose own .gitignore ignores everything in it, cleaned of crashed runs' files here. `done` tidies up.
 * `beside`: the .glm-tmp folder whatever the device says (a rename that failed with EXDEV across a bind mount).
 */
export function atomicTempFor(target: string, beside = false): { tmp: string; done: () => void } {
  const dir = path.dirname(target);
  const name = `${path.basename(target).slice(0, 80)}.${randomBytes(6).toString('hex')}.tmp`;
  const own = processTemp();
  if (!beside && statSync(dir).dev === own.dev) return { tmp: path.join(own.dir, name), done: () => {} };
  const local = path.join(dir, '.glm-tmp');
  mkdirSync(local, { recursive: true });
  try {
    writeFileSync(path.join(local, '.gitignore'), '*\n', { flag: 'wx' });
  } catch {
    // already there
  }
  for (const entry of readdirSync(local)) {
    const m = /^(\d+)-/.exec(entry);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) rmSync(path.join(local, entry), { force: true });
  }
  const done = () => {
    try {
      if (readdirSync(local).every((e) => e === '.gitignore')) rmSync(local, { recursive: true, force: true });
    } catch {
      // another writer's, or gone
    }
  };
  return { tmp: path.join(local, `${process.pid}-${name}`), done };
}
