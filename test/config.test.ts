// loadConfig against real temp HOME / XDG folders and temp projects: precedence at every level, the defaults,
// every ConfigError (one line, naming the fix, never the key), and the frozen result.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, projectTrust, splitRuleList, type CliFlags } from '../src/config.ts';
import { trustProject } from '../src/trust.ts';
import type { Config } from '../src/types.ts';

const KEY = 'sk-test-SECRET-7f3a9';

function sandbox() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'glm-config-'));
  const home = path.join(tmp, 'home');
  const project = path.join(tmp, 'proj');
  const sub = path.join(project, 'packages', 'a');
  mkdirSync(home, { recursive: true });
  mkdirSync(path.join(project, '.git'), { recursive: true });
  mkdirSync(sub, { recursive: true });
  const write = (file: string, data: unknown) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
    return file;
  };
  const userFile = path.join(home, '.config', 'glm-code', 'settings.json');
  const projectFile = path.join(project, '.glm', 'settings.json');
  const env = { HOME: home, GLM_API_KEY: KEY } as NodeJS.ProcessEnv;
  return {
    tmp,
    home,
    project,
    sub,
    userFile,
    projectFile,
    env,
    user: (data: unknown) => write(userFile, data),
    proj: (data: unknown) => write(projectFile, data),
    load(flags: CliFlags = {}, withEnv: NodeJS.ProcessEnv = env, cwd = sub): Config {
      return loadConfig(flags, withEnv, cwd);
    },
  };
}

/** The ConfigError a load throws; fails the test if it throws anything else or nothing. */
function configError(load: () => unknown): string {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const message = (e as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).not.toContain(KEY);
    return message;
  }
  throw new Error('expected a ConfigError');
}

describe('defaults', () => {
  it('builds a complete config from nothing but a key', () => {
    const s = sandbox();
    const c = s.load();
    expect(c).toMatchObject({
      provider: 'zai',
      dialect: 'zai',
      baseURL: 'https://api.z.ai/api/paas/v4',
      apiKey: KEY,
      model: 'glm-5.2',
      thinking: true,
      maxTokens: 32768,
      permissionMode: 'default',
      allowRules: [],
      denyRules: [],
      askRules: [],
      maxTurns: 100,
      cwd: s.sub,
      projectRoot: s.project,
      dataDir: path.join(s.home, '.local', 'share', 'glm-code'),
      configDir: path.join(s.home, '.config', 'glm-code'),
      idleTimeoutMs: 90_000,
      maxRetries: 3,
      concurrency: 8,
    });
    expect(c.modelInfo).toMatchObject({ known: true, contextWindow: 1000000 });
    expect(c.reasoningEffort).toBeUndefined();
    expect(c.temperature).toBeUndefined();
  });

  it('uses XDG folders when they are absolute', () => {
    const s = sandbox();
    const xdgConfig = path.join(s.tmp, 'xc');
    const env = { ...s.env, XDG_CONFIG_HOME: xdgConfig, XDG_DATA_HOME: path.join(s.tmp, 'xd') };
    mkdirSync(path.join(xdgConfig, 'glm-code'), { recursive: true });
    writeFileSync(path.join(xdgConfig, 'glm-code', 'settings.json'), '{"model":"glm-4.6"}');
    const c = s.load({}, env);
    expect(c.configDir).toBe(path.join(xdgConfig, 'glm-code'));
    expect(c.dataDir).toBe(path.join(s.tmp, 'xd', 'glm-code'));
    expect(c.model).toBe('glm-4.6');
    const relative = s.load({}, { ...s.env, XDG_CONFIG_HOME: 'rel', XDG_DATA_HOME: 'rel' });
    expect(relative.configDir).toBe(path.join(s.home, '.config', 'glm-code'));
  });

  it('uses cwd as the project root outside git, and finds worktree roots (.git file)', () => {
    const s = sandbox();
    const plain = path.join(s.tmp, 'plain');
    mkdirSync(plain);
    expect(s.load({}, s.env, plain).projectRoot).toBe(plain);
    const worktree = path.join(s.tmp, 'wt');
    mkdirSync(path.join(worktree, 'deep'), { recursive: true });
    writeFileSync(path.join(worktree, '.git'), 'gitdir: /elsewhere\n');
    expect(s.load({}, s.env, path.join(worktree, 'deep')).projectRoot).toBe(worktree);
  });

  it('uses 2 concurrent requests on Coding Plan endpoints and 8 elsewhere', () => {
    const s = sandbox();
    expect(s.load({ provider: 'zai-coding' }).concurrency).toBe(2);
    expect(s.load({ provider: 'bigmodel-coding' }).concurrency).toBe(2);
    expect(s.load({ provider: 'bigmodel' }).concurrency).toBe(8);
    s.user({ concurrency: 4, idleTimeoutMs: 5000, maxRetries: 0 });
    expect(s.load({ provider: 'zai-coding' })).toMatchObject({ concurrency: 4, idleTimeoutMs: 5000, maxRetries: 0 });
  });

  it('returns a deeply frozen config', () => {
    const c = sandbox().load({ allowedTools: ['Read'] });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.modelInfo)).toBe(true);
    expect(Object.isFrozen(c.allowRules)).toBe(true);
    expect(() => ((c as { model: string }).model = 'x')).toThrow(TypeError);
    expect(() => (c.allowRules as string[]).push('Bash')).toThrow(TypeError);
  });
});

