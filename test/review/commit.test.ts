// `glm commit`: a Conventional Commits message from the staged diff, committed through git (hooks run) or only
// printed with --dry-run. The built binary against the fake GLM server in temp repos.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';
import { commitCount, git, GIT_ID, stage, userSettings, userText, writeFiles } from './support.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('glm commit', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox({ 'src/parse.js': 'export const parse = (s) => JSON.parse(s);\n' }, fake.url);
    sb.env = { ...sb.env, ...GIT_ID };
  });

  it('--dry-run prints the message from the staged diff and commits nothing', async () => {
    await stage(sb, { 'src/parse.js': 'export const parse = (s) => (s ? JSON.parse(s) : null);\n' });
    fake.reply((body) => {
      expect(userText(body)).toContain('+export const parse = (s) => (s ? JSON.parse(s) : null);');
      expect(userText(body)).toContain('- init');
      return text('```\nfix(parse): return null for empty input\n\nJSON.parse threw on the empty string.\n```');
    });
    const r = await runGlm(sb, ['commit', '--dry-run']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('fix(parse): return null for empty input\n\nJSON.parse threw on the empty string.');
    expect(await commitCount(sb)).toBe(1);
  });

  it('commits with the message through git, so the hooks run', async () => {
    const hook = path.join(sb.repo, '.git', 'hooks', 'pre-commit');
    await writeFile(hook, '#!/bin/sh\necho "user hook ran" > .git/hook-ran\n');
    await chmod(hook, 0o755);
    await stage(sb, { 'src/parse.js': 'export const parse = (s) => JSON.parse(s || "null");\n' });
    fake.reply(text('fix(parse): accept empty input'));
    const r = await runGlm(sb, ['commit']);
    expect(r.exitCode).toBe(0);
    expect((await git(sb, ['log', '-1', '--format=%B'])).stdout.trim()).toBe('fix(parse): accept empty input');
    expect((await git(sb, ['cat-file', '-e', 'HEAD:src/parse.js'])).exitCode).toBe(0);
    expect(await readFile(path.join(sb.repo, '.git', 'hook-ran'), 'utf8')).toContain('user hook ran');
  });

  it('asks again when the subject is not Conventional Commits or too long', async () => {
    await stage(sb, { 'src/parse.js': 'export const parse = (s) => JSON.parse(s.trim());\n' });
    fake.reply(text('Trim the input before parsing it so that whitespace around JSON documents no longer breaks parse'), (body) => {
      expect(body.messages.at(-1).content).toMatch(/does not fit: .*Conventional Commits/);
      return text('fix(parse): trim input before parsing');
    });
    const r = await runGlm(sb, ['commit', '--dry-run']);
    expect(r.stdout).toBe('fix(parse): trim input before parsing');
    expect(fake.requests).toHaveLength(2);
  });

  it('-a includes tracked changes without staging first', async () => {
    await writeFiles(sb, { 'src/parse.js': 'export const parse = (s) => JSON.parse(String(s));\n' });
    fake.reply((body) => {
      expect(userText(body)).toContain('JSON.parse(String(s))');
      return text('fix(parse): accept non-string input');
    });
    const r = await runGlm(sb, ['commit', '-a']);
    expect(r.exitCode).toBe(0);
    expect(await commitCount(sb)).toBe(2);
    expect((await git(sb, ['status', '--porcelain'])).stdout).toBe('');
  });

  it('says so when nothing is staged, and when the endpoint fails', async () => {
    const none = await runGlm(sb, ['commit']);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toMatch(/nothing staged to commit/);
    await stage(sb, { 'src/parse.js': 'export const parse = JSON.parse;\n' });
    await userSettings(sb, { maxRetries: 0 });
    const down = await runGlm(sb, ['commit', '--dry-run'], { env: { GLM_BASE_URL: 'http://127.0.0.1:9/api/paas/v4' } });
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toMatch(/^glm: could not write a commit message: /);
    expect(await commitCount(sb)).toBe(1);
  });
});
