// Installing glm the way a user would from a clone: `npm pack`, then `npm install -g` of the tarball into a fresh
// prefix. The package holds the built dist/ (with the Bash grammar), docs/ and prompts, and no sources or tests;
// the install runs no install script and warns about none; the installed glm answers a prompt and judges a Bash
// command (which needs the grammar from dist/).
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox } from '../support/run-glm.ts';

const root = path.resolve(import.meta.dirname, '../..');
let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());

describe('npm pack, then install the tarball', () => {
  it('ships dist, docs and prompts only, installs without install scripts, and the installed glm runs', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.prepack).toBe('node scripts/build.mjs');
    expect(pkg.dependencies['tree-sitter-bash']).toBeUndefined();

    const out = await mkdtemp(path.join(os.tmpdir(), 'glm-pack-'));
    // dist/ is already built by `npm test`; --ignore-scripts keeps prepack from rebuilding it under other tests.
    const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: root });
    const [info] = JSON.parse(packed.stdout);
    const files: string[] = info.files.map((f: { path: string }) => f.path);
    expect(files).toEqual(expect.arrayContaining(['bin/glm.js', 'dist/glm.cjs', 'dist/tree-sitter-bash.wasm', 'docs/git-hooks.md', 'README.md']));
    expect(files.filter((f) => /^(src|test|tools|bench|scripts)\//.test(f))).toEqual([]);

    const prefix = path.join(out, 'prefix');
    const install = await execa('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', path.join(out, info.filename)], { all: true });
    expect(install.all).not.toMatch(/script/i);
    const installed = path.join(prefix, 'lib/node_modules/glm-code');
    expect(existsSync(path.join(installed, 'node_modules/tree-sitter-bash'))).toBe(false);

    const sb = await makeSandbox({ 'README.md': 'hi\n' }, fake.url);
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo packed-ok' } }]), (body) => text(body.messages.at(-1).content.trim()));
    const r = await execa(process.execPath, [path.join(installed, 'bin/glm.js'), '-p', 'run it', '--allowedTools', 'Bash(echo:*)'], {
      cwd: sb.repo,
      env: sb.env,
      extendEnv: false,
      reject: false,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('packed-ok');
  }, 240_000);
});
