// The hook manager recipes of docs/git-hooks.md, run by the real tools: husky 9.1.7 and lefthook 2.2.1 (dev
// dependencies) and the pre-commit framework (Debian's 3.0.4, installed by .ci/run). Each recipe is read from the
// docs, so what is tested is what users copy: a finding blocks the commit, and without glm on PATH it fails open.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, type FakeGlm } from '../support/fake-glm-server.ts';
import { GLM_BIN, makeSandbox, type Sandbox } from '../support/run-glm.ts';
import { commitCount, git, report, stage, writeFiles } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'node_modules', '.bin');
/** PATH without glm: git, sh and python live in /usr/bin and /bin. */
const BASE_PATH = '/usr/bin:/bin';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** The first fenced block under the `### heading` of docs/git-hooks.md. */
async function recipe(heading: string): Promise<string> {
  const doc = await readFile(path.join(ROOT, 'docs', 'git-hooks.md'), 'utf8');
  const at = doc.indexOf(`### ${heading}\n`);
  expect(at, `docs/git-hooks.md has no "### ${heading}" section`).toBeGreaterThanOrEqual(0);
  const block = /```\w*\n([\s\S]*?)```/.exec(doc.slice(at));
  return block![1]!;
}

/** A tool the test needs, with what to do when it is missing (never a silent skip). */
function tool(file: string, install: string): string {
  if (!existsSync(file)) throw new Error(`${file} is missing: ${install}`);
  return file;
}

/** A sandbox repo with glm on a PATH of its own (a wrapper script, as a global install would put there). */
async function sandbox(): Promise<{ sb: Sandbox; withGlm: string }> {
  const sb = await makeSandbox({ 'src/app.js': 'export const a = 1;\n' }, fake.url);
  const bin = path.join(sb.home, 'bin');
  await mkdir(bin);
  await writeFile(path.join(bin, 'glm'), `#!/bin/sh\nexec '${process.execPath}' '${GLM_BIN}' "$@"\n`);
  await chmod(path.join(bin, 'glm'), 0o755);
  sb.env.PATH = BASE_PATH;
  return { sb, withGlm: `${bin}:${BASE_PATH}` };
}

/** The recipe's contract: a finding blocks the commit; without glm on PATH the commit lands with one warning. */
async function checkRecipe(sb: Sandbox, withGlm: string, expectWarning = true): Promise<void> {
  await stage(sb, { 'src/app.js': 'export const a = 1;\nconsole.log(a);\n' });
  fake.reply(report('fail', 'Debug output.', [{ file: 'src/app.js', line: 2, severity: 'error', message: 'Remove the console.log.' }]));
  const before = await commitCount(sb);
  const blocked = await git(sb, ['commit', '-m', 'add log'], { PATH: withGlm });
  expect(blocked.exitCode, blocked.stdout + blocked.stderr).not.toBe(0);
  expect(blocked.stdout + blocked.stderr).toContain('src/app.js:2 error Remove the console.log.');
  expect(await commitCount(sb)).toBe(before);
  expect(fake.requests).toHaveLength(1);

  const open = await git(sb, ['commit', '-m', 'add log'], { PATH: BASE_PATH });
  expect(open.exitCode, open.stdout + open.stderr).toBe(0);
  if (expectWarning) expect(open.stdout + open.stderr).toContain('glm not found; skipping review');
  expect(await commitCount(sb)).toBe(before + 1);
  expect(fake.requests).toHaveLength(1);
}

describe('hook manager recipes (docs/git-hooks.md) with the real tools', () => {
  it('husky 9: .husky/pre-commit blocks on a finding and fails open without glm', async () => {
    const husky = tool(path.join(BIN, 'husky'), 'add the devDependency "husky": "9.1.7" (npm install -D -E husky@9.1.7)');
    const { sb, withGlm } = await sandbox();
    const installed = await execa(process.execPath, [husky], { cwd: sb.repo, env: sb.env, extendEnv: false, reject: false });
    expect(installed.exitCode, installed.stderr).toBe(0);
    await writeFiles(sb, { '.husky/pre-commit': await recipe('husky') });
    await git(sb, ['add', '.husky/pre-commit']);
    expect((await git(sb, ['commit', '--no-verify', '-m', 'husky'])).exitCode).toBe(0);
    expect((await git(sb, ['config', 'core.hooksPath'])).stdout.trim()).toBe('.husky/_');
    await checkRecipe(sb, withGlm);
  });

  it('lefthook 2: lefthook.yml blocks on a finding and fails open without glm', async () => {
    const lefthook = tool(path.join(BIN, 'lefthook'), 'add the devDependency "lefthook": "2.2.1" (npm install -D -E lefthook@2.2.1)');
    const { sb, withGlm } = await sandbox();
    await writeFiles(sb, { 'lefthook.yml': await recipe('lefthook') });
    const installed = await execa(process.execPath, [lefthook, 'install'], { cwd: sb.repo, env: sb.env, extendEnv: false, reject: false });
    expect(installed.exitCode, installed.stdout + installed.stderr).toBe(0);
    await git(sb, ['add', 'lefthook.yml']);
    expect((await git(sb, ['commit', '--no-verify', '-m', 'lefthook'])).exitCode).toBe(0);
    await checkRecipe(sb, withGlm);
  });

  it('the pre-commit framework (3.0.4): .pre-commit-config.yaml blocks on a finding and fails open without glm', async () => {
    const which = await execa('sh', ['-c', 'command -v pre-commit'], { reject: false });
    const preCommit = tool(which.stdout.trim() || '/usr/bin/pre-commit', 'install the pre-commit framework (Debian: apt-get install -y pre-commit; .ci/run does it)');
    const { sb, withGlm } = await sandbox();
    await writeFiles(sb, { '.pre-commit-config.yaml': await recipe('pre-commit (the framework)') });
    const installed = await execa(preCommit, ['install'], { cwd: sb.repo, env: sb.env, extendEnv: false, reject: false });
    expect(installed.exitCode, installed.stdout + installed.stderr).toBe(0);
    await git(sb, ['add', '.pre-commit-config.yaml']);
    expect((await git(sb, ['commit', '--no-verify', '-m', 'pre-commit'])).exitCode).toBe(0);
    await checkRecipe(sb, withGlm);
  });
});
