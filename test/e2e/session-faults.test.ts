// A session under faults, end to end: two processes on one session (the second refuses, exit 2), a read-only
// data folder (one line naming it, the JSON result still printed), and a long transcript resumed by `-p --continue`
// without holding it in memory.
import { execa } from 'execa';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { GLM_BIN, makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

const dataDir = (sb: Sandbox) => path.join(sb.home, '.local/share/glm-code');
const sessionsDir = (sb: Sandbox) => path.join(dataDir(sb), 'sessions', sb.repo.replace(/[^A-Za-z0-9._-]/g, '-'));
const transcripts = async (sb: Sandbox) => (await readdir(sessionsDir(sb))).filter((n) => n.endsWith('.jsonl'));

describe('a session under faults', () => {
  it('a second process on a running session refuses with exit 2 and one line; the session stays consistent', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(text('first'));
    expect((await runGlm(sb, ['-p', 'start'])).exitCode).toBe(0);
    // The first process waits in a command until the second one has been turned away.
    const wait = 'while [ ! -e go ]; do sleep 0.1; done';
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: wait } }]), text('the first process is done'));
    const first = runGlm(sb, ['-p', '--continue', 'one', '--allowedTools', `Bash(${wait})`]);
    await fake.waitForRequests(2);
    const second = await runGlm(sb, ['-p', '--continue', 'two']);
    await writeFile(path.join(sb.repo, 'go'), '');
    expect(second.exitCode).toBe(2);
    expect(String(second.stderr)).toMatch(/^glm: session \S+ is in use by another glm process \(pid \d+\); wait for it to end, or start a new session without --continue\/--resume$/);
    expect((await first).exitCode).toBe(0);
    expect(fake.requests).toHaveLength(3);
    fake.reply(text('third'));
    const third = await runGlm(sb, ['-p', '--continue', 'three']);
    expect(third.exitCode).toBe(0);
    const sent = fake.requests[3].messages.map((m: { role: string; content: string }) => `${m.role}:${m.content}`).slice(1);
    const note = 'user:<system-reminder>\nSince this session started, the environment changed:\n- Git: branch main, 1 changed file\n</system-reminder>';
    expect(sent).toEqual(['user:start', 'assistant:first', 'user:one', 'assistant:', 'tool:(no output)', 'assistant:the first process is done', note, 'user:three']);
    expect(fake.violations).toEqual([]);
    expect((await readdir(sessionsDir(sb))).filter((n) => n.endsWith('.lock'))).toEqual([]);
  }, 60_000);

  it('a read-only data folder: one line naming the folder and the cause, and the JSON result is still printed', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(text('first'));
    expect((await runGlm(sb, ['-p', 'start'])).exitCode).toBe(0);
    const [file] = await transcripts(sb);
    const before = await readFile(path.join(sessionsDir(sb), file!), 'utf8');
    fake.reply(text('still answered'));
    // A mount namespace of its own (unshare, as any user) where the data folder is mounted read-only.
    const script = 'mount --bind "$GLM_DATA" "$GLM_DATA" && mount -o remount,ro,bind "$GLM_DATA" "$GLM_DATA" && exec "$0" "$@"';
    const r = await execa('unshare', ['-rm', 'sh', '-c', script, process.execPath, GLM_BIN, '-p', '--continue', '--output-format', 'json', 'again'], {
      cwd: sb.repo,
      env: { ...sb.env, GLM_DATA: dataDir(sb) },
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      timeout: 30_000,
    });
    expect(String(r.stderr)).toBe(`glm: cannot write to ${sessionsDir(sb)}: the file system is read-only (EROFS); this session is not saved from here on`);
    expect(JSON.parse(String(r.stdout))).toMatchObject({ type: 'result', is_error: false, result: 'still answered' });
    expect(r.exitCode).toBe(0);
    expect(await readFile(path.join(sessionsDir(sb), file!), 'utf8')).toBe(before);
  });

  it('-p --continue of a long transcript reads it line by line instead of holding it (and its old display diffs) in memory', async () => {
    const sb = await makeSandbox({}, fake.url);
    await mkdir(sessionsDir(sb), { recursive: true });
    const diff = '-old line\n+new line\n'.repeat(200_000); // 4 MB a line, as transcripts stored before
    const lines: unknown[] = [{ type: 'user_message', text: 'edit a lot' }];
    for (let i = 0; i < 12; i++) {
      const call = { id: `c${i}`, name: 'Edit', arguments: '{}' };
      lines.push({ type: 'assistant_message', message: { role: 'assistant', content: '', toolCalls: [call] }, finishReason: 'tool_calls' });
      lines.push({ type: 'tool_end', callId: call.id, name: 'Edit', output: 'Edited.', isError: false, display: { summary: '+1 -1', diff } });
    }
    lines.push({ type: 'assistant_message', message: { role: 'assistant', content: 'All edited.' }, finishReason: 'stop' });
    await writeFile(path.join(sessionsDir(sb), '20260101-000000-abcdef.jsonl'), lines.map((event) => JSON.stringify({ ts: '2026-01-01T00:00:00.000Z', event }) + '\n').join(''));
    fake.reply(text('resumed'));
    // 53 MB of transcript with a 32 MB heap: it fits only when no more than a line or so is held at a time.
    const r = await runGlm(sb, ['-p', '--continue', 'go on'], { env: { NODE_OPTIONS: '--max-old-space-size=32' } });
    expect([r.exitCode, String(r.stdout)]).toEqual([0, 'resumed']);
    expect(fake.requests[0].messages).toHaveLength(1 + 1 + 24 + 1 + 1);
  }, 60_000);
});
