// .glm/settings.local.json as a full project layer: the keys of .glm/settings.json, above it and below the
// environment and flags (Claude Code's order), gated by the same project trust, errors reported by file and place.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, projectTrust, type CliFlags } from '../src/config.ts';
import { loadPrices } from '../src/prices.ts';
import { looseningLines, runTrust, trustProject, untrustedNotice } from '../src/trust.ts';

function sandbox() {
  const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'glm-config-local-')));
  const home = path.join(tmp, 'home');
  const project = path.join(tmp, 'proj');
  mkdirSync(path.join(project, '.git'), { recursive: true });
  const env = { HOME: home, GLM_API_KEY: 'k' } as NodeJS.ProcessEnv;
  const write = (file: string, data: unknown) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
  };
  const projectFile = path.join(project, '.glm', 'settings.json');
  const localFile = path.join(project, '.glm', 'settings.local.json');
  return {
    env,
    project,
    projectFile,
    localFile,
    user: (data: unknown) => write(path.join(home, '.config', 'glm-code', 'settings.json'), data),
    proj: (data: unknown) => write(projectFile, data),
    local: (data: unknown) => write(localFile, data),
    load: (flags: CliFlags = {}, withEnv: NodeJS.ProcessEnv = env) => loadConfig(flags, withEnv, project),
    trust() {
      const t = projectTrust(env, project);
      trustProject(t.configDir, t.projectRoot, t.fingerprint);
    },
  };
}

