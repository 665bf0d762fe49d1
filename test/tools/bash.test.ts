import { realpath } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { alive } from '../support/process-alive.ts';
import { BASH_DEFAULT_TIMEOUT_MS, BASH_MAX_TIMEOUT_MS } from '../../src/limits.ts';
import { bashTool, timeoutMs } from '../../tools/bash.ts';
import { bashOutputTool } from '../../tools/bash-output.ts';
import { killAllShells, runForeground } from '../../tools/bash-shells.ts';
import { killShellTool } from '../../tools/kill-shell.ts';
import { makeCtx, tempDir } from './helpers.ts';
import type { ToolContext } from '../../src/tool.ts';

let dir: string;
let cleanup: () => Promise<void>;
let ctx: ToolContext;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  ctx = makeCtx(dir);
});
afterEach(async () => {
  await killAllShells(ctx.state);
  await cleanup();
});

/** Waits until the process is gone; fails the test (via its timeout) if it never goes. */
async function gone(pid: number) {
  while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
  return true;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Bash', () => {
  test('stdout and stderr interleaved in arrival order, streamed live', async () => {
    const chunks: string[] = [];
    const r = await bashTool.execute({ command: 'echo a; sleep 0.1; echo b >&2; sleep 0.1; echo c' }, { ...ctx, onOutput: (c) => chunks.push(c) });
    expect(r.isError).toBe(false);
    expect(r.output).toBe('a\nb\nc');
    expect(chunks.join('')).toBe('a\nb\nc\n');
  });

  test('a failing command reports its exit code and is an error', async () => {
    const r = await bashTool.execute({ command: 'echo oops; exit 3' }, ctx);
    expect(r.isError).toBe(true);
    expect(r.output).toBe('oops\n\nExit code 3');
  });

  test('runs in cwd, stdin closed, pagers and prompts off', async () => {
    const r = await bashTool.execute({ command: 'pwd; cat; echo "[$GIT_PAGER $PAGER $GIT_TERMINAL_PROMPT]"' }, ctx);
    expect(r.output).toBe(`${await realpath(dir)}\n[cat cat 0]`);
    expect((await bashTool.execute({ command: 'true' }, ctx)).output).toBe('(no output)');
  });

  test('timeout kills the whole process tree, grandchildren included', async () => {
    const r = await runForeground('sleep 30 & echo $!; wait', { cwd: dir, timeoutMs: 300, signal: new AbortController().signal });
    expect(r.timedOut).toBe(true);
    const grandchild = Number(r.output.trim());
    expect(grandchild).toBeGreaterThan(0);
    expect(await gone(grandchild)).toBe(true);
  });

  test('the tool says when a command timed out', async () => {
    const r = await bashTool.execute({ command: 'echo started; sleep 30', timeout: 1000 }, ctx);
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/^started\n\nCommand timed out after 1 s/);
  });

  test('abort interrupts the command and kills its tree', async () => {
    const ac = new AbortController();
    const pending = bashTool.execute({ command: 'sleep 30 & echo $!; wait' }, { ...ctx, signal: ac.signal, onOutput: () => ac.abort() });
    const r = await pending;
    expect(r.isError).toBe(true);
    expect(r.output).toContain('Interrupted');
    expect(await gone(Number(r.output.split('\n')[0]))).toBe(true);
  });

  test('a command that leaves a background process behind still returns', async () => {
    const r = await bashTool.execute({ command: 'sleep 60 & echo $!' }, ctx);
    const pid = Number(r.output.trim());
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
  });

  test('colours and redrawn progress lines are reduced to plain text for the model', async () => {
    const chunks: string[] = [];
    const r = await bashTool.execute(
      { command: "printf '\\033[32mPASS\\033[0m a.test.ts\\n10%%\\r50%%\\r100%%\\ndone\\r\\n'" },
      { ...ctx, onOutput: (c) => chunks.push(c) },
    );
    expect(r.output).toBe('PASS a.test.ts\n100%\ndone');
    expect(chunks.join('')).toContain('\x1b[32m');
  });

  test('a working directory that vanished is reported plainly', async () => {
    const r = await bashTool.execute({ command: 'echo hi' }, makeCtx(`${dir}/gone`));
    expect(r.isError).toBe(true);
    expect(r.output).toContain('does not exist');
  });

  test('timeout values: default, clamped to the maximum, small numbers read as seconds', () => {
    expect(timeoutMs(undefined)).toBe(BASH_DEFAULT_TIMEOUT_MS);
    expect(timeoutMs(5000)).toBe(5000);
    expect(timeoutMs(10 * BASH_MAX_TIMEOUT_MS)).toBe(BASH_MAX_TIMEOUT_MS);
    expect(timeoutMs(30)).toBe(30_000);
  });

  test('the result line says what the title does not: exit status and how much output, after the description', async () => {
    const three = await bashTool.execute({ command: 'printf "a\\nb\\nc\\n"' }, ctx);
    expect(three.display?.summary).toBe('exit 0 · 3 lines');
    const quiet = await bashTool.execute({ command: 'true', description: 'Check the build' }, ctx);
    expect(quiet.display?.summary).toBe('Check the build · exit 0 · no output');
    const failed = await bashTool.execute({ command: 'echo oops; exit 3' }, ctx);
    expect(failed.display?.summary).toBe('exit 3 · 1 line');
  });

  test('title shows the command', () => {
    expect(bashTool.title({ command: 'npm test' })).toBe('Bash npm test');
    expect(bashTool.target!({ command: 'npm test -- a' })).toBe('npm test -- a');
  });
});

