// The sandbox's setting through loadConfig (every level, what a project may not widen, one-line errors), the policy
// it builds from real folders (git worktrees, Read deny rules), how it changes Bash decisions, and the proxy's
// host matching.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import type { Decision } from '../../src/permissions.ts';
import { sandboxDecision } from '../../src/sandbox/decision.ts';
import { sandboxHint } from '../../src/sandbox/hints.ts';
import { sandboxPolicy } from '../../src/sandbox/policy.ts';
import { hostAllowed } from '../../src/sandbox/proxy.ts';

function folders() {
  const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'glm-sbx-unit-')));
  const home = path.join(tmp, 'home');
  const project = path.join(tmp, 'proj');
  mkdirSync(path.join(project, '.git'), { recursive: true });
  mkdirSync(home, { recursive: true });
  const write = (file: string, data: unknown) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(data));
  };
  return {
    tmp,
    home,
    project,
    user: (data: unknown) => write(path.join(home, '.config', 'glm-code', 'settings.json'), data),
    proj: (data: unknown) => write(path.join(project, '.glm', 'settings.json'), data),
    load: (flags = {}, env: NodeJS.ProcessEnv = {}) => loadConfig(flags, { HOME: home, GLM_API_KEY: 'k', ...env }, project),
  };
}

describe('the sandbox setting', () => {
  it('defaults to auto; flag beats environment beats the user file', () => {
    const f = folders();
    expect(f.load().sandbox).toEqual({ mode: 'auto', allowWrite: [], allowedDomains: [], hooks: false });
    f.user({ sandbox: false });
    expect(f.load().sandbox?.mode).toBe('off');
    expect(f.load({}, { GLM_SANDBOX: 'on' }).sandbox?.mode).toBe('on');
    expect(f.load({ sandbox: 'auto' }, { GLM_SANDBOX: 'on' }).sandbox?.mode).toBe('auto');
  });

  it('the object form: allowWrite resolved from home, domains lower-cased', () => {
    const f = folders();
    f.user({ sandbox: { enabled: true, allowWrite: ['~/.cache', '/opt/x'], network: { allowedDomains: ['GitHub.com', '*.npmjs.org'] }, hooks: true } });
    expect(f.load().sandbox).toEqual({ mode: 'on', allowWrite: [path.join(f.home, '.cache'), '/opt/x'], allowedDomains: ['github.com', '*.npmjs.org'], hooks: true });
  });

  it('a project can turn it on, never off or wider (one warning)', () => {
    const f = folders();
    f.user({ sandbox: { enabled: 'auto', allowWrite: ['/opt/mine'] } });
    f.proj({ sandbox: { enabled: false, allowWrite: ['/'], network: { allowedDomains: ['evil.example'] } } });
    const c = f.load();
    expect(c.sandbox).toMatchObject({ mode: 'auto', allowWrite: ['/opt/mine'], allowedDomains: [] });
    expect(c.warnings?.filter((w) => w.includes('cannot turn the sandbox off or widen it'))).toHaveLength(1);
    f.proj({ sandbox: true });
    f.user({ sandbox: false });
    expect(f.load().sandbox?.mode).toBe('on');
    f.proj({ sandbox: { allowUnixSockets: true } });
    expect(f.load().sandbox?.allowUnixSockets).toBeUndefined();
    f.user({ sandbox: { allowUnixSockets: true } });
    expect(f.load().sandbox?.allowUnixSockets).toBe(true);
  });

  it('bad values are one line naming the place and the fix', () => {
    const f = folders();
    expect(() => f.load({ sandbox: 'maybe' })).toThrow(new ConfigError('--sandbox must be auto, on or off, got "maybe"'));
    f.user({ sandbox: { network: { allowedDomains: ['https://x.com/'] } } });
    expect(() => f.load()).toThrow(/"sandbox" in .*settings\.json must be host names in "network\.allowedDomains".*not "https:\/\/x\.com\/"/);
    f.user({ sandbox: { enable: true } });
    expect(() => f.load()).toThrow(/must be an object with enabled, allowWrite, network, allowUnixSockets and hooks \(not "enable"\)/);
  });
});