describe('.glm/settings.local.json', () => {
  it('holds the keys of the project file: harmless ones and deny/ask rules apply untrusted, over the project file', () => {
    const s = sandbox();
    s.user({ temperature: 0.9, idleTimeoutMs: 5000 });
    s.proj({ temperature: 0.5, permissions: { deny: ['Bash(rm:*)'] } });
    s.local({ temperature: 0.2, permissions: { deny: ['Bash(curl:*)'], ask: ['Bash(git push:*)'] } });
    const c = s.load();
    expect(c.temperature).toBe(0.2);
    expect(c.idleTimeoutMs).toBe(5000);
    expect(c.denyRules).toEqual(['Bash(rm:*)', 'Bash(curl:*)']);
    expect(c.askRules).toEqual(['Bash(git push:*)']);
    expect(c.untrustedProject).toBeUndefined();
  });

  it('holds back its allow rules, acceptEdits and costly keys until the project is trusted, naming the local file', () => {
    const s = sandbox();
    s.user({ model: 'glm-4.5-air' });
    s.local({ model: 'glm-5.2', permissions: { allow: ['Bash(npm test)'], defaultMode: 'acceptEdits' }, prices: { 'glm-5.2': { input: 1, output: 2 } } });
    const c = s.load();
    expect(c.allowRules).toEqual([]);
    expect(c.permissionMode).toBe('default');
    expect(c.model).toBe('glm-4.5-air');
    expect(loadPrices(c)).toEqual({});
    expect(c.untrustedProject?.settingsFiles).toEqual([s.localFile]);
    expect(untrustedNotice(c.untrustedProject!, s.project)).toBe(
      'not using 1 allow rule, defaultMode acceptEdits, model glm-5.2 and prices from .glm/settings.local.json: this project is not trusted (run "glm trust" in it to trust it)',
    );
    // glm trust lists it, names the file, and trusting lets it all apply.
    const out: string[] = [];
    expect(runTrust({}, projectTrust(s.env, s.project), { stdout: (t) => out.push(t), stderr: (t) => out.push(t) })).toBe(0);
    expect(out.join('')).toContain("This project's .glm/settings.local.json lets glm:");
    expect(out.join('')).toContain('    Bash(npm test)\n');
    const trusted = s.load();
    expect(trusted).toMatchObject({ allowRules: ['Bash(npm test)'], permissionMode: 'acceptEdits', model: 'glm-5.2', projectTrusted: true });
    expect(loadPrices(trusted)).toEqual({ 'glm-5.2': { input: 1, output: 2 } });
  });

  it('is covered by the trust fingerprint: a new allow rule in it needs trust again; both files are listed', () => {
    const s = sandbox();
    s.proj({ permissions: { allow: ['Bash(ls)'] } });
    s.trust();
    expect(s.load().allowRules).toEqual(['Bash(ls)']);
    s.local({ permissions: { allow: ['Bash(curl:*)'] } });
    const c = s.load();
    expect(c.allowRules).toEqual([]);
    expect(untrustedNotice(c.untrustedProject!, s.project)).toMatch(/^not using 2 allow rules from \.glm\/settings\.json and \.glm\/settings\.local\.json: /);
    expect(looseningLines(projectTrust(s.env, s.project))).toEqual(['  run these without asking:', '    Bash(curl:*)', '    Bash(ls)']);
    s.trust();
    expect(s.load().allowRules).toEqual(['Bash(ls)', 'Bash(curl:*)']);
  });

  it('is below the environment and flags, and wins over the project file for a key once trusted', () => {
    const s = sandbox();
    s.proj({ model: 'glm-4.7', maxTurns: 20 });
    s.local({ model: 'glm-5.2' });
    s.trust();
    expect(s.load()).toMatchObject({ model: 'glm-5.2', maxTurns: 20 });
    expect(s.load({}, { ...s.env, GLM_MODEL: 'glm-4.6' }).model).toBe('glm-4.6');
    expect(s.load({ model: 'glm-4.5-air' }).model).toBe('glm-4.5-air');
  });

  it('cannot turn on bypassPermissions or hold an apiKey, like the project file', () => {
    const s = sandbox();
    s.local({ permissions: { defaultMode: 'bypassPermissions' } });
    expect(() => s.load()).toThrow(`A project file cannot turn on bypassPermissions ("permissions.defaultMode" in ${s.localFile})`);
    s.local({ apiKey: 'secret-key' });
    expect(() => s.load()).toThrow(`${s.localFile} contains an apiKey, which glm reads only from your own settings`);
  });

  it('reports its errors by file, line and column, and a bad rule by its own file', () => {
    const s = sandbox();
    s.proj({ permissions: { allow: ['Bash(ls)'] } });
    s.local('{\n  "model": "glm-5.2",\n}\n');
    expect(() => s.load()).toThrow(new RegExp(`^Invalid JSON in ${s.localFile.replace(/[.]/g, '\\.')} at line 3, column 1 `));
    expect(() => projectTrust(s.env, s.project)).toThrow(/settings\.local\.json at line 3, column 1/);
    s.local({ permissions: { allow: ['bash(ls)'] } });
    expect(() => s.load()).toThrow(`Invalid permission rule "bash(ls)" in "permissions.allow" in ${s.localFile}`);
    s.local({ maxTurns: 0 });
    expect(() => s.load()).toThrow(`"maxTurns" in ${s.localFile} must be a whole number of at least 1`);
  });

  it('can only tighten the sandbox, like the project file: "on" from either file holds, a widening is named', () => {
    const s = sandbox();
    s.user({ sandbox: false });
    s.proj({ sandbox: true });
    s.local({ sandbox: 'auto' });
    expect(s.load().sandbox?.mode).toBe('on');
    s.proj({});
    s.local({ sandbox: { enabled: false, allowWrite: ['/'] } });
    const c = s.load();
    expect(c.sandbox).toMatchObject({ mode: 'off', allowWrite: [] });
    expect(c.warnings).toEqual([`${s.localFile} cannot turn the sandbox off or widen it (allowWrite, network, allowUnixSockets); only your user settings can, so that part is ignored`]);
  });

  it('warns about an unknown key in it like in the project file', () => {
    const s = sandbox();
    s.local({ modle: 'glm-5.2' });
    expect(s.load().warnings).toEqual([`unknown key "modle" in ${s.localFile} is ignored (did you mean "model"?)`]);
  });
});

describe('glm trust with only .glm/settings.local.json', () => {
  it('names it when it sets nothing that needs trust', () => {
    const s = sandbox();
    s.local({ temperature: 0.2 });
    const out: string[] = [];
    runTrust({}, projectTrust(s.env, s.project), { stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
    expect(out.join('')).toMatch(new RegExp(`^Nothing to trust: ${s.localFile.replace(/[.]/g, '\\.')} sets nothing that needs trust `));
  });
});
