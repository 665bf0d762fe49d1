// glm -p's early start of stdio MCP servers (src/mcp/spawn.ts), with real child processes: which servers start
// before the MCP client loads (plain stdio ones; not sandboxed ones, ones with an unset variable, or remote ones),
// the environment they get (the SDK's transport's, so the same as a later start), and that each is taken once.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sdkEnvironment, spawnEarly } from '../../src/mcp/spawn.ts';
import type { McpServerEntry } from '../../src/types.ts';
import { NODE } from '../support/mcp-servers.ts';

/** A "server" that writes its environment to env.json in its working directory and waits for stdin to close. */
const dumpEnv = "require('fs').writeFileSync('env.json', JSON.stringify(process.env)); process.stdin.resume();";

describe('spawnEarly', () => {
  it('starts the plain stdio servers at once with the environment a later start gives; the rest start later', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'glm-spawn-'));
    const stdio = (args: string[], extra: object = {}) => ({ type: 'stdio' as const, command: NODE, args, env: { TOKEN: '${SPAWN_TEST_TOKEN:-t0k}' }, ...extra });
    const mcpServers: McpServerEntry[] = [
      { name: 'plain', scope: 'user', def: stdio(['-e', dumpEnv]) },
      { name: 'boxed', scope: 'user', def: stdio(['-e', dumpEnv], { sandbox: true }) },
      { name: 'unset', scope: 'user', def: stdio(['-e', dumpEnv, '${SPAWN_TEST_UNSET}']) },
      { name: 'remote', scope: 'user', def: { type: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} } },
    ];
    const vars = { HOME: '/home/u', PATH: process.env.PATH, GLM_API_KEY: 'secret', LANG: 'C.UTF-8', SPAWN_TEST_OTHER: 'x' };
    const early = spawnEarly({ mcpServers, cwd, apiKey: 'secret', passEnvToCommands: [] }, vars)!;
    const plain = early.take('plain')!.process;
    expect(early.take('plain')).toBeUndefined();
    for (const name of ['boxed', 'unset', 'remote']) expect(early.take(name)).toBeUndefined();
    await plain.spawned;
    const file = path.join(cwd, 'env.json');
    for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
    const env = JSON.parse(await readFile(file, 'utf8'));
    expect(env).toMatchObject({ HOME: '/home/u', TOKEN: 't0k', LANG: 'C.UTF-8' });
    expect(env.GLM_API_KEY).toBeUndefined();
    expect(env.SPAWN_TEST_OTHER).toBeUndefined();
    plain.child.stdin!.end();
    await plain.closed;
  });

  it('a command that does not exist rejects `spawned` (the server then fails like any other)', async () => {
    const early = spawnEarly({ mcpServers: [{ name: 'nope', scope: 'user', def: { type: 'stdio', command: '/nonexistent/server', args: [], env: {} } }], cwd: os.tmpdir() }, { PATH: '/usr/bin' })!;
    const p = early.take('nope')!.process;
    await expect(p.spawned).rejects.toThrow(/ENOENT/);
    await p.closed;
  });

  it('without a stdio server nothing starts', () => {
    expect(spawnEarly({ mcpServers: [], cwd: '/' })).toBeUndefined();
    // The SDK's transport adds these under a server's own environment, shell functions left out; so does spawn.ts.
    expect(sdkEnvironment({ A: '1' }, { USER: 'u', TERM: 'xterm', SHELL: '() { evil; }', OTHER: 'x' })).toEqual({ USER: 'u', TERM: 'xterm', A: '1' });
  });
});