describe('precedence: flags > env > project > user > defaults', () => {
  // [field, user file, project file, env, flags, [default, with user, + project, + env, + flags]]
  const rows: [keyof Config, object, object, NodeJS.ProcessEnv, CliFlags, unknown[]][] = [
    ['model', { model: 'glm-4.5' }, { model: 'glm-4.6' }, { GLM_MODEL: 'glm-4.7' }, { model: 'glm-5.1' },
      ['glm-5.2', 'glm-4.5', 'glm-4.6', 'glm-4.7', 'glm-5.1']],
    ['maxTurns', { maxTurns: 10 }, { maxTurns: 20 }, { GLM_MAX_TURNS: '30' }, { maxTurns: '40' }, [100, 10, 20, 30, 40]],
    ['thinking', { thinking: false }, { thinking: true }, { GLM_THINKING: 'off' }, { thinking: 'on' },
      [true, false, true, false, true]],
    ['maxTokens', { maxTokens: 1000 }, { maxTokens: 2000 }, { GLM_MAX_TOKENS: '3000' }, { maxTokens: 4000 },
      [32768, 1000, 2000, 3000, 4000]],
    ['baseURL', { baseUrl: 'http://u:1/v1' }, {}, { GLM_BASE_URL: 'http://e:1/v1' }, { baseUrl: 'http://f:1/v1' },
      ['https://api.z.ai/api/paas/v4', 'http://u:1/v1', 'http://u:1/v1', 'http://e:1/v1', 'http://f:1/v1']],
    ['reasoningEffort', { reasoningEffort: 'low' }, { reasoningEffort: 'medium' }, { GLM_REASONING_EFFORT: 'high' },
      { reasoningEffort: 'max' }, [undefined, 'low', 'medium', 'high', 'max']],
    // A project's acceptEdits waits for trust (test/config-trust.test.ts); plan it may always choose.
    ['permissionMode', { permissions: { defaultMode: 'acceptEdits' } }, { permissions: { defaultMode: 'plan' } }, {},
      { permissionMode: 'bypassPermissions' }, ['default', 'acceptEdits', 'plan', 'plan', 'bypassPermissions']],
  ]; // prettier-ignore

  it.each(rows)('%s', (field, user, project, env, flags, want) => {
    const s = sandbox();
    const envAll = { ...s.env, ...env };
    const seen = [s.load()[field]];
    s.user(user);
    seen.push(s.load()[field]);
    s.proj(project);
    // A project's costly keys (model, limits …) and acceptEdits wait for trust (test/config-trust.test.ts).
    const trust = projectTrust(s.env, s.sub);
    trustProject(trust.configDir, trust.projectRoot, trust.fingerprint);
    seen.push(s.load()[field]);
    seen.push(s.load({}, envAll)[field]);
    seen.push(s.load(flags, envAll)[field]);
    expect(seen).toEqual(want);
  });

  it('takes the provider from each level', () => {
    const s = sandbox();
    s.user({ provider: 'bigmodel' });
    expect(s.load().provider).toBe('bigmodel');
    // A project's provider needs trust (config-trust.test.ts covers the untrusted side).
    s.proj({ provider: 'zai-coding' });
    const trust = projectTrust(s.env, s.sub);
    trustProject(trust.configDir, trust.projectRoot, trust.fingerprint);
    expect(s.load().provider).toBe('zai-coding');
    expect(s.load({}, { ...s.env, GLM_PROVIDER: 'vllm' }).provider).toBe('vllm');
    expect(s.load({ provider: 'ollama' }, { ...s.env, GLM_PROVIDER: 'vllm' })).toMatchObject({
      provider: 'ollama',
      dialect: 'ollama',
      baseURL: 'http://localhost:11434/v1',
    });
  });

  it('merges permission rules from every level, flags included (a trusted project)', () => {
    const s = sandbox();
    s.user({ permissions: { allow: ['Read', 'Bash(git diff:*)'], deny: ['Bash(rm:*)'] } });
    s.proj({ permissions: { allow: ['Bash(npm test:*)', 'Read'], ask: ['Bash(git push:*)'] } });
    const trust = projectTrust(s.env, s.sub);
    trustProject(trust.configDir, trust.projectRoot, trust.fingerprint);
    const c = s.load({ allowedTools: ['Edit(src/**),Bash(make build:*)'], disallowedTools: ['WebFetch'] });
    expect(c.allowRules).toEqual(['Read', 'Bash(git diff:*)', 'Bash(npm test:*)', 'Edit(src/**)', 'Bash(make build:*)']);
    expect(c.denyRules).toEqual(['Bash(rm:*)', 'WebFetch']);
    expect(c.askRules).toEqual(['Bash(git push:*)']);
  });

  it('lets --base-url change the URL of any provider without changing its dialect', () => {
    const s = sandbox();
    expect(s.load({ provider: 'vllm', baseUrl: 'http://gpu:9000/v1' })).toMatchObject({ dialect: 'vllm', baseURL: 'http://gpu:9000/v1' });
    expect(s.load({ provider: 'openrouter', baseUrl: 'http://127.0.0.1:5000/v1' }).dialect).toBe('openrouter');
    expect(s.load({ baseUrl: 'http://127.0.0.1:5000' })).toMatchObject({ provider: 'zai', dialect: 'zai' });
  });
});

