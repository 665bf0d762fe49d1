// The built `glm -p` against the fake server: a cloned repository's AGENTS.md that links to a private key outside
// the project is not sent to the model, and stderr says so in one line; a link inside the project still loads.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { text, type FakeGlm } from '../support/fake-glm-server.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

const SECRET = '-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA-SECRET';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

describe('memory files that lead outside the project', () => {
  let sb: Sandbox;
  let key: string;
  beforeEach(async () => {
    sb = await makeSandbox({ 'docs/rules.md': 'INSIDE RULES: use tabs.\n' }, fake.url);
    key = path.join(path.dirname(sb.repo), 'fake-home', '.ssh', 'id_rsa');
    await mkdir(path.dirname(key), { recursive: true });
    await writeFile(key, `${SECRET}\n`);
  });

  const sent = () => fake.calls.map((c) => c.raw).join('\n');

  it('AGENTS.md -> ~/.ssh/id_rsa: not sent, and stderr names the file and why', async () => {
    await symlink(key, path.join(sb.repo, 'AGENTS.md'));
    fake.reply(text('hello'));
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(0);
    expect(fake.requests).toHaveLength(1);
    expect(sent()).not.toContain('SECRET');
    expect(String(r.stderr).trim().split('\n')).toEqual([`glm: AGENTS.md not loaded: it resolves to ${key}, outside the project`]);
    // JSON output keeps stdout clean and still tells on stderr.
    fake.reply(text('hello'));
    const json = await runGlm(sb, ['-p', 'hi', '--output-format', 'json']);
    expect(JSON.parse(String(json.stdout)).result).toBe('hello');
    expect(String(json.stderr)).toContain('AGENTS.md not loaded');
    expect(sent()).not.toContain('SECRET');
  });

  it('a FIFO named AGENTS.md does not hang the run', async () => {
    execFileSync('mkfifo', [path.join(sb.repo, 'AGENTS.md')]);
    fake.reply(text('hello'));
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(0);
    expect(String(r.stderr)).toContain('glm: AGENTS.md not loaded: it is not a regular file (a FIFO)');
  });

  it('AGENTS.md -> docs/rules.md inside the project still loads', async () => {
    await symlink('docs/rules.md', path.join(sb.repo, 'AGENTS.md'));
    fake.reply(text('hello'));
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(fake.requests[0].messages[0].content).toContain('INSIDE RULES: use tabs.');
  });
});