describe('background shells', () => {
  test('run_in_background returns at once; BashOutput gives only new output, then the exit status', async () => {
    const r = await bashTool.execute({ command: 'echo one; sleep 0.3; echo two; exit 4', run_in_background: true }, ctx);
    expect(r.output).toContain('bash_1');
    let seen = '';
    let last = '';
    while (!last.startsWith('Status: failed')) {
      await sleep(100);
      last = (await bashOutputTool.execute({ bash_id: 'bash_1' }, ctx)).output;
      seen += last.replace(/^Status: .*\n/, '') + '\n';
    }
    expect(last).toContain('exit code 4');
    expect(seen.match(/one/g)).toHaveLength(1);
    expect(seen.match(/two/g)).toHaveLength(1);
    expect((await bashOutputTool.execute({ bash_id: 'bash_1' }, ctx)).output).toContain('(no new output)');
  });

  test('KillShell stops the shell and its children', async () => {
    await bashTool.execute({ command: 'sleep 60 & echo $!; wait', run_in_background: true }, ctx);
    let out = '';
    while (!/\d+/.test(out)) {
      await sleep(50);
      out += ctx.state.shells.get('bash_1')!.readNew();
    }
    const r = await killShellTool.execute({ shell_id: 'bash_1' }, ctx);
    expect(r.output).toContain('Killed bash_1');
    expect(ctx.state.shells.get('bash_1')!.status).toBe('killed');
    expect(await gone(Number(out.trim()))).toBe(true);
  });

  test('unknown ids list the shells that exist', async () => {
    await bashTool.execute({ command: 'true', run_in_background: true }, ctx);
    const r = await bashOutputTool.execute({ bash_id: 'bash_9' }, ctx);
    expect(r.isError).toBe(true);
    expect(r.output).toContain('Known shells: bash_1');
    expect((await killShellTool.execute({ shell_id: 'nope' }, ctx)).isError).toBe(true);
  });

  test('killAllShells stops every shell; running shells do not keep the process alive', async () => {
    const handles = () => process.getActiveResourcesInfo().filter((h) => h === 'ProcessWrap' || h === 'PipeWrap').length;
    const before = handles();
    await bashTool.execute({ command: 'sleep 60', run_in_background: true }, ctx);
    await bashTool.execute({ command: 'sleep 60 & wait', run_in_background: true }, ctx);
    expect(handles()).toBe(before);
    await killAllShells(ctx.state);
    expect([...ctx.state.shells.values()].map((s) => s.status)).toEqual(['killed', 'killed']);
  });
});
