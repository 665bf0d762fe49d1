// `glm hook` and `git commit` through it: real commits in temp repos, the hook written by the built binary,
// the fake GLM server answering the review. What a user sees: the commit landing or not, and why.
import { chmod, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';
import { commitCount, git, report, stage, userSettings } from './support.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const project = { 'src/app.js': 'export const a = 1;\n' };
const exists = (p: string) => stat(p).then(() => true, () => false);

describe('glm hook + git commit', () => {
  let sb: Sandbox;
  let hooks: string;
  beforeEach(async () => {
    sb = await makeSandbox(project, fake.url);
    hooks = path.join(sb.repo, '.git', 'hooks');
  });

  it('blocks a commit with an error finding: message printed, nothing committed', async () => {
    expect((await runGlm(sb, ['hook', 'install'])).exitCode).toBe(0);
    await stage(sb, { 'src/app.js': 'export const a = 1;\nconsole.log(a);\n' });
    fake.reply(report('fail', 'Debug output.', [{ file: 'src/app.js', line: 2, severity: 'error', message: 'Remove the console.log.' }]));
    const r = await git(sb, ['commit', '-m', 'add log']);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('src/app.js:2 error Remove the console.log.');
    expect(await commitCount(sb)).toBe(1);
  });

  it('lets a clean commit through, and serves a retried identical commit from the cache', async () => {
    await runGlm(sb, ['hook', 'install']);
    await stage(sb, { 'src/app.js': 'export const a = 2;\n' });
    fake.reply(report('pass', 'Fine.'));
    // A commit-msg hook that fails the first time: the second attempt must not pay for another review.
    await writeFile(path.join(hooks, 'commit-msg'), '#!/bin/sh\n[ -f .git/once ] && exit 0\ntouch .git/once\necho "commit-msg: try again" >&2\nexit 1\n');
    await chmod(path.join(hooks, 'commit-msg'), 0o755);
    expect((await git(sb, ['commit', '-m', 'bump'])).exitCode).not.toBe(0);
    const second = await git(sb, ['commit', '-m', 'bump']);
    expect(second.exitCode).toBe(0);
    expect(second.stderr).toMatch(/passed: no findings \(1 file, \+1 -1, cached\)/);
    expect(fake.requests).toHaveLength(1);
    expect(await commitCount(sb)).toBe(2);
  });

  it('fails open when the endpoint is down, and blocks with --strict', async () => {
    await userSettings(sb, { maxRetries: 0 });
    await runGlm(sb, ['hook', 'install']);
    const down = { GLM_BASE_URL: 'http://127.0.0.1:9/api/paas/v4' };
    await stage(sb, { 'src/app.js': 'export const a = 3;\n' });
    const open = await git(sb, ['commit', '-m', 'three'], down);
    expect(open.exitCode).toBe(0);
    expect(open.stderr).toMatch(/glm review: warning: could not review the change/);
    expect(await commitCount(sb)).toBe(2);

    expect((await runGlm(sb, ['hook', 'install', '--strict'])).stdout).toMatch(/updated pre-commit hook/);
    await stage(sb, { 'src/app.js': 'export const a = 4;\n' });
    const strict = await git(sb, ['commit', '-m', 'four'], down);
    expect(strict.exitCode).not.toBe(0);
    expect(await commitCount(sb)).toBe(2);
  });

  it('with --fix, the commit lands with the fixed, re-staged file', async () => {
    expect((await runGlm(sb, ['hook', 'install', '--fix'])).exitCode).toBe(0);
    await stage(sb, { 'src/app.js': 'export const a = 1;\nconsole.log(a);\n' });
    fake.reply(
      report('fail', 'Debug output.', [{ file: 'src/app.js', line: 2, severity: 'error', message: 'Remove the console.log.' }]),
      toolCalls([{ name: 'Read', arguments: { file_path: 'src/app.js' } }]),
      toolCalls([{ name: 'Edit', arguments: { file_path: 'src/app.js', old_string: 'console.log(a);\n', new_string: 'export const b = a;\n' } }]),
      text('Replaced the log.'),
      report('pass', 'Fine.'),
    );
    const r = await git(sb, ['commit', '-m', 'use a']);
    expect(r.exitCode).toBe(0);
    expect(await commitCount(sb)).toBe(2);
    expect((await git(sb, ['show', 'HEAD:src/app.js'])).stdout).toBe('export const a = 1;\nexport const b = a;');
    expect((await git(sb, ['status', '--porcelain'])).stdout).toBe('');
    expect(fake.requests).toHaveLength(5);
  });

  it('GLM_SKIP_REVIEW=1 skips the review', async () => {
    await runGlm(sb, ['hook', 'install']);
    await stage(sb, { 'src/app.js': 'export const a = 5;\n' });
    const r = await git(sb, ['commit', '-m', 'five'], { GLM_SKIP_REVIEW: '1' });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('skipped (GLM_SKIP_REVIEW is set)');
    expect(fake.requests).toHaveLength(0);
  });

  it('finds glm through the recorded paths even with a minimal PATH', async () => {
    await runGlm(sb, ['hook', 'install']);
    await stage(sb, { 'src/app.js': 'export const a = 6;\n' });
    fake.reply(report('pass', 'Fine.'));
    const r = await git(sb, ['commit', '-m', 'six'], { PATH: '/usr/bin:/bin' });
    expect(r.exitCode).toBe(0);
    expect(fake.requests).toHaveLength(1);
  });

  it('chains an existing hook (it runs first), is idempotent, and uninstall restores it', async () => {
    const original = '#!/bin/sh\necho "old hook ran" >&2\n[ -f .git/block ] && exit 1\nexit 0\n';
    await writeFile(path.join(hooks, 'pre-commit'), original);
    await chmod(path.join(hooks, 'pre-commit'), 0o755);
    const install = await runGlm(sb, ['hook', 'install']);
    expect(install.stdout).toMatch(/kept your existing pre-commit hook: it runs first/);
    expect((await runGlm(sb, ['hook', 'install'])).exitCode).toBe(0);
    expect(await readFile(path.join(hooks, 'pre-commit.glm-chained'), 'utf8')).toBe(original);

    await stage(sb, { 'src/app.js': 'export const a = 7;\n' });
    fake.reply(report('pass', 'Fine.'));
    const ok = await git(sb, ['commit', '-m', 'seven']);
    expect(ok.exitCode).toBe(0);
    expect(ok.stderr.indexOf('old hook ran')).toBeLessThan(ok.stderr.indexOf('glm review'));

    // The old hook failing stops the commit before any review.
    await writeFile(path.join(sb.repo, '.git', 'block'), '');
    await stage(sb, { 'src/app.js': 'export const a = 8;\n' });
    expect((await git(sb, ['commit', '-m', 'eight'])).exitCode).not.toBe(0);
    expect(fake.requests).toHaveLength(1);

    expect((await runGlm(sb, ['hook', 'status'])).stdout).toMatch(/pre-commit: installed by glm \(--fail-on error\); your previous hook runs first/);
    const un = await runGlm(sb, ['hook', 'uninstall']);
    expect(un.stdout).toMatch(/restored your previous one/);
    expect(await readFile(path.join(hooks, 'pre-commit'), 'utf8')).toBe(original);
    expect(await exists(path.join(hooks, 'pre-commit.glm-chained'))).toBe(false);
  });

  it('installs into core.hooksPath (husky style) and uninstalls from there', async () => {
    await git(sb, ['config', 'core.hooksPath', '.husky']);
    const r = await runGlm(sb, ['hook', 'install']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/installed pre-commit hook in \.husky/);
    expect(await exists(path.join(sb.repo, '.husky', 'pre-commit'))).toBe(true);
    expect(await exists(path.join(hooks, 'pre-commit'))).toBe(false);
    expect((await runGlm(sb, ['hook', 'status'])).stdout).toMatch(/hooks folder: \.husky \(core\.hooksPath = \.husky\)/);

    await stage(sb, { 'src/app.js': 'export const a = 9;\n' });
    fake.reply(report('fail', 'Bad.', [{ file: 'src/app.js', line: 1, severity: 'error', message: 'Wrong value.' }]));
    expect((await git(sb, ['commit', '-m', 'nine'])).exitCode).not.toBe(0);

    await runGlm(sb, ['hook', 'uninstall']);
    expect(await exists(path.join(sb.repo, '.husky', 'pre-commit'))).toBe(false);
  });

  it('refuses to take over a hook managed by a hook manager unless --force', async () => {
    await writeFile(path.join(hooks, 'pre-commit'), '#!/bin/sh\n# File generated by pre-commit: https://pre-commit.com\nexit 0\n');
    await chmod(path.join(hooks, 'pre-commit'), 0o755);
    const r = await runGlm(sb, ['hook', 'install']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`glm: ${path.join(hooks, 'pre-commit')} is managed by the pre-commit framework`);
    expect(await exists(path.join(hooks, 'pre-commit.glm-chained'))).toBe(false);
    expect((await runGlm(sb, ['hook', 'install', '--force'])).exitCode).toBe(0);
    expect(await exists(path.join(hooks, 'pre-commit.glm-chained'))).toBe(true);
  });

  it('warns before installing into a tracked hooks folder, and into a global core.hooksPath', async () => {
    await stage(sb, { '.githooks/README': 'Our hooks.\n' });
    await git(sb, ['commit', '-qm', 'hooks folder']);
    await git(sb, ['config', 'core.hooksPath', '.githooks']);
    const tracked = await runGlm(sb, ['hook', 'install']);
    expect(tracked.exitCode).toBe(0);
    const folder = path.join(await realpath(sb.repo), '.githooks');
    expect(tracked.stderr).toContain(`glm: warning: ${folder} is tracked in this repository`);
    expect(tracked.stdout).toMatch(/installed pre-commit hook in \.githooks/);
    await git(sb, ['config', '--unset', 'core.hooksPath']);

    const global = path.join(sb.home, 'githooks');
    await git(sb, ['config', '--global', 'core.hooksPath', global]);
    const r = await runGlm(sb, ['hook', 'install']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`glm: warning: core.hooksPath is set in your global git config, so ${global} holds the hooks of every repository without its own`);
    expect(r.stderr).not.toContain('is tracked');
    expect(await exists(path.join(global, 'pre-commit'))).toBe(true);
    // Nothing to warn about in .git/hooks.
    await git(sb, ['config', '--global', '--unset', 'core.hooksPath']);
    expect((await runGlm(sb, ['hook', 'install'])).stderr).toBe('');
  });

  it('warns when the repository is set up for a hook manager that would take the hooks over later', async () => {
    await stage(sb, { 'lefthook.yml': 'pre-commit:\n  commands: {}\n' });
    const lefthook = await runGlm(sb, ['hook', 'install']);
    expect(lefthook.exitCode).toBe(0);
    expect(lefthook.stderr).toBe('glm: warning: this repository is set up for lefthook (lefthook.yml): once it is installed, git no longer runs this hook; run `glm review --staged` from lefthook.yml instead (see docs/git-hooks.md)');
    await runGlm(sb, ['hook', 'uninstall']);
    await rm(path.join(sb.repo, 'lefthook.yml'));
    await stage(sb, { '.husky/pre-commit': 'npm test\n' });
    expect((await runGlm(sb, ['hook', 'install'])).stderr).toMatch(/^glm: warning: this repository is set up for husky \(\.husky\/\): .* from \.husky\/pre-commit instead/);
  });

  it('prepare-commit-msg fills an empty message and leaves written ones alone', async () => {
    await runGlm(sb, ['hook', 'install', '--commit-msg']);
    await stage(sb, { 'src/app.js': 'export const a = 10;\n' });
    fake.reply(report('pass', 'Fine.'), text('fix(app): set a to ten\n\nThe old value broke the demo.'));
    const r = await git(sb, ['commit']);
    expect(r.exitCode).toBe(0);
    expect((await git(sb, ['log', '-1', '--format=%B'])).stdout.trim()).toBe('fix(app): set a to ten\n\nThe old value broke the demo.');

    await stage(sb, { 'src/app.js': 'export const a = 11;\n' });
    fake.reply(report('pass', 'Fine.'));
    expect((await git(sb, ['commit', '-m', 'chore: mine'])).exitCode).toBe(0);
    expect((await git(sb, ['log', '-1', '--format=%s'])).stdout.trim()).toBe('chore: mine');
    expect(fake.requests).toHaveLength(3);
  });
});
