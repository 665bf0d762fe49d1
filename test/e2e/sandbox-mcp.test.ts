// A stdio MCP server with "sandbox": true starts inside the command sandbox (real bwrap): it can write the project but
// not the home folder, and without bwrap it does not start at all. A server without the flag runs as before.
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { text, type FakeGlm } from '../support/fake-glm-server.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';

// Each test starts glm (and bwrap) a few times: slow on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

/** A "server" that writes one file in its working folder and one in $HOME, then waits (it never speaks MCP). */
function writerServer(): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'glm-mcp-writer-')), 'writer.mjs');
  const code = `import fs from 'node:fs';
for (const f of ['inside-file', process.env.HOME + '/home-file']) { try { fs.writeFileSync(f, 'x'); } catch (e) { console.error(e.code); } }
setInterval(() => {}, 1000);`;
  writeFileSync(file, code);
  return file;
}

const config = (server: string, sandbox?: boolean) =>
  JSON.stringify({ mcpServers: { writer: { command: process.execPath, args: [server], ...(sandbox !== undefined && { sandbox }) } } });

describe('"sandbox": true on a stdio MCP server', () => {
  it('runs it sandboxed: the project is writable, the home folder is not', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(text('ok'));
    await runGlm(sb, ['-p', 'hi', '--mcp-config', config(writerServer(), true)], { env: { MCP_TIMEOUT: '2500' } });
    expect(existsSync(path.join(sb.repo, 'inside-file'))).toBe(true);
    expect(existsSync(path.join(sb.home, 'home-file'))).toBe(false);
  });

  it('without the flag the server runs as before', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(text('ok'));
    await runGlm(sb, ['-p', 'hi', '--mcp-config', config(writerServer())], { env: { MCP_TIMEOUT: '2500' } });
    expect(existsSync(path.join(sb.home, 'home-file'))).toBe(true);
  });

  it('without bwrap the server does not start, and says why', async () => {
    const sb = await makeSandbox({}, fake.url);
    const bin = mkdtempSync(path.join(os.tmpdir(), 'glm-nobwrap-'));
    for (const tool of ['git', 'sh']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(bin, tool));
    fake.reply(text('ok'));
    const r = await runGlm(sb, ['-p', 'hi', '--mcp-config', config(writerServer(), true)], { env: { MCP_TIMEOUT: '2500', PATH: bin } });
    expect(r.stderr).toMatch(/MCP server "writer" failed: .*sandbox cannot start: bwrap is not installed/);
    expect(existsSync(path.join(sb.repo, 'inside-file'))).toBe(false);
  });
});
