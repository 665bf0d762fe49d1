// The trust store in a real temp config folder: trust, forget, a changed fingerprint, a corrupt or missing file,
// atomic writes; and `glm trust`'s messages (runTrust) over a real store.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fingerprintOf,
  forgetProject,
  isProjectTrusted,
  readTrustStore,
  runTrust,
  trustFilePath,
  trustProject,
  untrustedNotice,
  type ProjectTrust,
} from '../src/trust.ts';

function dirs() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'glm-trust-'));
  return { configDir: path.join(tmp, 'config', 'glm-code'), root: path.join(tmp, 'project') };
}

const RULES = fingerprintOf({ allow: ['Bash(npm test:*)', 'Read'] });

describe('trust store', () => {
  it('trusts a project for exactly the fingerprint it was trusted with', () => {
    const { configDir, root } = dirs();
    expect(isProjectTrusted(configDir, root, RULES)).toBe(false);
    trustProject(configDir, root, RULES);
    expect(isProjectTrusted(configDir, root, RULES)).toBe(true);
    // The project file now allows more: the old trust does not cover it.
    expect(isProjectTrusted(configDir, root, fingerprintOf({ allow: ['Bash(npm test:*)', 'Read', 'Bash(*)'] }))).toBe(false);
    expect(isProjectTrusted(configDir, root, fingerprintOf({ allow: ['Bash(npm test:*)', 'Read'], defaultMode: 'acceptEdits' }))).toBe(false);
    // Another folder is not trusted by this one's entry.
    expect(isProjectTrusted(configDir, path.join(root, 'sub'), RULES)).toBe(false);
    expect(JSON.parse(readFileSync(trustFilePath(configDir), 'utf8')).projects[root].fingerprint).toBe(RULES);
  });

  it('fingerprints the set of rules: order and repeats do not matter, the mode does', () => {
    expect(fingerprintOf({ allow: ['Read', 'Bash(npm test:*)', 'Read'] })).toBe(RULES);
    expect(fingerprintOf({ allow: [] })).not.toBe(fingerprintOf({ allow: [], defaultMode: 'acceptEdits' }));
    expect(RULES).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('forgets a project and keeps the others', () => {
    const { configDir, root } = dirs();
    const other = root + '-other';
    trustProject(configDir, root, RULES);
    trustProject(configDir, other, RULES);
    expect(forgetProject(configDir, root)).toBe(true);
    expect(isProjectTrusted(configDir, root, RULES)).toBe(false);
    expect(isProjectTrusted(configDir, other, RULES)).toBe(true);
    expect(forgetProject(configDir, root)).toBe(false);
  });

  it('treats a missing, corrupt or odd-shaped file as empty and replaces it on the next trust', () => {
    const { configDir, root } = dirs();
    expect(readTrustStore(configDir)).toEqual({});
    mkdirSync(configDir, { recursive: true });
    for (const junk of ['{"projects": {', 'null', '[1,2]', '"text"', '{"projects": [1]}', '{"projects": {"/x": 5}}', '']) {
      writeFileSync(trustFilePath(configDir), junk);
      expect(readTrustStore(configDir)).toEqual({});
      expect(isProjectTrusted(configDir, root, RULES)).toBe(false);
    }
    trustProject(configDir, root, RULES);
    expect(isProjectTrusted(configDir, root, RULES)).toBe(true);
  });

  it('writes through a temp file and leaves none behind', () => {
    const { configDir, root } = dirs();
    trustProject(configDir, root, RULES);
    forgetProject(configDir, root);
    trustProject(configDir, root + '2', RULES);
    expect(readdirSync(configDir)).toEqual(['trusted-projects.json']);
  });
});

describe('messages', () => {
  it('names what is left out and how to trust it, in one line', () => {
    const file = '/p/.glm/settings.json';
    expect(untrustedNotice({ file, allow: ['Read', 'Bash(*)'], defaultMode: 'acceptEdits' }, '/p')).toBe(
      'not using 2 allow rules and defaultMode acceptEdits from .glm/settings.json: this project is not trusted (run "glm trust" in it to trust it)',
    );
    expect(untrustedNotice({ file, allow: ['Read'] }, '/p/src')).toMatch(/^not using 1 allow rule from \.\.\/\.glm\/settings\.json:/);
  });
});

describe('runTrust', () => {
  const output = () => {
    const out = { text: '', err: '' };
    return { out, io: { stdout: (t: string) => void (out.text += t), stderr: (t: string) => void (out.err += t) } };
  };
  const project = (configDir: string, root: string, allow: string[], defaultMode?: 'acceptEdits'): ProjectTrust => {
    const fingerprint = fingerprintOf({ allow, defaultMode });
    return { configDir, projectRoot: root, file: path.join(root, '.glm', 'settings.json'), allow, defaultMode, fingerprint, trusted: isProjectTrusted(configDir, root, fingerprint) };
  };

  it('lists the rules, trusts, says when already trusted, and forgets', () => {
    const { configDir, root } = dirs();
    const first = output();
    expect(runTrust({}, project(configDir, root, ['Bash(*)'], 'acceptEdits'), first.io)).toBe(0);
    expect(first.out.text).toContain("This project's .glm/settings.json lets glm run these without asking:\n  Bash(*)\n  every edit");
    expect(first.out.text).toContain(`Trusted ${root}.`);
    expect(isProjectTrusted(configDir, root, fingerprintOf({ allow: ['Bash(*)'], defaultMode: 'acceptEdits' }))).toBe(true);
    const again = output();
    expect(runTrust({}, project(configDir, root, ['Bash(*)'], 'acceptEdits'), again.io)).toBe(0);
    expect(again.out.text).toContain('Already trusted');
    const forget = output();
    expect(runTrust({ forget: true }, project(configDir, root, ['Bash(*)']), forget.io)).toBe(0);
    expect(forget.out.text).toMatch(/^Forgot /);
    expect(readTrustStore(configDir)).toEqual({});
    const twice = output();
    expect(runTrust({ forget: true }, project(configDir, root, []), twice.io)).toBe(0);
    expect(twice.out.text).toContain('nothing to forget');
  });

  it('says there is nothing to trust and writes nothing', () => {
    const { configDir, root } = dirs();
    const r = output();
    expect(runTrust({}, project(configDir, root, []), r.io)).toBe(0);
    expect(r.out.text).toMatch(/^Nothing to trust: .*settings\.json does not exist\./);
    expect(existsSync(configDir)).toBe(false);
  });

  it('reports a trust file it cannot write in one line, exit 1', () => {
    const { configDir, root } = dirs();
    mkdirSync(path.dirname(configDir), { recursive: true });
    writeFileSync(configDir, 'a file where the folder should be');
    const r = output();
    expect(runTrust({}, project(configDir, root, ['Read']), r.io)).toBe(1);
    expect(r.out.err).toMatch(/^glm: cannot write .*trusted-projects\.json \(E\w+\): check that folder's permissions\n$/);
  });
});