describe('keys', () => {
  it('reads the provider key variables in order, then the user file', () => {
    const s = sandbox();
    const env = (extra: NodeJS.ProcessEnv) => ({ HOME: s.home, ...extra });
    expect(s.load({}, env({ ZAI_API_KEY: 'z', GLM_API_KEY: 'g' })).apiKey).toBe('g');
    expect(s.load({}, env({ ZAI_API_KEY: 'z' })).apiKey).toBe('z');
    expect(s.load({ provider: 'bigmodel' }, env({ ZHIPUAI_API_KEY: 'zp' })).apiKey).toBe('zp');
    expect(s.load({ provider: 'openrouter' }, env({ OPENROUTER_API_KEY: 'or' })).apiKey).toBe('or');
    s.user({ apiKey: 'from-file' });
    expect(s.load({}, env({})).apiKey).toBe('from-file');
    expect(s.load({}, env({ ZAI_API_KEY: 'z' })).apiKey).toBe('z');
  });

  it('needs no key for self-hosted servers, but sends one that is set', () => {
    const s = sandbox();
    const c = s.load({ provider: 'vllm' }, { HOME: s.home });
    expect(c.apiKey).toBeUndefined();
    expect('apiKey' in c).toBe(false);
    expect(s.load({ provider: 'llamacpp' }, { HOME: s.home, OPENAI_API_KEY: 'o' }).apiKey).toBe('o');
    // The user file's key is for hosted services, not for whatever server a URL points at.
    s.user({ apiKey: 'from-file' });
    expect(s.load({ provider: 'openai-compatible', baseUrl: 'http://x:1/v1' }, { HOME: s.home }).apiKey).toBeUndefined();
  });

  it('prefixes bare glm ids for OpenRouter', () => {
    const s = sandbox();
    const c = s.load({ provider: 'openrouter', model: 'glm-4.6' }, { ...s.env, OPENROUTER_API_KEY: 'or' });
    expect(c.model).toBe('z-ai/glm-4.6');
    expect(c.modelInfo.known).toBe(true);
  });

  it('sends GLM_API_KEY to Z.ai and BigModel and to an address you set, never to OpenRouter', () => {
    const s = sandbox();
    // GLM_API_KEY is a Z.ai / BigModel key: OpenRouter is another company and gets only OPENROUTER_API_KEY.
    expect(configError(() => s.load({ provider: 'openrouter' }))).toBe('No API key for provider openrouter: set OPENROUTER_API_KEY');
    // A base URL you set is your choice: it may get GLM_API_KEY whatever the provider.
    expect(s.load({ provider: 'openrouter', baseUrl: 'http://127.0.0.1:5000/v1' }).apiKey).toBe(KEY);
    expect(s.load({ provider: 'openrouter', baseUrl: 'http://127.0.0.1:5000/v1' }, { ...s.env, OPENROUTER_API_KEY: 'or' }).apiKey).toBe('or');
    expect(s.load({ baseUrl: 'http://evil.example/v1' }).apiKey).toBe(KEY);
    expect(s.load({}, { ...s.env, GLM_BASE_URL: 'http://127.0.0.1:5000/v1' }).apiKey).toBe(KEY);
    s.user({ baseUrl: 'http://127.0.0.1:5000/v1', provider: 'openai-compatible' });
    expect(s.load().apiKey).toBe(KEY);
  });
});

