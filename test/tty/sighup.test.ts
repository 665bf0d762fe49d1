// A closed terminal ends the REPL like SIGTERM: the running command and background shells are stopped, the turn
// ends as interrupted in the transcript, and the session's lock is removed (the REPL then exits, no stack trace).
import { existsSync, readdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolCalls } from '../support/fake-glm-server.ts';
import { glmInTerminal } from './support/glm-terminal.ts';

const tty = glmInTerminal('sighup', {});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const until = async (check: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (check()) return;
  throw new Error('timed out waiting');
};

describe('glm (REPL) when its terminal closes', () => {
  it('stops the command and background shells, closes the transcript and removes the lock', async () => {
    tty.fake.reply(
      toolCalls([
        { name: 'Bash', arguments: { command: 'echo $$ > bg.pid; exec sleep 301', run_in_background: true } },
        { name: 'Bash', arguments: { command: 'echo $$ > fg.pid; exec sleep 300' } },
      ]),
    );
    // $$ is a host pid only outside the sandbox's PID namespace.
    const t = await tty.start({ args: ['--permission-mode', 'bypassPermissions', '--sandbox', 'off'] });
    t.type('sleep a while');
    t.press('Enter');
    const repo = tty.sb.repo;
    await until(() => existsSync(path.join(repo, 'fg.pid')) && existsSync(path.join(repo, 'bg.pid')), 15_000);
    const pids = await Promise.all(['fg.pid', 'bg.pid'].map(async (f) => Number(await readFile(path.join(repo, f), 'utf8'))));
    expect(pids.every(alive)).toBe(true);
    t.kill(); // the terminal goes away: glm gets SIGHUP and its writes fail with EIO
    await until(() => !pids.some(alive), 5000);
    const dir = path.join(tty.sb.home, '.local/share/glm-code/sessions', repo.replace(/[^A-Za-z0-9._-]/g, '-'));
    await until(() => !existsSync(dir) || !readdirSync(dir).some((n) => n.endsWith('.lock')), 5000);
    const transcript = (await readdir(dir)).find((n) => n.endsWith('.jsonl'))!;
    const last = JSON.parse((await readFile(path.join(dir, transcript), 'utf8')).trim().split('\n').at(-1)!);
    expect(last.event).toMatchObject({ type: 'done', reason: 'aborted' });
  });
});
