// The environment commands get: no provider key variables (nor the configured key under another name) unless the
// user's own settings pass them on; a project's settings cannot. The Bash tool really starts with that environment.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandEnv, KEY_VARIABLES } from '../src/command-env.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { PROVIDERS } from '../src/providers.ts';
import { bashTool } from '../tools/bash.ts';
import { makeCtx } from './tools/helpers.ts';

const KEY = 'sk-live-7f3a9-SECRET';
/** What commandEnv adds for git itself (safe.bareRepository), checked on its own below. */
const GIT = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'safe.bareRepository', GIT_CONFIG_VALUE_0: 'explicit' };

describe('commandEnv', () => {
  it('drops every provider key variable and the keys of other agents, keeps the rest', () => {
    const env: NodeJS.ProcessEnv = { PATH: '/bin', HOME: '/home/u', GLM_BASE_URL: 'http://x' };
    for (const name of KEY_VARIABLES) env[name] = `value-of-${name}`;
    const out = commandEnv({}, env);
    expect(out).toEqual({ PATH: '/bin', HOME: '/home/u', GLM_BASE_URL: 'http://x', ...GIT });
    for (const preset of Object.values(PROVIDERS)) for (const name of preset.keyEnv) expect(KEY_VARIABLES).toContain(name);
    for (const name of ['OPENROUTER_API_KEY', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'BIGMODEL_API_KEY', 'ZHIPUAI_API_KEY', 'ZAI_API_KEY']) {
      expect(KEY_VARIABLES).toContain(name);
    }
  });

  it('compares names ignoring case, and drops any variable that holds the configured key', () => {
    const env = { glm_api_key: KEY, MY_TOKEN: KEY, AUTH_HEADER: `Bearer ${KEY}`, SHORT: 'abc', OTHER: 'fine' };
    expect(commandEnv({ apiKey: KEY }, env)).toEqual({ SHORT: 'abc', OTHER: 'fine', ...GIT });
    // A tiny key (a local server's placeholder) is not matched by value: it would hit unrelated variables.
    expect(commandEnv({ apiKey: 'abc' }, env)).toMatchObject({ SHORT: 'abc', MY_TOKEN: KEY });
  });

  it('passes on exactly the variables named in passEnvToCommands', () => {
    const env = { GLM_API_KEY: KEY, ZAI_API_KEY: KEY, OPENAI_API_KEY: 'sk-openai-123456', PATH: '/bin' };
    expect(commandEnv({ apiKey: KEY, passEnvToCommands: ['GLM_API_KEY', 'openai_api_key'] }, env)).toEqual({
      GLM_API_KEY: KEY,
      OPENAI_API_KEY: 'sk-openai-123456',
      PATH: '/bin',
      ...GIT,
    });
  });

  it("tells git not to discover bare repositories on its own, after the user's own GIT_CONFIG entries", () => {
    const out = commandEnv({}, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'user.name', GIT_CONFIG_VALUE_0: 'me' });
    expect(out).toMatchObject({ GIT_CONFIG_COUNT: '2', GIT_CONFIG_KEY_0: 'user.name', GIT_CONFIG_KEY_1: 'safe.bareRepository', GIT_CONFIG_VALUE_1: 'explicit' });
  });

  it('a bare repository the model wrote does not run its fsmonitor on the next git status', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'glm-bare-'));
    const marker = path.join(dir, 'MARKER');
    const bare = path.join(dir, 'evil');
    for (const sub of ['objects', 'refs']) mkdirSync(path.join(bare, sub), { recursive: true });
    writeFileSync(path.join(bare, 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(path.join(bare, 'config'), `[core]\n\tbare = false\n\tworktree = .\n\tfsmonitor = touch ${marker}\n`);
    const plain = await bashTool.execute({ command: 'git rev-parse --git-dir 2>&1' }, makeCtx(bare, { env: { PATH: process.env.PATH } }));
    expect(plain.output).toMatch(/^\.$/m); // git alone would take the folder for a repository
    const r = await bashTool.execute({ command: 'git rev-parse --git-dir 2>&1; git status 2>&1; true' }, makeCtx(bare, { env: commandEnv({}, { PATH: process.env.PATH }) }));
    expect(r.output).toContain('cannot use bare repository');
    expect(existsSync(marker), r.output).toBe(false);
  });

  it('reaches a Bash command whole: execa adds nothing of process.env back', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'glm-cmdenv-'));
    const saved = process.env.GLM_API_KEY;
    process.env.GLM_API_KEY = KEY;
    try {
      const env = commandEnv({ apiKey: KEY });
      const r = await bashTool.execute({ command: 'echo "K=$GLM_API_KEY"; tr "\\0" "\\n" < /proc/self/environ | grep -c SECRET || true' }, makeCtx(dir, { env }));
      expect(r.output).toContain('K=\n0');
      expect(r.output).not.toContain(KEY);
    } finally {
      if (saved === undefined) delete process.env.GLM_API_KEY;
      else process.env.GLM_API_KEY = saved;
    }
  });
});

describe('passEnvToCommands setting', () => {
  function sandbox() {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'glm-cmdenv-config-'));
    const home = path.join(tmp, 'home');
    const project = path.join(tmp, 'proj');
    mkdirSync(path.join(project, '.git'), { recursive: true });
    const write = (file: string, data: unknown) => {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(data));
    };
    return {
      user: (data: unknown) => write(path.join(home, '.config', 'glm-code', 'settings.json'), data),
      proj: (data: unknown) => write(path.join(project, '.glm', 'settings.json'), data),
      load: () => loadConfig({}, { HOME: home, GLM_API_KEY: KEY }, project),
    };
  }

  it('comes from the user settings file', () => {
    const sb = sandbox();
    sb.user({ passEnvToCommands: ['GLM_API_KEY'] });
    expect(sb.load().passEnvToCommands).toEqual(['GLM_API_KEY']);
  });

  it("is ignored in a project's .glm/settings.json", () => {
    const sb = sandbox();
    sb.proj({ passEnvToCommands: ['GLM_API_KEY'] });
    expect(sb.load().passEnvToCommands).toBeUndefined();
    sb.user({ passEnvToCommands: ['OPENAI_API_KEY'] });
    expect(sb.load().passEnvToCommands).toEqual(['OPENAI_API_KEY']);
  });

  it('must be a list of variable names', () => {
    const sb = sandbox();
    sb.user({ passEnvToCommands: 'GLM_API_KEY' });
    expect(() => sb.load()).toThrow(ConfigError);
    sb.user({ passEnvToCommands: ['GLM_API_KEY=x'] });
    expect(() => sb.load()).toThrow(/passEnvToCommands.*list of environment variable names/);
  });
});
