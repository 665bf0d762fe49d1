// `glm review` end to end: the built binary in temp git repos against the fake GLM server. What a user checks:
// the findings printed, the exit code, the JSON verdict, what the model was shown, and what it cost.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';
import { git, report, stage, systemText, userText, writeFiles } from './support.ts';

/** A local port nothing listens on: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const project = {
  'src/app.js': 'export function greet(name) {\n  return `hello ${name}`;\n}\n',
  'src/util.js': 'export const id = (x) => x;\n',
  'AGENTS.md': '# Notes\nUse ES modules.\n',
  '.glm/review.md': '- No console.log in src/.\n',
};

const debugLine = 'export function greet(name) {\n  console.log(name);\n  return `hello ${name}`;\n}\n';

describe('glm review', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox(project, fake.url);
  });

  it('prints blocking findings as file:line severity message and exits 1', async () => {
    await stage(sb, { 'src/app.js': debugLine });
    fake.reply((body) => {
      expect(userText(body)).toContain('+  console.log(name);');
      expect(systemText(body)).toContain('No console.log in src/.');
      expect(systemText(body)).toContain('Use ES modules.');
      expect(body.tools.map((t: { function: { name: string } }) => t.function.name).sort()).toEqual(['Glob', 'Grep', 'LS', 'Read', 'ReportReview']);
      return report('fail', 'Leaves a debug log in greet.', [
        { file: 'src/app.js', line: 2, severity: 'error', message: 'console.log left in src/ (team rule).' },
        { file: 'src/app.js', line: 1, severity: 'info', message: 'Consider a doc comment.' },
      ]);
    });
    const r = await runGlm(sb, ['review']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    const lines = String(r.stderr).split('\n');
    expect(lines[0]).toBe('src/app.js:2 error console.log left in src/ (team rule).');
    expect(lines[1]).toBe('src/app.js:1 info Consider a doc comment.');
    expect(r.stderr).toMatch(/blocked: 1 error, 1 info \(1 file, \+1 -0\)/);
    // The report ends the review: no closing request after ReportReview.
    expect(fake.requests).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });

  it('passes warnings below --fail-on and blocks them at --fail-on warning', async () => {
    await stage(sb, { 'src/app.js': debugLine });
    const warn = report('pass', 'Fine.', [{ file: 'src/app.js', line: 2, severity: 'warning', message: 'Debug output.' }]);
    fake.reply(warn);
    const pass = await runGlm(sb, ['review', '--no-cache']);
    expect(pass.exitCode).toBe(0);
    expect(pass.stderr).toContain('src/app.js:2 warning Debug output.');
    fake.reply(warn);
    const block = await runGlm(sb, ['review', '--no-cache', '--fail-on', 'warning']);
    expect(block.exitCode).toBe(1);
  });

  it('prints one JSON verdict with counts, usage and duration', async () => {
    await stage(sb, { 'src/app.js': debugLine, 'src/new.js': 'export const two = 2;\n' });
    fake.reply(report('pass', 'Small, safe change.'));
    const r = await runGlm(sb, ['review', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(String(r.stdout));
    expect(out).toMatchObject({ verdict: 'pass', summary: 'Small, safe change.', findings: [], reviewed: { files: 2, additions: 2, deletions: 0 }, cached: false });
    expect(out.usage.input_tokens).toBeGreaterThan(0);
    expect(typeof out.duration_ms).toBe('number');
  });

  it('serves the same staged change from the cache without a request', async () => {
    await stage(sb, { 'src/app.js': debugLine });
    fake.reply(report('fail', 'Debug log.', [{ file: 'src/app.js', line: 2, severity: 'error', message: 'Remove it.' }]));
    const first = await runGlm(sb, ['review', '--output-format', 'json']);
    expect(first.exitCode).toBe(1);
    const second = await runGlm(sb, ['review', '--output-format', 'json']);
    expect(second.exitCode).toBe(1);
    expect(fake.requests).toHaveLength(1);
    const out = JSON.parse(String(second.stdout));
    expect(out).toMatchObject({ verdict: 'fail', cached: true, findings: [{ file: 'src/app.js', line: 2, severity: 'error', message: 'Remove it.' }] });
    expect(out.usage.input_tokens).toBe(0);
    // Changing the team rules changes the key: the next run asks again.
    await writeFiles(sb, { '.glm/review.md': '- No console.log in src/.\n- Name things well.\n' });
    fake.reply(report('pass', 'Ok.'));
    const third = await runGlm(sb, ['review', '--output-format', 'json']);
    expect(JSON.parse(String(third.stdout)).cached).toBe(false);
    expect(fake.requests).toHaveLength(2);
  });

  it('lets the model read context with the read-only tools before reporting', async () => {
    await stage(sb, { 'src/app.js': 'import { id } from "./util.js";\nexport const greet = (n) => id(n);\n' });
    fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'src/util.js' } }]), (body) => {
      expect(body.messages.at(-1).content).toContain('export const id');
      return report('pass', 'Uses id correctly.');
    });
    const r = await runGlm(sb, ['review']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/passed: no findings/);
    expect(fake.requests).toHaveLength(2);
  });

  it('asks once more when the model ends without ReportReview', async () => {
    await stage(sb, { 'src/app.js': debugLine });
    fake.reply(text('Looks fine to me.'), (body) => {
      expect(body.messages.at(-1).content).toMatch(/without calling ReportReview/);
      return report('pass', 'Fine.');
    });
    const r = await runGlm(sb, ['review']);
    expect(r.exitCode).toBe(0);
    expect(fake.requests).toHaveLength(2);
  });

  it('counts a review the model never reports as not done: fail-open, or exit 4 with --strict', async () => {
    await stage(sb, { 'src/app.js': debugLine });
    fake.reply(text('Fine.'), text('Still fine.'));
    const open = await runGlm(sb, ['review']);
    expect(open.exitCode).toBe(0);
    expect(String(open.stderr).trim().split('\n')).toHaveLength(1);
    expect(open.stderr).toMatch(/warning: could not review the change \(the model ended twice without calling ReportReview\)/);
    fake.reply(text('Fine.'), text('Still fine.'));
    const strict = await runGlm(sb, ['review', '--strict']);
    expect(strict.exitCode).toBe(4);
  });

  it('fails open at once when the endpoint is down (no retries), and --strict blocks', async () => {
    await stage(sb, { 'src/app.js': debugLine });
    const down = { GLM_BASE_URL: `http://127.0.0.1:${await closedPort()}/api/paas/v4` };
    const r = await runGlm(sb, ['review', '--output-format', 'json'], { env: down });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout))).toMatchObject({ verdict: 'not_done', cached: false });
    expect(r.stderr).toMatch(/^glm review: warning: could not review the change \(.+could not connect.+\); not blocking the commit/);
    expect(r.stderr).not.toMatch(/retr(y|ies)/);
    const strict = await runGlm(sb, ['review', '--strict'], { env: down });
    expect(strict.exitCode).toBe(4);
  });

  it('fails open without an API key instead of a usage error', async () => {
    await stage(sb, { 'src/app.js': debugLine });
    const r = await runGlm(sb, ['review'], { env: { GLM_API_KEY: '' } });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/could not review the change \(No API key/);
    expect(fake.requests).toHaveLength(0);
  });

  it('bounds the whole review with --timeout', async () => {
    await stage(sb, { 'src/app.js': debugLine });
    fake.reply(text('thinking '.repeat(200), { chunkSize: 4, delayMs: 50 }));
    const r = await runGlm(sb, ['review', '--timeout', '1', '--strict']);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/timed out after 1 s/);
  });

  it('skips and lists lockfiles, binaries and .glm/review-ignore matches', async () => {
    await writeFiles(sb, { '.glm/review-ignore': 'fixtures/\n' });
    await stage(sb, {
      'src/app.js': debugLine,
      'package-lock.json': '{"lockfileVersion": 3}\n',
      'fixtures/big.txt': 'data\n',
      'dist/app.min.js': 'var a=1;\n',
    });
    await writeFiles(sb, { 'logo.png': '\x89PNG\r\n\x1a\n\0\0\0IHDR' });
    await git(sb, ['add', 'logo.png']);
    fake.reply((body) => {
      const prompt = userText(body);
      expect(prompt).toContain('src/app.js');
      expect(prompt).not.toContain('lockfileVersion');
      expect(prompt).toMatch(/Not shown and not to be reviewed: .*package-lock.json \(lockfile\)/);
      return report('pass', 'Fine.');
    });
    const r = await runGlm(sb, ['review', '--output-format', 'json']);
    const out = JSON.parse(String(r.stdout));
    expect(out.reviewed.files).toBe(1);
    expect(out.skipped).toEqual(
      expect.arrayContaining([
        { file: 'package-lock.json', reason: 'lockfile' },
        { file: 'logo.png', reason: 'binary' },
        { file: 'fixtures/big.txt', reason: 'matches .glm/review-ignore' },
        { file: 'dist/app.min.js', reason: 'minified or generated' },
      ]),
    );
  });

  it('reviews a commit range and working-tree paths (untracked files included)', async () => {
    await stage(sb, { 'src/app.js': debugLine });
    await git(sb, ['commit', '-qm', 'debug']);
    fake.reply((body) => {
      expect(userText(body)).toContain('+  console.log(name);');
      return report('pass', 'Ok.');
    });
    expect((await runGlm(sb, ['review', '--range', 'HEAD~1..HEAD'])).exitCode).toBe(0);
    await writeFiles(sb, { 'src/util.js': 'export const id = (x) => x; // changed\n', 'src/fresh.js': 'export const fresh = true;\n' });
    fake.reply((body) => {
      expect(userText(body)).toContain('+export const id = (x) => x; // changed');
      expect(userText(body)).toContain('+export const fresh = true;');
      expect(userText(body)).toContain('working-tree changes');
      return report('pass', 'Ok.');
    });
    expect((await runGlm(sb, ['review', 'src/'])).exitCode).toBe(0);
  });

  it('reviews the first commit of a new repository', async () => {
    await git(sb, ['update-ref', '-d', 'HEAD']);
    fake.reply((body) => {
      expect(userText(body)).toContain('+export const id = (x) => x;');
      return report('pass', 'Initial import.');
    });
    const r = await runGlm(sb, ['review', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout)).reviewed.files).toBe(4);
  });

  it('says there is nothing to review when nothing is staged', async () => {
    const r = await runGlm(sb, ['review', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout))).toMatchObject({ verdict: 'pass', reviewed: { files: 0 } });
    expect(fake.requests).toHaveLength(0);
  });

  it('rejects bad flags with exit 2', async () => {
    expect((await runGlm(sb, ['review', '--fail-on', 'fatal'])).exitCode).toBe(2);
    expect((await runGlm(sb, ['review', '--range', 'a..b', 'src/'])).exitCode).toBe(2);
    expect((await runGlm(sb, ['review', '--range', 'nope..HEAD'])).exitCode).toBe(2);
    expect((await runGlm(sb, ['review', '--fix', 'src/'])).exitCode).toBe(2);
  });

  it('--fix edits the flagged staged file, re-stages it and reviews again; files with unstaged changes are left alone', async () => {
    await stage(sb, { 'src/app.js': debugLine, 'src/util.js': 'export const id = (x) => { console.log(x); return x; };\n' });
    await writeFiles(sb, { 'src/util.js': 'export const id = (x) => { console.log(x); return x; }; // wip\n' });
    fake.reply(
      report('fail', 'Debug logs.', [
        { file: 'src/app.js', line: 2, severity: 'error', message: 'Remove console.log.' },
        { file: 'src/util.js', line: 1, severity: 'error', message: 'Remove console.log.' },
      ]),
      (body) => {
        expect(userText(body)).toContain('You may edit only: src/app.js.');
        return toolCalls([{ name: 'Read', arguments: { file_path: 'src/app.js' } }]);
      },
      toolCalls([{ name: 'Edit', arguments: { file_path: 'src/app.js', old_string: '  console.log(name);\n', new_string: '' } }]),
      text('Removed the log from src/app.js.'),
      (body) => {
        expect(userText(body)).not.toContain('console.log(name)');
        return report('fail', 'One log left.', [{ file: 'src/util.js', line: 1, severity: 'error', message: 'Remove console.log.' }]);
      },
    );
    const r = await runGlm(sb, ['review', '--fix', '--output-format', 'json']);
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(String(r.stdout));
    expect(out.fix).toEqual({ fixed: ['src/app.js'], untouched: [{ file: 'src/util.js', reason: 'it also has unstaged changes' }] });
    expect(await readFile(path.join(sb.repo, 'src/app.js'), 'utf8')).toBe(project['src/app.js']);
    expect((await git(sb, ['diff', '--cached', '--', 'src/app.js'])).stdout).toBe('');
    expect((await git(sb, ['diff', '--', 'src/app.js'])).stdout).toBe('');
    expect(await readFile(path.join(sb.repo, 'src/util.js'), 'utf8')).toContain('// wip');
    expect(fake.requests).toHaveLength(5);
  });
});
