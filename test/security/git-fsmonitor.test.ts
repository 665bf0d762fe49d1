// glm's own git commands run no program a repository's .git folder names: core.fsmonitor, hooks such as
// post-index-change, gpg.program through log.showSignature. Each trap writes a marker outside the repository;
// `glm -p`, review (with --fix), commit and hook must leave none. The user's own commit still runs their hooks.
import { execa } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';
import { git, GIT_ID, report, stage, systemText } from '../review/support.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const app = 'export function greet(name) {\n  return `hello ${name}`;\n}\n';
const debug = 'export function greet(name) {\n  console.log(name);\n  return `hello ${name}`;\n}\nexport const one = 1;\n';

async function script(file: string, body: string): Promise<void> {
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
}

/**
 * Sets the traps in the repository's own config and hooks (after the test's setup, whose git calls would spring
 * them): each writes `<name>-ran` beside the repository. Returns what ran so far.
 */
async function setTraps(sb: Sandbox): Promise<() => Promise<string[]>> {
  const outside = path.dirname(sb.repo);
  const marker = (name: string) => `echo "$@" >> '${path.join(outside, `${name}-ran`)}'`;
  await script(path.join(outside, 'fsmonitor.sh'), marker('fsmonitor'));
  await script(path.join(outside, 'gpg.sh'), `${marker('gpg')}\nexit 1`);
  await script(path.join(sb.repo, '.git', 'hooks', 'post-index-change'), marker('post-index-change'));
  await script(path.join(sb.repo, '.git', 'hooks', 'pre-commit'), marker('pre-commit'));
  // A signed commit on top, so that `git log` with log.showSignature would call gpg.program.
  const tree = (await git(sb, ['rev-parse', 'HEAD^{tree}'])).stdout.trim();
  const parent = (await git(sb, ['rev-parse', 'HEAD'])).stdout.trim();
  const signed = `tree ${tree}\nparent ${parent}\nauthor t <t@t> 1700000000 +0000\ncommitter t <t@t> 1700000000 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\n\nsigned\n`;
  const hashed = await execa('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: sb.repo, input: signed });
  await git(sb, ['update-ref', 'refs/heads/main', hashed.stdout.trim()]);
  await git(sb, ['config', 'core.fsmonitor', path.join(outside, 'fsmonitor.sh')]);
  await git(sb, ['config', 'log.showSignature', 'true']);
  await git(sb, ['config', 'gpg.program', path.join(outside, 'gpg.sh')]);
  return async () => (await readdir(outside)).filter((f) => f.endsWith('-ran')).sort();
}

describe("glm's own git commands", () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox({ 'src/app.js': app }, fake.url);
    sb.env = { ...sb.env, ...GIT_ID };
  });

  it('the traps work: plain git springs them (so the tests below mean something)', async () => {
    const ran = await setTraps(sb);
    await git(sb, ['status']);
    await git(sb, ['log', '-n', '1', '--format=%s']);
    expect(await ran()).toEqual(['fsmonitor-ran', 'gpg-ran', 'post-index-change-ran']);
  });

  it('glm -p in plan mode: git status for the environment block runs no fsmonitor or hook', async () => {
    const ran = await setTraps(sb);
    fake.reply((body) => {
      expect(systemText(body)).toMatch(/branch main/);
      return text('hello');
    });
    const r = await runGlm(sb, ['-p', 'hi', '--permission-mode', 'plan']);
    expect(r.exitCode).toBe(0);
    expect(await ran()).toEqual([]);
  });

  it('glm review --fix re-staging with git add, and glm review', async () => {
    await stage(sb, { 'src/app.js': debug });
    const ran = await setTraps(sb);
    fake.reply(
      report('fail', 'A debug log.', [{ file: 'src/app.js', line: 2, severity: 'error', message: 'Remove console.log.' }]),
      toolCalls([{ name: 'Read', arguments: { file_path: 'src/app.js' } }]),
      toolCalls([{ name: 'Edit', arguments: { file_path: 'src/app.js', old_string: '  console.log(name);\n', new_string: '' } }]),
      text('Removed it.'),
      report('pass', 'Fine now.'),
    );
    const r = await runGlm(sb, ['review', '--fix', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout)).fix).toMatchObject({ fixed: ['src/app.js'] });
    expect(await ran()).toEqual([]);

    expect(fake.requests).toHaveLength(5);

    await writeFile(path.join(sb.repo, 'src', 'new.js'), 'export const two = 2;\n');
    fake.reply(report('pass', 'Fine.'));
    expect((await runGlm(sb, ['review', 'src/'])).exitCode).toBe(0);
    expect(fake.requests).toHaveLength(6);
    expect(await ran()).toEqual([]);
  });

  it('glm commit: the message is written without springing anything; the commit runs the user hooks it means to', async () => {
    await stage(sb, { 'src/app.js': debug });
    const ran = await setTraps(sb);
    fake.reply(text('feat(app): log the name'));
    expect((await runGlm(sb, ['commit', '--dry-run'])).exitCode).toBe(0);
    expect(await ran()).toEqual([]);

    fake.reply(text('feat(app): log the name'));
    expect((await runGlm(sb, ['commit'])).exitCode).toBe(0);
    expect((await git(sb, ['-c', 'log.showSignature=false', 'log', '-1', '--format=%s'])).stdout).toBe('feat(app): log the name');
    const after = await ran();
    expect(after).toContain('pre-commit-ran');
    expect(after).not.toContain('fsmonitor-ran');
    expect(after).not.toContain('gpg-ran');
  });

  it('glm hook status and install find the real hooks folder and spring nothing', async () => {
    const ran = await setTraps(sb);
    const status = await runGlm(sb, ['hook', 'status']);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/^hooks folder: \.git[/\\]hooks\n/);
    expect((await runGlm(sb, ['hook', 'install', '--force'])).exitCode).toBe(0);
    expect(await ran()).toEqual([]);
  });
});

describe('every git call in src/', () => {
  it('builds its argv with gitArgv (src/git-args.ts)', () => {
    const root = path.resolve(import.meta.dirname, '../../src');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f));
    const calls = files.flatMap((f) => [...readFileSync(path.join(root, f), 'utf8').matchAll(/\b(?:spawn|spawnSync|execFile|execFileSync|execa|execaSync)\(\s*['"`]git['"`]\s*,\s*([^,]*)/g)].map((m) => ({ f, args: m[1] })));
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.filter((c) => !c.args.startsWith('gitArgv('))).toEqual([]);
    // No shell strings or simple-git around it either.
    const other = files.filter((f) => /simple-git|\bexec(?:Sync)?\(\s*['"`]git /.test(readFileSync(path.join(root, f), 'utf8')));
    expect(other).toEqual([]);
  });
});
