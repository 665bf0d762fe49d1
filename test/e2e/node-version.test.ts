// bin/glm.js refuses a Node older than package.json's engines field in one line (exit 2) before loading anything:
// an older Node would start and then fail deep inside a tool. Run with the machine's own old Node when it has one,
// and with this Node told it is a version just below or at the minimum.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GLM_BIN, makeSandbox } from '../support/run-glm.ts';

const engines: string = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')).engines.node;
const [major, minor] = /(\d+)\.(\d+)/.exec(engines)!.slice(1).map(Number);

/** A `node` on PATH (outside node_modules) older than the minimum: the machine's own Node, if it is that old. */
async function oldNode(): Promise<{ bin: string; version: string } | undefined> {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d && !d.includes('node_modules'));
  for (const dir of dirs) {
    const bin = path.join(dir, 'node');
    const r = await execa(bin, ['--version'], { reject: false });
    const [a, b] = r.stdout.replace(/^v/, '').split('.').map(Number);
    if (r.exitCode === 0 && (a < major || (a === major && b < minor))) return { bin, version: r.stdout };
  }
  return undefined;
}

/** This Node, reporting `version` as its own (process.versions.node and process.version) to bin/glm.js. */
function runAs(version: string, args: string[], cwd: string) {
  const preload = `Object.defineProperty(process.versions, 'node', { value: '${version}' }); Object.defineProperty(process, 'version', { value: 'v${version}' });`;
  return execa(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(preload)}`, GLM_BIN, ...args], { cwd, reject: false, env: { GLM_API_KEY: '' } });
}

describe('a Node older than package.json engines', () => {
  it('is refused in one line naming both versions, exit 2 (the machine\'s own old Node)', async () => {
    const old = await oldNode();
    if (!old) return; // this machine's Node on PATH is new enough: the next test covers the check
    const sb = await makeSandbox();
    const r = await execa(old.bin, [GLM_BIN, '-p', 'hi'], { cwd: sb.repo, env: sb.env, extendEnv: false, reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`glm: needs Node.js ${major}.${minor} or newer (package.json engines "${engines}"); this is ${old.version}`);
  });

  it('is refused just below the minimum, before --version or anything else', async () => {
    const sb = await makeSandbox();
    const r = await runAs(`${major}.${minor - 1}.9`, ['--version'], sb.repo);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`glm: needs Node.js ${major}.${minor} or newer (package.json engines "${engines}"); this is v${major}.${minor - 1}.9`);
  });

  it('is not refused at the minimum itself', async () => {
    const sb = await makeSandbox();
    const r = await runAs(`${major}.${minor}.0`, ['--version'], sb.repo);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/\(glm-code\)$/);
  });
});