describe('keys for an address a trusted project chose', () => {
  /** Writes the project file and trusts it, as `glm trust` would. */
  function trusted(s: ReturnType<typeof sandbox>, data: unknown) {
    s.proj(data);
    const t = projectTrust(s.env, s.sub);
    trustProject(t.configDir, t.projectRoot, t.fingerprint);
  }

  it('sends no key to a server the project names', () => {
    const s = sandbox();
    trusted(s, { provider: 'vllm', baseUrl: 'http://evil.example:8000/v1' });
    const local = s.load({}, { ...s.env, OPENAI_API_KEY: 'o' });
    expect(local.baseURL).toBe('http://evil.example:8000/v1');
    expect(local.apiKey).toBeUndefined();
    // Its provider's own localhost address is not yours either.
    trusted(s, { provider: 'vllm' });
    const preset = s.load({}, { ...s.env, OPENAI_API_KEY: 'o' });
    expect(preset.baseURL).toBe('http://localhost:8000/v1');
    expect(preset.apiKey).toBeUndefined();
    // A hosted provider needs a key, and none may go there: say how to choose the address yourself.
    trusted(s, { baseUrl: 'http://evil.example/v1' });
    expect(configError(() => s.load())).toMatch(
      /^"baseUrl" in .*settings\.json sends the session to http:\/\/evil\.example\/v1, and glm-code sends your API key only to the service it belongs to or to an address you set yourself: pass --base-url or set GLM_BASE_URL to use it$/,
    );
    trusted(s, { provider: 'openrouter', baseUrl: 'https://evil.example/v1' });
    expect(configError(() => s.load({}, { ...s.env, OPENROUTER_API_KEY: 'or' }))).toMatch(/sends the session to https:\/\/evil\.example\/v1/);
    // Confirmed with a flag or variable, the address is yours.
    expect(s.load({ baseUrl: 'http://evil.example/v1' }).apiKey).toBe(KEY);
  });

  it('sends a key to the service it belongs to, and only that key', () => {
    const s = sandbox();
    trusted(s, { provider: 'zai-coding' });
    expect(s.load()).toMatchObject({ baseURL: 'https://api.z.ai/api/coding/paas/v4', apiKey: KEY });
    trusted(s, { baseUrl: 'https://open.bigmodel.cn/api/coding/paas/v4' });
    expect(s.load().apiKey).toBe(KEY);
    // OpenRouter gets OPENROUTER_API_KEY, never the Z.ai key.
    trusted(s, { provider: 'openrouter' });
    expect(configError(() => s.load())).toBe('No API key for provider openrouter: set OPENROUTER_API_KEY');
    expect(s.load({}, { ...s.env, OPENROUTER_API_KEY: 'or' }).apiKey).toBe('or');
    // Plain http to a key's own host name is not that service.
    trusted(s, { baseUrl: 'http://api.z.ai/api/paas/v4' });
    expect(configError(() => s.load())).toMatch(/sends the session to http:\/\/api\.z\.ai/);
  });

  it("sends the settings file's apiKey only to the service your own settings pick", () => {
    const s = sandbox();
    const noEnvKey = { HOME: s.home };
    s.user({ apiKey: 'from-file' });
    trusted(s, { provider: 'zai-coding' });
    // Yours is Z.ai (the default) and so is the project's: same service, the key may go.
    expect(s.load({}, noEnvKey).apiKey).toBe('from-file');
    trusted(s, { provider: 'openrouter' });
    expect(configError(() => s.load({}, noEnvKey))).toBe('No API key for provider openrouter: set OPENROUTER_API_KEY');
    s.user({ apiKey: 'from-file', provider: 'openrouter' });
    expect(s.load({}, noEnvKey).apiKey).toBe('from-file');
    trusted(s, { provider: 'zai' });
    expect(configError(() => s.load({}, noEnvKey))).toBe('No API key for provider zai: set GLM_API_KEY (or ZAI_API_KEY)');
  });
});

