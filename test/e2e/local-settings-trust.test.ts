// .glm/settings.local.json end to end: the built `glm` in a temp git repo whose local settings file (untracked,
// as a person writes it) allows one Bash command, against the fake GLM server. Untrusted, the rule does nothing
// and stderr names the file in one line; after `glm trust` the command runs. A broken file is one line, exit 2.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const toolResults = (body: { messages: { role: string; content: string }[] }) => body.messages.filter((m) => m.role === 'tool').map((m) => m.content);

function writeLocal(sb: Sandbox, text: string): void {
  mkdirSync(path.join(sb.repo, '.glm'), { recursive: true });
  writeFileSync(path.join(sb.repo, '.glm', 'settings.local.json'), text);
}

describe('an allow rule in .glm/settings.local.json', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox({ 'README.md': 'hi\n' }, fake.url);
    writeLocal(sb, JSON.stringify({ permissions: { allow: ['Bash(echo local-ok)'] } }));
  });

  it('does nothing in an untrusted project and lets the command run once the project is trusted', async () => {
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo local-ok' } }]), text('Done.'));
    const before = await runGlm(sb, ['-p', 'run it', '--output-format', 'json']);
    expect(before.exitCode).toBe(0);
    expect(before.stderr).toBe(
      'glm: not using 1 allow rule from .glm/settings.local.json: this project is not trusted (run "glm trust" in it to trust it)',
    );
    expect(JSON.parse(String(before.stdout)).permission_denials.map((d: { tool_name: string }) => d.tool_name)).toEqual(['Bash']);
    expect(toolResults(fake.requests[1]).join('\n')).not.toContain('local-ok\n');

    const trust = await runGlm(sb, ['trust']);
    expect(trust.exitCode).toBe(0);
    expect(trust.stdout).toContain("This project's .glm/settings.local.json lets glm:\n  run these without asking:\n    Bash(echo local-ok)\n");

    fake.reset();
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo local-ok' } }]), text('Done.'));
    const after = await runGlm(sb, ['-p', 'run it', '--output-format', 'json']);
    expect(after.stderr).toBe('');
    expect(JSON.parse(String(after.stdout)).permission_denials).toEqual([]);
    expect(toolResults(fake.requests[1]).join('\n')).toContain('local-ok');
  });

  it('is reported by file, line and column in one line with exit 2 when the file is broken', async () => {
    writeLocal(sb, '{\n  "permissions": {"allow": ["Bash(echo local-ok)"],}\n}\n');
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr).split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^glm: Invalid JSON in .*\/\.glm\/settings\.local\.json at line 2, column \d+ /);
    expect(fake.requests).toHaveLength(0);
  });
});
