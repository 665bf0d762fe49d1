// A reader that stops early (`glm sessions | head -1`, `glm -p … --output-format stream-json | head -1`) closes
// glm's stdout: glm ends quietly (no EPIPE stack trace, exit 0) and still stops the commands it started.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, GLM_BIN, runGlm, type Sandbox } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

/**
 * Runs glm with stdout on a real pipe whose reader closes its end after `lines` lines (0: before glm writes
 * anything), like `| head -n`. Resolves with the exit code, stderr and what was read.
 */
function runClosingAfter(sb: Sandbox, args: string[], lines: number): Promise<{ code: number | null; stderr: string; read: string }> {
  const child = spawn(process.execPath, [GLM_BIN, ...args], { cwd: sb.repo, env: sb.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let read = '';
  child.stderr.on('data', (d) => (stderr += d));
  const close = () => child.stdout.destroy();
  if (lines === 0) close();
  else
    child.stdout.on('data', (d) => {
      read += d;
      const seen = read.split('\n');
      if (seen.length > lines) {
        read = seen.slice(0, lines).join('\n') + '\n';
        close();
      }
    });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, read });
    }),
  );
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a closed stdout', () => {
  it('ends glm sessions quietly', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(text('one'), text('two'));
    await runGlm(sb, ['-p', 'first']);
    await runGlm(sb, ['-p', 'second']);
    const r = await runClosingAfter(sb, ['sessions'], 0);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('ends a stream-json run quietly after the first line', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(text('the answer', { delayMs: 20 }));
    const r = await runClosingAfter(sb, ['-p', 'hi', '--output-format', 'stream-json'], 1);
    expect(JSON.parse(r.read)).toMatchObject({ type: 'system', subtype: 'init' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('stops the commands the run started', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(
      toolCalls([{ name: 'Bash', arguments: { command: 'echo $$ > shell.pid; exec sleep 60', run_in_background: true } }]),
      text('still talking', { delayMs: 20 }),
    );
    // init, the assistant's tool call, the tool's result: then the reader goes, while the background shell runs.
    // Unsandboxed: inside the sandbox $$ is a pid of its own namespace (test/e2e/sandbox.test.ts covers that case).
    const args = ['-p', 'start it', '--output-format', 'stream-json', '--permission-mode', 'bypassPermissions', '--sandbox', 'off'];
    const r = await runClosingAfter(sb, args, 3);
    expect(r.read.trim().split('\n').map((l) => JSON.parse(l).type)).toEqual(['system', 'assistant', 'user']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const pid = Number(await readFile(path.join(sb.repo, 'shell.pid'), 'utf8'));
    await expect.poll(() => alive(pid), { timeout: 5000 }).toBe(false);
  });
});