describe('model-dependent settings', () => {
  it('keeps thinking on for always-thinking models and off for models without it', () => {
    const s = sandbox();
    expect(s.load({ model: 'glm-5.3', thinking: 'off' }).thinking).toBe(true);
    expect(s.load({ model: 'glm-4-32b-0414-128k', thinking: 'on' }).thinking).toBe(false);
    expect(s.load({ model: 'glm-4.6', thinking: 'off' }).thinking).toBe(false);
  });

  it('caps max_tokens at what the model can produce', () => {
    const s = sandbox();
    expect(s.load({ model: 'glm-4.5v' }).maxTokens).toBe(16384);
    expect(s.load({ model: 'glm-4.6', maxTokens: 500000 }).maxTokens).toBe(131072);
    expect(s.load({ model: 'glm-4.6', maxTokens: '8000' }).maxTokens).toBe(8000);
    expect(s.load({ model: 'my-local-glm' }).maxTokens).toBe(16384);
    expect(s.load({ model: 'my-local-glm', maxTokens: 50000 }).maxTokens).toBe(50000);
  });

  it('sends reasoning effort only to models that take it (or unknown ones)', () => {
    const s = sandbox();
    expect(s.load({ model: 'glm-5.2', reasoningEffort: 'high' }).reasoningEffort).toBe('high');
    expect(s.load({ model: 'glm-4.6', reasoningEffort: 'high' }).reasoningEffort).toBeUndefined();
    expect(s.load({ model: 'my-local-glm', reasoningEffort: 'low' }).reasoningEffort).toBe('low');
  });
});