describe('the policy', () => {
  it('writes: the project, the temp folder; read-only: .git hooks and config, .glm; hidden: credentials and Read deny paths', () => {
    const f = folders();
    execFileSync('git', ['init', '-q', f.project]);
    mkdirSync(path.join(f.project, '.glm'));
    writeFileSync(path.join(f.project, '.env'), 'SECRET=1');
    mkdirSync(path.join(f.home, '.ssh'));
    mkdirSync(path.join(f.home, 'vault'));
    mkdirSync(path.join(f.project, 'sub', 'deep'), { recursive: true });
    writeFileSync(path.join(f.project, 'sub', 'deep', 'key.pem'), 'k');
    writeFileSync(path.join(f.project, 'sub', '.env'), 'SECRET=2');
    const tmpDir = mkdtempSync(path.join(f.tmp, 't-'));
    const p = sandboxPolicy({
      projectRoot: f.project, additionalDirs: [], allowWrite: [], configDir: path.join(f.home, '.config', 'glm-code'), home: f.home, tmpDir, env: {},
      denyRules: ['Read(.env)', 'Read(~/vault/**)', 'Read(**/*.pem)', 'Read(~/keys/*.key)', 'Bash(rm:*)'],
    }); // prettier-ignore
    // .git is bound onto itself (a mount point cannot be renamed away and swapped for a copy with hooks), and so are
    // the folders holding hidden files (renamed, they would take the file past its rule).
    expect(p.writable).toEqual([f.project, path.join(f.project, 'sub'), path.join(f.project, '.git'), path.join(f.project, 'sub', 'deep')]);
    expect(p.tmp).toBe(tmpDir);
    expect(p.readOnly).toEqual(expect.arrayContaining([path.join(f.project, '.git', 'hooks'), path.join(f.project, '.git', 'config'), path.join(f.project, '.glm')]));
    const files = ['.env', 'sub/.env', 'sub/deep/key.pem'].map((f1) => ({ path: path.join(f.project, f1), dir: false }));
    expect(p.hidden).toEqual(expect.arrayContaining([{ path: path.join(f.home, '.ssh'), dir: true }, { path: path.join(f.home, 'vault'), dir: true }, ...files]));
    expect(p.unenforced.join('\n')).toMatch(/Read\(~\/keys\/\*\.key\): a pattern; the sandbox hides what it matches inside the project only/);
    expect(p.refused).toBeUndefined();
  });

  it("a worktree's git folder in the main repository is writable, its hooks and config not", () => {
    const f = folders();
    const main = path.join(f.tmp, 'main');
    execFileSync('git', ['init', '-q', '-b', 'main', main]);
    execFileSync('git', ['-C', main, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'x']);
    const wt = path.join(f.tmp, 'wt');
    execFileSync('git', ['-C', main, 'worktree', 'add', '-q', wt]);
    const p = sandboxPolicy({ projectRoot: wt, additionalDirs: [], allowWrite: [], denyRules: [], configDir: '/nonexistent', home: f.home, tmpDir: f.tmp, env: {} });
    expect(p.writable).toEqual(expect.arrayContaining([wt, path.join(main, '.git'), path.join(main, '.git', 'worktrees', 'wt')]));
    expect(p.readOnly).toEqual(expect.arrayContaining([path.join(main, '.git', 'hooks'), path.join(main, '.git', 'config')]));
  });

  it('a hidden path that holds a writable folder stays readable, and says so', () => {
    const f = folders();
    const p = sandboxPolicy({ projectRoot: f.project, additionalDirs: [], allowWrite: [], denyRules: ['Read(~/**)'], configDir: '/nonexistent', home: f.tmp, tmpDir: f.tmp, env: {} });
    expect(p.hidden.map((h) => h.path)).not.toContain(f.tmp);
    expect(p.unenforced.join('\n')).toContain(`${f.tmp} stays readable`);
  });
});

