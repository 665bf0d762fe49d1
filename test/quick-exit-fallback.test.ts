// quickExit ends glm through execve of `sh -c 'exit N'`; where that cannot work (no shell, a shell it may not run,
// a Node without execve, the permission model refusing child processes, an execve that throws) glm must still end
// with its exit code through process.exit, its 'exit' listeners run once, and no abort (134) or stack trace.
// Each case is a real Node process running src/quick-exit.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const QUICK_EXIT = pathToFileURL(path.resolve('src/quick-exit.ts')).href;

/** Runs `call` (an expression using quickExit) in a fresh Node after an 'exit' listener that prints a line. */
function endWith(call: string, nodeFlags: string[] = []) {
  const script = [
    `import { writeSync } from 'node:fs';`,
    `import { quickExit } from ${JSON.stringify(QUICK_EXIT)};`,
    `process.on('exit', (code) => writeSync(1, 'exit listener ' + code + '\\n'));`,
    call,
  ].join('\n');
  const r = spawnSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const EXITED_7 = { code: 7, signal: null, stdout: 'exit listener 7\n', stderr: '' };

describe('quickExit when execve cannot end the process', () => {
  it('exits through execve normally: code kept, listeners run once', () => {
    expect(endWith('quickExit(7);')).toEqual(EXITED_7);
  });

  it('falls back to process.exit when execve throws', () => {
    const r = endWith(`quickExit(7, { shell: '/bin/sh', execve: () => { throw new Error('refused'); } });`);
    expect(r).toEqual(EXITED_7);
  });

  it('falls back when the permission model forbids child processes (a real refusal)', () => {
    expect(endWith('quickExit(7);', ['--permission', '--allow-fs-read=*'])).toEqual(EXITED_7);
  });

  it('falls back when the shell is missing or not executable, instead of aborting', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'glm-quick-exit-'));
    const notExecutable = path.join(dir, 'sh');
    writeFileSync(notExecutable, 'exit 0\n', { mode: 0o644 });
    for (const shell of [path.join(dir, 'missing'), notExecutable]) {
      expect(endWith(`quickExit(7, { shell: ${JSON.stringify(shell)}, execve: process.execve });`)).toEqual(EXITED_7);
    }
  });

  it('falls back on a Node without process.execve', () => {
    expect(endWith(`quickExit(7, { shell: '/bin/sh', execve: undefined });`)).toEqual(EXITED_7);
  });
});