describe('errors', () => {
  it('names the valid providers', () => {
    const s = sandbox();
    expect(configError(() => s.load({ provider: 'anthropic' }))).toBe(
      'Unknown provider "anthropic" (--provider): use one of zai, zai-coding, bigmodel, bigmodel-coding, openrouter, vllm, sglang, ollama, llamacpp, openai-compatible',
    );
    expect(configError(() => s.load({}, { ...s.env, GLM_PROVIDER: 'nope' }))).toMatch(/\(GLM_PROVIDER\)/);
  });

  it('says which variable to set when the key is missing', () => {
    const s = sandbox();
    expect(configError(() => s.load({}, { HOME: s.home }))).toBe('No API key for provider zai: set GLM_API_KEY (or ZAI_API_KEY)');
    expect(configError(() => s.load({ provider: 'openrouter' }, { HOME: s.home }))).toBe(
      'No API key for provider openrouter: set OPENROUTER_API_KEY',
    );
    expect(configError(() => s.load({}, { HOME: s.home, GLM_API_KEY: '  ' }))).toMatch(/No API key/);
  });

  it('points at the broken spot of a malformed settings file without quoting it', () => {
    const s = sandbox();
    s.user(`{\n  "apiKey": "${KEY}",\n  "model": glm-4.6\n}`);
    const message = configError(() => s.load());
    expect(message).toContain(s.userFile);
    expect(message).toMatch(/line 3, column 12/);
    s.user('{"model": "glm-4.6",}');
    expect(configError(() => s.load())).toMatch(/line 1, column 21/);
    s.user('{"model": "glm-4.6"');
    expect(configError(() => s.load())).toMatch(/end of file/);
    s.user('// comment\n{}');
    expect(configError(() => s.load())).toMatch(/line 1, column 1 .*no comments/);
    s.user('["model"]');
    expect(configError(() => s.load())).toMatch(/must hold a JSON object/);
  });

  it('reports settings of the wrong type with the file and key', () => {
    const s = sandbox();
    s.proj({ maxTurns: 'lots' });
    expect(configError(() => s.load())).toBe(`"maxTurns" in ${s.projectFile} must be a whole number of at least 1`);
    s.proj({ thinking: 'yes' });
    expect(configError(() => s.load())).toMatch(/"thinking" in .* must be true or false/);
    s.proj({ permissions: { allow: 'Bash' } });
    expect(configError(() => s.load())).toMatch(/"permissions.allow" in .* must be a list of rule strings/);
  });

  it('needs a base URL for openai-compatible', () => {
    const s = sandbox();
    expect(configError(() => s.load({ provider: 'openai-compatible' }))).toMatch(
      /^Provider openai-compatible needs a base URL: pass --base-url or set GLM_BASE_URL/,
    );
    expect(configError(() => s.load({ baseUrl: 'localhost:8000' }))).toMatch(/Invalid base URL "localhost:8000" \(--base-url\)/);
  });

  it('rejects bad permission modes, turn counts, thinking switches and efforts', () => {
    const s = sandbox();
    expect(configError(() => s.load({ permissionMode: 'yolo' }))).toBe(
      'Invalid permission mode "yolo" (--permission-mode): use one of default, acceptEdits, plan, bypassPermissions',
    );
    expect(configError(() => s.load({ maxTurns: 'ten' }))).toBe('--max-turns must be a positive whole number, got "ten"');
    expect(configError(() => s.load({ maxTurns: 0 }))).toMatch(/--max-turns must be a positive whole number/);
    expect(configError(() => s.load({}, { ...s.env, GLM_MAX_TURNS: '5x' }))).toMatch(/^GLM_MAX_TURNS must be/);
    expect(configError(() => s.load({}, { ...s.env, GLM_THINKING: 'maybe' }))).toBe('GLM_THINKING must be on or off, got "maybe"');
    expect(configError(() => s.load({ reasoningEffort: 'extreme' }))).toMatch(/Invalid reasoning effort "extreme".*use one of none, minimal/);
  });

  it('rejects invalid rules and says where they came from', () => {
    const s = sandbox();
    s.user({ permissions: { deny: ['Bash(rm -rf'] } });
    expect(configError(() => s.load())).toMatch(
      new RegExp(`^Invalid permission rule "Bash\\(rm -rf" in "permissions.deny" in ${s.userFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: it must end with`),
    );
    s.user({});
    expect(configError(() => s.load({ allowedTools: ['bash(ls)'] }))).toMatch(/in --allowedTools: tool names start with a capital letter/);
  });

  it('keeps keys and bypassPermissions out of project files', () => {
    const s = sandbox();
    s.proj({ apiKey: KEY });
    expect(configError(() => s.load())).toMatch(/contains an apiKey.*move it to .*settings\.json or set GLM_API_KEY/);
    s.proj({ permissions: { defaultMode: 'bypassPermissions' } });
    expect(configError(() => s.load())).toMatch(/cannot turn on bypassPermissions/);
    s.user({ permissions: { defaultMode: 'bypassPermissions' } });
    s.proj({});
    expect(s.load().permissionMode).toBe('bypassPermissions');
  });
});

