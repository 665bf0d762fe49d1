// glm's own git commands run no program a repository's .git folder names: core.fsmonitor, hooks such as
// post-index-change, gpg.program through log.showSignature, filter drivers (clean, smudge, process; one defined
// through include.path), diff drivers (textconv, external diff), core.pager. Each trap writes a marker outside the
// repository; `glm -p`, review (with --fix), commit and hook must leave none. The user's own commit still runs
// their hooks.
import { execa } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';
import { git, GIT_ID, report, stage, systemText } from '../review/support.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

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
  // Filter and diff drivers, switched on by attributes: src/*.js through clean/smudge, the rest through a process
  // filter that .git/config only includes. Tracked files with a new mtime make git status run the clean filter.
  await script(path.join(outside, 'clean.sh'), `${marker('clean')}\ncat`);
  await script(path.join(outside, 'smudge.sh'), `${marker('smudge')}\ncat`);
  await script(path.join(outside, 'process.sh'), marker('process'));
  await script(path.join(outside, 'textconv.sh'), `${marker('textconv')}\ncat "$1"`);
  await script(path.join(outside, 'extdiff.sh'), marker('extdiff'));
  await script(path.join(outside, 'pager.sh'), `${marker('pager')}\ncat`);
  await git(sb, ['config', 'filter.x.clean', path.join(outside, 'clean.sh')]);
  await git(sb, ['config', 'filter.x.smudge', path.join(outside, 'smudge.sh')]);
  await writeFile(path.join(sb.repo, '.git', 'more.config'), `[filter "p"]\n\tprocess = ${path.join(outside, 'process.sh')}\n`);
  await git(sb, ['config', 'include.path', 'more.config']);
  await git(sb, ['config', 'diff.y.textconv', path.join(outside, 'textconv.sh')]);
  await git(sb, ['config', 'diff.y.command', path.join(outside, 'extdiff.sh')]);
  await git(sb, ['config', 'core.pager', path.join(outside, 'pager.sh')]);
  await writeFile(path.join(sb.repo, '.git', 'info', 'attributes'), '* filter=p\nsrc/*.js filter=x diff=y\n');
  for (const file of ['src/app.js', 'README.md']) await utimes(path.join(sb.repo, file), new Date(1e12), new Date(1e12));
  return async () => (await readdir(outside)).filter((f) => f.endsWith('-ran')).sort();
}

describe("glm's own git commands", () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox({ 'src/app.js': app, 'README.md': '# app\n' }, fake.url);
    sb.env = { ...sb.env, ...GIT_ID };
  });

  it('the traps work: plain git springs them (so the tests below mean something)', async () => {
    const ran = await setTraps(sb);
    await git(sb, ['status']); // the process filter speaks no protocol: git stops there
    await git(sb, ['log', '-n', '1', '--format=%s']);
    const noProcess = ['-c', 'filter.p.process='];
    await git(sb, [...noProcess, 'status']);
    await writeFile(path.join(sb.repo, 'src', 'app.js'), debug);
    await git(sb, [...noProcess, 'diff']);
    await git(sb, [...noProcess, 'diff', '--no-ext-diff']);
    await git(sb, [...noProcess, 'checkout', '--', 'src/app.js']);
    // (core.pager only runs on a terminal.)
    const all = ['clean', 'extdiff', 'fsmonitor', 'gpg', 'post-index-change', 'process', 'smudge', 'textconv'];
    expect(await ran()).toEqual(all.map((t) => `${t}-ran`));
  });

  it('glm -p in plan mode: git status for the environment block runs no fsmonitor, hook or filter', async () => {
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

    // The user's own commit is theirs: it runs their filters as git commit would, and this process filter, which
    // speaks no protocol, would stop it.
    await git(sb, ['config', '--unset', 'include.path']);
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
