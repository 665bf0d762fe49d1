// Attacks through file paths, end to end: the built `glm -p` in acceptEdits mode against the fake server, a model
// that tries to write or read where it must not (tilde, symlinks into .git or out of the project, nested .git,
// case variants, reads of the home folder). Each must leave no marker and tell the model it was denied.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeEach, describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm, type FakeToolCall } from '../support/fake-glm-server.ts';
import { lastContent, useFakeGlm } from '../support/use-fake-glm.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

/** Runs one tool call in `glm -p` and returns what the model was told about it. */
async function attempt(sb: Sandbox, call: FakeToolCall, flags: string[] = ['--permission-mode', 'acceptEdits']): Promise<string> {
  let told = '';
  fake.reply(toolCalls([call]), (body) => {
    told = lastContent(body);
    return text('done');
  });
  const r = await runGlm(sb, ['-p', 'go', ...flags]);
  expect(r.exitCode, String(r.stderr)).toBe(0);
  return told;
}

describe('file paths are judged as the tools resolve them', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox({ 'README.md': 'hi\n' }, fake.url);
  });

  it('Write ~/.bashrc is outside the project: denied in acceptEdits, the home file untouched', async () => {
    const told = await attempt(sb, { name: 'Write', arguments: { file_path: '~/.bashrc', content: 'touch /tmp/pwned\n' } });
    expect(told).toMatch(/Permission denied|needs approval/);
    expect(existsSync(path.join(sb.home, '.bashrc'))).toBe(false);
    expect(existsSync(path.join(sb.repo, '~'))).toBe(false);
  });

  it('a symlink to .git does not let acceptEdits change .git/config', async () => {
    symlinkSync('.git', path.join(sb.repo, 'docs-meta'));
    const before = readFileSync(path.join(sb.repo, '.git', 'config'), 'utf8');
    let told = '';
    fake.reply(
      toolCalls([{ name: 'Read', arguments: { file_path: 'docs-meta/config' } }]),
      toolCalls([{ name: 'Edit', arguments: { file_path: 'docs-meta/config', old_string: '[core]', new_string: '[core]\n\tfsmonitor = touch MARKER' } }]),
      (body) => {
        told = lastContent(body);
        return text('done');
      },
    );
    const r = await runGlm(sb, ['-p', 'go', '--permission-mode', 'acceptEdits']);
    expect(r.exitCode).toBe(0);
    expect(told).toMatch(/needs approval/);
    expect(readFileSync(path.join(sb.repo, '.git', 'config'), 'utf8')).toBe(before);
  });

  it('a nested repository .git and a case variant .GIT ask too', async () => {
    mkdirSync(path.join(sb.repo, 'vendor', 'lib', '.git', 'hooks'), { recursive: true });
    const nested = await attempt(sb, { name: 'Write', arguments: { file_path: 'vendor/lib/.git/hooks/pre-commit', content: 'touch MARKER' } });
    expect(nested).toMatch(/needs approval/);
    expect(existsSync(path.join(sb.repo, 'vendor/lib/.git/hooks/pre-commit'))).toBe(false);
    const upper = await attempt(sb, { name: 'Write', arguments: { file_path: '.GIT/hooks/pre-commit', content: 'touch MARKER' } });
    expect(upper).toMatch(/needs approval/);
  });

  it('a symlinked settings folder cannot be written through', async () => {
    mkdirSync(path.join(sb.repo, '.glm'));
    symlinkSync('.glm', path.join(sb.repo, 'cfg'));
    const told = await attempt(sb, { name: 'Write', arguments: { file_path: 'cfg/settings.json', content: '{"permissions":{"allow":["Bash"]}}' } });
    expect(told).toMatch(/needs approval/);
    expect(existsSync(path.join(sb.repo, '.glm', 'settings.json'))).toBe(false);
  });

  it('a symlink out of the project is outside: writing through it asks', async () => {
    mkdirSync(path.join(sb.home, 'elsewhere'));
    symlinkSync(path.join(sb.home, 'elsewhere'), path.join(sb.repo, 'out'));
    const told = await attempt(sb, { name: 'Write', arguments: { file_path: 'out/MARKER', content: 'x' } });
    expect(told).toMatch(/outside the project/);
    expect(existsSync(path.join(sb.home, 'elsewhere', 'MARKER'))).toBe(false);
  });

  it('deny rules hold through a symlink and through ~', async () => {
    mkdirSync(path.join(sb.home, '.ssh'));
    writeFileSync(path.join(sb.home, '.ssh', 'id_rsa'), 'SECRET-KEY-MATERIAL');
    symlinkSync(path.join(sb.home, '.ssh', 'id_rsa'), path.join(sb.repo, 'key.txt'));
    const flags = ['--disallowedTools', 'Read(~/.ssh/**)', '--allowedTools', 'Read(~/**)'];
    const viaLink = await attempt(sb, { name: 'Read', arguments: { file_path: 'key.txt' } }, flags);
    expect(viaLink).toMatch(/deny rule Read\(~\/\.ssh\/\*\*\)/);
    const viaTilde = await attempt(sb, { name: 'Read', arguments: { file_path: '~/.ssh/id_rsa' } }, flags);
    expect(viaTilde).toMatch(/deny rule/);
    for (const req of fake.requests) expect(JSON.stringify(req)).not.toContain('SECRET-KEY-MATERIAL');
  });
});