describe('splitRuleList', () => {
  it('splits on commas and spaces outside parentheses', () => {
    expect(splitRuleList('Read, Bash(git diff:*) Edit(src/**)')).toEqual(['Read', 'Bash(git diff:*)', 'Edit(src/**)']);
  });
});

describe('context settings', () => {
  it('reads contextWindow, compactThreshold and autoCompact into the one Config', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'glm-ctx-'));
    const project = path.join(home, 'p');
    mkdirSync(path.join(project, '.glm'), { recursive: true });
    writeFileSync(path.join(project, '.glm/settings.json'), JSON.stringify({ contextWindow: 32768, compactThreshold: 0.7, autoCompact: false }));
    const trust = projectTrust({ HOME: home }, project); // they choose how much a request costs: trusted projects only
    trustProject(trust.configDir, trust.projectRoot, trust.fingerprint);
    const c = loadConfig({}, { HOME: home, GLM_API_KEY: 'k' }, project);
    expect(c.modelInfo.contextWindow).toBe(32768);
    expect(c.compactThreshold).toBe(0.7);
    expect(c.autoCompact).toBe(false);
    writeFileSync(path.join(project, '.glm/settings.json'), JSON.stringify({ compactThreshold: 2 }));
    expect(() => loadConfig({}, { HOME: home, GLM_API_KEY: 'k' }, project)).toThrow(/compactThreshold.*between 0.2 and 0.98/);
  });
});

describe('visionModel', () => {
  it('defaults per provider, follows the setting and GLM_VISION_MODEL, and "none" turns it off', () => {
    const s = sandbox();
    expect(s.load().visionModel).toBe('glm-5v-turbo');
    expect(s.load({ provider: 'vllm' }).visionModel).toBeUndefined();
    expect(s.load({ provider: 'openrouter' }, { ...s.env, OPENROUTER_API_KEY: 'k' }).visionModel).toBe('z-ai/glm-5v-turbo');
    s.user({ visionModel: 'glm-4.6v' });
    expect(s.load().visionModel).toBe('glm-4.6v');
    expect(s.load({ provider: 'openrouter' }, { ...s.env, OPENROUTER_API_KEY: 'k' }).visionModel).toBe('z-ai/glm-4.6v');
    expect(s.load({}, { ...s.env, GLM_VISION_MODEL: 'none' }).visionModel).toBeUndefined();
  });
});
