// loadConfig and project trust, in real temp HOME and project folders: an untrusted project's allow rules and
// acceptEdits stay out (and are reported in untrustedProject), its deny / ask / plan always apply, trusting it
// puts them in, a changed file needs trust again, and the user's settings and flags are never touched.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, projectTrust, type CliFlags } from '../src/config.ts';
import { trustProject } from '../src/trust.ts';

function sandbox() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'glm-config-trust-'));
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
    env,
    project,
    projectFile,
    user: (data: unknown) => write(path.join(home, '.config', 'glm-code', 'settings.json'), data),
    proj: (data: unknown) => write(projectFile, data),
    load: (flags: CliFlags = {}) => loadConfig(flags, env, project),
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
      allow: ['Bash(*)', 'Edit(src/**)'],
      defaultMode: 'acceptEdits',
      fingerprint: expect.stringMatching(/^sha256:/),
    });
  });

  it('may always choose plan mode, and other keys apply as before', () => {
    const s = sandbox();
    s.proj({ model: 'glm-4.6', permissions: { defaultMode: 'plan', deny: ['WebFetch'] } });
    const c = s.load();
    expect(c).toMatchObject({ model: 'glm-4.6', permissionMode: 'plan', denyRules: ['WebFetch'] });
    expect(c.untrustedProject).toBeUndefined();
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
    expect(c.untrustedProject?.allow).toEqual(['Bash(*)', 'Read']);
    expect(s.load({ permissionMode: 'acceptEdits' }).permissionMode).toBe('acceptEdits');
  });

  it('reports acceptEdits as left out only when it would have been the mode', () => {
    const s = sandbox();
    s.proj({ permissions: { defaultMode: 'acceptEdits' } });
    expect(s.load().untrustedProject).toMatchObject({ allow: [], defaultMode: 'acceptEdits' });
    // A flag chooses the mode: the project's would not have applied, nothing to report.
    expect(s.load({ permissionMode: 'plan' })).toMatchObject({ permissionMode: 'plan' });
    expect(s.load({ permissionMode: 'plan' }).untrustedProject).toBeUndefined();
  });

  it('shows everything trusting would cover, acceptEdits included, even when a flag picks the mode this time', () => {
    const s = sandbox();
    s.proj({ permissions: { allow: ['Bash(npm test:*)'], defaultMode: 'acceptEdits' } });
    const c = s.load({ permissionMode: 'default' });
    expect(c.permissionMode).toBe('default');
    expect(c.untrustedProject).toMatchObject({ allow: ['Bash(npm test:*)'], defaultMode: 'acceptEdits' });
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
    expect(s.load().untrustedProject?.allow).toEqual(['Bash(npm test:*)', 'Bash(curl:*)']);
    // Only deny and ask changed: what it loosens is the same, the trust holds.
    s.proj({ permissions: { allow: ['Bash(npm test:*)'], deny: ['Bash(curl:*)'] } });
    expect(s.load().allowRules).toEqual(['Bash(npm test:*)']);
  });
});
