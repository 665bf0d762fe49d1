// Project trust end to end: the built `glm` in a temp git repo whose .glm/settings.json loosens permissions,
// against the fake GLM server. Untrusted, `glm -p` and `glm review` say so in one stderr line and the rules do
// not apply; after `glm trust` (a real process, writing the sandbox's own config folder) they do.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from './support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from './support/run-glm.ts';
import { report, stage } from './review/support.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const SETTINGS = { permissions: { allow: ['Bash(echo trust-ok)'], defaultMode: 'acceptEdits', deny: ['Bash(rm:*)'] } };
/** The whole of stderr (execa drops the final newline): one line. */
const NOTICE =
  'glm: not using 1 allow rule and defaultMode acceptEdits from .glm/settings.json: this project is not trusted (run "glm trust" in it to trust it)';

/** One turn that runs the allowed command and writes a new file (acceptEdits), then answers. */
function scriptRun() {
  fake.reply(
    toolCalls([
      { name: 'Bash', arguments: { command: 'echo trust-ok' } },
      { name: 'Write', arguments: { file_path: 'notes.txt', content: 'written\n' } },
    ]),
    text('Done.'),
  );
}

const toolResults = (body: { messages: { role: string; content: string }[] }) => body.messages.filter((m) => m.role === 'tool').map((m) => m.content);

describe('a project that loosens permissions', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox({ '.glm/settings.json': JSON.stringify(SETTINGS), 'src/app.js': 'export const a = 1;\n' }, fake.url);
  });

  it('is not trusted by glm -p until glm trust, which then lets its rules apply', async () => {
    scriptRun();
    const before = await runGlm(sb, ['-p', 'run it', '--output-format', 'json']);
    expect(before.exitCode).toBe(0);
    expect(before.stderr).toBe(NOTICE);
    const denied = JSON.parse(String(before.stdout));
    expect(denied.permission_denials.map((d: { tool_name: string }) => d.tool_name)).toEqual(['Bash', 'Write']);
    expect(existsSync(path.join(sb.repo, 'notes.txt'))).toBe(false);

    const trust = await runGlm(sb, ['trust']);
    expect(trust.exitCode).toBe(0);
    expect(trust.stdout).toContain('  Bash(echo trust-ok)\n');
    expect(trust.stdout).toContain('defaultMode acceptEdits');
    expect(trust.stdout).toContain(`Trusted ${sb.repo}.`);
    expect(readFileSync(path.join(sb.home, '.config', 'glm-code', 'trusted-projects.json'), 'utf8')).toContain(sb.repo);

    fake.reset();
    scriptRun();
    const after = await runGlm(sb, ['-p', 'run it', '--output-format', 'json']);
    expect(after.stderr).toBe('');
    expect(JSON.parse(String(after.stdout)).permission_denials).toEqual([]);
    expect(toolResults(fake.requests[1]).join('\n')).toContain('trust-ok');
    expect(readFileSync(path.join(sb.repo, 'notes.txt'), 'utf8')).toBe('written\n');
  });

  it('needs trust again when the file allows more, and not after glm trust --forget', async () => {
    expect((await runGlm(sb, ['trust'])).exitCode).toBe(0);
    const wider = { permissions: { ...SETTINGS.permissions, allow: ['Bash(echo trust-ok)', 'Bash(curl:*)'] } };
    await stage(sb, { '.glm/settings.json': JSON.stringify(wider) });
    fake.reply(text('Hi.'));
    const changed = await runGlm(sb, ['-p', 'hi']);
    expect(changed.stderr).toMatch(/^glm: not using 2 allow rules and defaultMode acceptEdits from \.glm\/settings\.json: this project is not trusted/);
    expect((await runGlm(sb, ['trust'])).exitCode).toBe(0);
    const forget = await runGlm(sb, ['trust', '--forget']);
    expect(forget.stdout).toMatch(/^Forgot /);
    fake.reply(text('Hi.'));
    expect((await runGlm(sb, ['-p', 'hi', '--output-format', 'stream-json'])).stderr).toMatch(/^glm: not using 2 allow rules/);
  });

  it('forgets a trusted project whose settings file glm can no longer read', async () => {
    expect((await runGlm(sb, ['trust'])).exitCode).toBe(0);
    await stage(sb, { '.glm/settings.json': '{"permissions": {"allow": ["Bash("]}}' });
    const forget = await runGlm(sb, ['trust', '--forget']);
    expect(forget.stderr).toBe('');
    expect(forget.exitCode).toBe(0);
    expect(forget.stdout).toMatch(/^Forgot /);
    const again = await runGlm(sb, ['trust', '--forget']);
    expect(again.stdout).toMatch(/is not trusted: nothing to forget\.$/);
  });

  it('keeps stdout valid JSON for stream-json and tells glm review the same in one line', async () => {
    fake.reply(text('Hi.'));
    const stream = await runGlm(sb, ['-p', 'hi', '--output-format', 'stream-json']);
    expect(stream.stderr).toBe(NOTICE);
    for (const line of String(stream.stdout).trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();

    await stage(sb, { 'src/app.js': 'export const a = 2;\n' });
    fake.reply(report('pass', 'Fine.'));
    const review = await runGlm(sb, ['review', '--output-format', 'json']);
    expect(review.exitCode).toBe(0);
    expect(JSON.parse(String(review.stdout))).toMatchObject({ verdict: 'pass' });
    // The review runs in default mode anyway: only the allow rule is worth a word.
    expect(review.stderr).toBe(
      'glm review: not using 1 allow rule from .glm/settings.json: this project is not trusted (run "glm trust" in it to trust it)',
    );
  });

  it('holds back a costly model until trusted: one notice line in headless mode, then the model once trusted', async () => {
    await stage(sb, { '.glm/settings.json': JSON.stringify({ model: 'glm-4.6', maxTokens: 2000 }) });
    fake.reply(text('Hi.'), text('Hi again.'));
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.stderr).toBe('glm: not using maxTokens 2000 and model glm-4.6 from .glm/settings.json: this project is not trusted (run "glm trust" in it to trust it)');
    expect(fake.requests[0]).toMatchObject({ model: 'glm-5.2', max_tokens: 32768 });
    const t = await runGlm(sb, ['trust']);
    expect(t.stdout).toContain('spend on requests as these settings choose');
    expect(t.stdout).toContain('    model glm-4.6');
    expect((await runGlm(sb, ['-p', 'hi'])).stderr).toBe('');
    expect(fake.requests[1]).toMatchObject({ model: 'glm-4.6', max_tokens: 2000 });
  });

  it('says when there is nothing to trust', async () => {
    await stage(sb, { '.glm/settings.json': JSON.stringify({ temperature: 0.2, permissions: { deny: ['Bash(rm:*)'] } }) });
    const r = await runGlm(sb, ['trust']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Nothing to trust: .*sets nothing that needs trust \(hooks, allow rules, defaultMode acceptEdits, provider, baseUrl, additionalDirectories, model, maxTokens and the other costly settings\), and there is no \.mcp\.json server, \.claude hook, agent, skill or command with allowed-tools\.$/);
    fake.reply(text('Hi.'));
    expect((await runGlm(sb, ['-p', 'hi'])).stderr).toBe('');
  });
});