describe('Bash decisions with the sandbox', () => {
  const ask: Decision = { action: 'ask', reason: 'commands need approval unless a rule allows them' };
  const allow: Decision = { action: 'allow', reason: 'matches allow rule Bash(echo:*)', rule: 'Bash(echo:*)' };
  const on = { active: true };
  const leave = { command: 'x', dangerouslyDisableSandbox: true };

  it('leaving the sandbox always asks, with no rule to offer; bypassPermissions allows; deny stays deny', () => {
    expect(sandboxDecision(allow, 'Bash', leave, 'acceptEdits', on)).toMatchObject({ action: 'ask', final: true, reason: expect.stringContaining('outside the sandbox') });
    expect(sandboxDecision(allow, 'Bash', leave, 'bypassPermissions', on)).toBe(allow);
    const deny: Decision = { action: 'deny', reason: 'matches deny rule', rule: 'Bash(x)' };
    expect(sandboxDecision(deny, 'Bash', leave, 'default', on)).toBe(deny);
    expect(sandboxDecision(allow, 'Bash', leave, 'default', { active: false })).toBe(allow);
    expect(sandboxDecision(allow, 'Bash', leave, 'default', { active: false, refused: 'no bwrap' }).action).toBe('ask');
  });

  it('acceptEdits runs sandboxed commands; an ask rule still asks; other modes unchanged', () => {
    expect(sandboxDecision(ask, 'Bash', { command: 'x' }, 'acceptEdits', on).action).toBe('allow');
    expect(sandboxDecision(ask, 'Bash', { command: 'x' }, 'acceptEdits', { active: false })).toBe(ask);
    expect(sandboxDecision(ask, 'Bash', { command: 'x' }, 'default', on)).toBe(ask);
    const asked: Decision = { action: 'ask', reason: 'matches ask rule Bash(git push:*)', rule: 'Bash(git push:*)' };
    expect(sandboxDecision(asked, 'Bash', { command: 'git push' }, 'acceptEdits', on)).toBe(asked);
    expect(sandboxDecision(ask, 'mcp__x__y', {}, 'acceptEdits', on)).toBe(ask);
  });
});

describe('hints and hosts', () => {
  it('a failure that looks like the sandbox gets one line; others none', () => {
    const c = { writable: ['/p'], allowedDomains: [] };
    expect(sandboxHint('touch: cannot touch \'/x\': Read-only file system', c)).toMatch(/^\[sandbox\] .*write outside.*only \/p and \/tmp \(private to this session\), with no network.*dangerouslyDisableSandbox: true/);
    expect(sandboxHint('curl: (6) Could not resolve host: x.com', c)).toContain('(no network)');
    expect(sandboxHint('npm ERR! missing script: test', c)).toBeUndefined();
    expect(sandboxHint('Error: connect EPERM /run/postgresql/.s.PGSQL.5432', c)).toMatch(/\(a unix socket \(the sandbox refuses them\)\).*sandbox\.allowUnixSockets/);
    expect(sandboxHint('chmod: changing permissions of \'x\': Operation not permitted', c)).toBeUndefined();
  });

  it('allowedDomains: exact names, and *. for subdomains', () => {
    expect(hostAllowed('github.com', ['github.com'])).toBe(true);
    expect(hostAllowed('api.github.com', ['github.com'])).toBe(false);
    expect(hostAllowed('registry.npmjs.org', ['*.npmjs.org'])).toBe(true);
    expect(hostAllowed('npmjs.org', ['*.npmjs.org'])).toBe(true);
    expect(hostAllowed('evilnpmjs.org', ['*.npmjs.org'])).toBe(false);
  });
});
