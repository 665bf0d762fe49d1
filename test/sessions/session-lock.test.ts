// One process per session, with real processes: a live holder is reported, a stale lock (its process gone) is
// taken over, and processes racing to take over the same stale lock at the same instant end with one holder.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { lockSession } from '../../src/session-lock.ts';

const LOCK_MODULE = new URL('../../src/session-lock.ts', import.meta.url).href;
const ROUND_MS = 40;

/** Each racer takes the lock of every file in turn, all starting round i at the same instant, and keeps what it took. */
const RACER = `
const { lockSession } = await import(process.argv[2]);
const files = JSON.parse(process.argv[3]);
const start = Number(process.argv[4]);
const results = [];
for (let i = 0; i < files.length; i++) {
  while (Date.now() < start + i * ${ROUND_MS}) {}
  results.push('heldBy' in lockSession(files[i]) ? 'other' : 'mine');
}
process.stdout.write(JSON.stringify(results));
// Hold every lock taken until the last racer is done.
await new Promise((r) => setTimeout(r, start + files.length * ${ROUND_MS} + 1500 - Date.now()));
`;

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

describe('session lock', () => {
  it('four processes taking over the same stale locks at the same instant: each lock ends with exactly one holder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-lock-race-'));
    const stale = `${await deadPid()} 0123456789ab`;
    const files = Array.from({ length: 20 }, (_, i) => path.join(dir, `s${i}.jsonl`));
    for (const f of files) await writeFile(f.replace(/\.jsonl$/, '.lock'), stale);
    const racer = path.join(dir, 'racer.mjs');
    await writeFile(racer, RACER);
    const start = Date.now() + 4000; // every racer is up and waiting by then
    const runs = Array.from({ length: 4 }, () => promisify(execFile)(process.execPath, [racer, LOCK_MODULE, JSON.stringify(files), String(start)]));
    const results = (await Promise.all(runs)).map((r) => JSON.parse(r.stdout) as string[]);
    const holders = files.map((_, i) => results.filter((r) => r[i] === 'mine').length);
    expect(holders).toEqual(files.map(() => 1));
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp') || n.endsWith('.takeover'))).toEqual([]);
  }, 30_000);

  it('reports a live holder, takes over a stale lock, and clears a takeover left by a process that died', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-lock-'));
    const transcript = path.join(dir, 's.jsonl');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      await writeFile(path.join(dir, 's.lock'), `${holder.pid} abc`);
      expect(lockSession(transcript)).toEqual({ heldBy: holder.pid });
    } finally {
      holder.kill();
    }
    await new Promise((r) => holder.on('exit', r));
    await writeFile(path.join(dir, 's.lock.takeover'), '');
    const { utimes } = await import('node:fs/promises');
    await utimes(path.join(dir, 's.lock.takeover'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const lock = lockSession(transcript);
    expect('heldBy' in lock).toBe(false);
    expect(await readFile(path.join(dir, 's.lock'), 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    (lock as { release(): void }).release();
    expect(existsSync(path.join(dir, 's.lock'))).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });
});