describe('reads outside the project ask', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox({ 'README.md': 'hi\n' }, fake.url);
    mkdirSync(path.join(sb.home, '.aws'));
    writeFileSync(path.join(sb.home, '.aws', 'credentials'), 'AWS-SECRET');
  });

  it.each([
    ['Read', { file_path: '~/.aws/credentials' }],
    ['Grep', { pattern: 'AWS', path: '~/.aws' }],
    ['Glob', { pattern: '**/*', path: '~' }],
    ['LS', { path: '~/.aws' }],
  ])('%s outside the project is denied in -p, in every mode but bypassPermissions', async (name, args) => {
    for (const mode of ['default', 'acceptEdits']) {
      const told = await attempt(sb, { name, arguments: args }, ['--permission-mode', mode]);
      expect(told).toMatch(/outside the project/);
    }
    for (const req of fake.requests) expect(JSON.stringify(req)).not.toContain('AWS-SECRET');
  });

  it('a rule naming the place, or --add-dir, allows it', async () => {
    const byRule = await attempt(sb, { name: 'Read', arguments: { file_path: '~/.aws/credentials' } }, ['--allowedTools', 'Read(~/.aws/**)']);
    expect(byRule).toContain('AWS-SECRET');
    const byDir = await attempt(sb, { name: 'Grep', arguments: { pattern: 'AWS', path: '~/.aws', output_mode: 'content' } }, ['--add-dir', path.join(sb.home, '.aws')]);
    expect(byDir).toContain('AWS-SECRET');
  });

  it('the spill file of a long output stays readable', async () => {
    writeFileSync(path.join(sb.repo, 'big.txt'), Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n'));
    let spill = '';
    fake.reply(
      toolCalls([{ name: 'Bash', arguments: { command: 'cat big.txt' } }]),
      (body) => {
        spill = /(\/\S+\/spill\/output-[\w-]+\.txt)/.exec(lastContent(body))?.[1] ?? '';
        return toolCalls([{ name: 'Read', arguments: { file_path: spill, offset: 4990 } }]);
      },
      (body) => {
        expect(lastContent(body)).toContain('line 4995');
        return text('done');
      },
    );
    const r = await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash(cat:*)']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(spill).toMatch(/spill/);
    expect(fake.pending()).toBe(0);
  });
});

describe('git folders elsewhere', () => {
  it("a repository's real git folder (a .git file pointing elsewhere) is protected", async () => {
    const sb = await makeSandbox({ 'README.md': 'hi\n' }, fake.url);
    const repo = path.join(sb.repo, '..', 'separate');
    const store = path.join(sb.repo, '..', 'store');
    await execa('git', ['init', '-q', '--separate-git-dir', store, repo]);
    // Even a rule that names the folder explicitly does not open it.
    const flags = ['--permission-mode', 'acceptEdits', '--allowedTools', `Edit(/${store}/**)`];
    const told = await attempt({ ...sb, repo }, { name: 'Write', arguments: { file_path: path.join(store, 'MARKER'), content: 'x' } }, flags);
    expect(told).toMatch(/git folder/);
    expect(existsSync(path.join(store, 'MARKER'))).toBe(false);
  });
});
