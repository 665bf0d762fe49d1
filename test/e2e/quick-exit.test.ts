// glm -p ends as soon as its answer is out, even after a run whose requests and Bash decision made V8 compile
// WebAssembly in the background (src/quick-exit.ts: process.exit() would wait for those compiles, 0.4–1.7 s).
// NODE_OPTIONS=--trace-exit makes Node report every process.exit(): a run that ended through it waited. What the
// quick exit must keep of process.exit: the exit code, the whole output on a pipe, the 'exit' listeners (background
// shells stopped), and a stdin pipe left blocking for whoever reads it next. Speed: bench/exit-lag.mjs.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';
import { GLM_BIN, makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));
let sb: Sandbox;
beforeEach(async () => {
  sb = await makeSandbox({}, fake.url);
});

const TRACE = { NODE_OPTIONS: '--trace-exit' };
const EXITED_THROUGH_PROCESS_EXIT = /Exited the environment/;
const bashCall = (command: string) => toolCalls([{ name: 'Bash', arguments: { command } }]);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('glm -p after a Bash decision', () => {
  it('exits promptly after its answer, with exit code 0 and the whole answer on the pipe, not through process.exit()', async () => {
    const long = Array.from({ length: 4000 }, (_, i) => `line ${i} of a long answer`).join('\n');
    fake.reply(bashCall('echo hello | tr a-z A-Z'), text(long, { chunkSize: 4096 }));
    const child = spawn(process.execPath, [GLM_BIN, '-p', 'run it', '--allowedTools', 'Bash(echo:*),Bash(tr:*)'], { cwd: sb.repo, env: { ...sb.env, ...TRACE }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', lastByte = 0;
    child.stdout.on('data', (d) => ((stdout += d), (lastByte = performance.now())));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    const lag = performance.now() - lastByte;
    expect([code, stdout, stderr]).toEqual([0, `${long}\n`, '']); // '' : no --trace-exit report
    expect(fake.requests[1].messages.at(-1).content).toContain('HELLO');
    // Generous for a loaded machine (the old exit waited 0.4–1.7 s here): the --trace-exit check above is the exact one.
    expect(lag).toBeLessThan(2500);
  });

  it('keeps a failing exit code (max turns: 3)', async () => {
    fake.reply(bashCall('echo one'), bashCall('echo two'));
    const capped = await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash(echo:*)', '--max-turns', '1'], { env: TRACE });
    expect(capped.exitCode).toBe(3);
    expect(capped.stderr).not.toMatch(EXITED_THROUGH_PROCESS_EXIT);
  });

  it("runs the 'exit' listeners: a background shell the run started is stopped", async () => {
    // The second call waits for the pid file: on a busy machine the background shell may not have written it yet.
    fake.reply(
      toolCalls([{ name: 'Bash', arguments: { command: 'echo $$ > shell.pid.tmp && mv shell.pid.tmp shell.pid; exec sleep 60', run_in_background: true } }]),
      toolCalls([{ name: 'Bash', arguments: { command: 'while [ ! -s shell.pid ]; do sleep 0.05; done' } }]),
      text('started'),
    );
    const r = await runGlm(sb, ['-p', 'start it', '--permission-mode', 'bypassPermissions', '--sandbox', 'off'], { env: TRACE });
    expect([r.exitCode, r.stdout]).toEqual([0, 'started']);
    expect(r.stderr).not.toMatch(EXITED_THROUGH_PROCESS_EXIT);
    const pid = Number(await readFile(path.join(sb.repo, 'shell.pid'), 'utf8'));
    await expect.poll(() => alive(pid), { timeout: 5000 }).toBe(false);
  });

  it('leaves a stdin pipe it read blocking: the next reader of the same pipe waits for its data', async () => {
    fake.reply(bashCall('echo one'), text('done'));
    // glm reads the shared pipe (nothing arrives), exits; then cat reads it. A pipe left non-blocking makes cat fail
    // at once ("Resource temporarily unavailable") instead of waiting for the line written after glm ended.
    const script = `"$0" "$1" -p go --allowedTools 'Bash(echo:*)' >/dev/null; echo glm-ended >&2; cat`;
    const child = spawn('/bin/sh', ['-c', script, process.execPath, GLM_BIN], { cwd: sb.repo, env: sb.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      // A moment later, so that cat is reading by then (on a non-blocking pipe it has failed by then).
      if (stderr.includes('glm-ended')) setTimeout(() => child.stdin.end('written after glm ended\n'), 300);
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect([code, stdout]).toEqual([0, 'written after glm ended\n']);
  });
});
