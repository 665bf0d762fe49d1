// A run that never got an answer (endpoint refused, bad key, a server error) leaves no session behind, and
// --continue resumes the newest session in which the model answered.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../support/closed-port.ts';
import { error, text, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

async function sessionFiles(sb: Sandbox): Promise<string[]> {
  const names = await readdir(path.join(sb.home, '.local/share/glm-code/sessions'), { recursive: true }).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.jsonl')).map((n) => path.join(sb.home, '.local/share/glm-code/sessions', n));
}

describe('sessions without an answer', () => {
  it('are not left behind when the endpoint refuses the connection', async () => {
    const sb = await makeSandbox({}, fake.url);
    const r = await runGlm(sb, ['-p', 'hello'], { env: { GLM_BASE_URL: `http://127.0.0.1:${await closedPort()}/v1` } });
    expect(r.exitCode).toBe(1);
    expect(await sessionFiles(sb)).toEqual([]);
  });

  it('are not left behind when the key is refused', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(error(401, { error: { message: 'invalid api key', code: '1000' } }));
    const r = await runGlm(sb, ['-p', 'hello']);
    expect(r.exitCode).toBe(1);
    expect(fake.requests).toHaveLength(1);
    expect(await sessionFiles(sb)).toEqual([]);
  });

  it('a session that got an answer is kept, and --continue goes on with it past a later unanswered one', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(text('first answer'), text('never sent', { delayMs: 20_000 }), text('second answer'));
    expect((await runGlm(sb, ['-p', 'remember 42'])).exitCode).toBe(0);
    const [answered] = await sessionFiles(sb);

    // Interrupted before the model said anything: kept (it says how to resume it), but it has no exchange.
    const child = runGlm(sb, ['-p', 'something else']);
    await fake.waitForRequests(2);
    child.kill('SIGINT');
    expect((await child).exitCode).toBe(130);
    expect(await sessionFiles(sb)).toHaveLength(2);

    const r = await runGlm(sb, ['-p', 'what number?', '--continue']);
    expect([r.exitCode, r.stdout]).toEqual([0, 'second answer']);
    expect(fake.requests[2].messages.filter((m: { role: string }) => m.role === 'user').map((m: { content: string }) => m.content)).toEqual(['remember 42', 'what number?']);
    expect(await readFile(answered, 'utf8')).toContain('what number?');
  });
});
