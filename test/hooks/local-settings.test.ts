// .glm/settings.local.json stays out of git: real repositories (a plain one and a linked work tree), real
// `git status`; the tracked .gitignore is never touched.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepLocalSettingsIgnored } from '../../src/local-settings.ts';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' });

function repo(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'glm-local-settings-'));
  git(dir, 'init', '-q', '-b', 'main');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'init', '--allow-empty');
  return dir;
}

const writeLocal = (dir: string) => {
  mkdirSync(path.join(dir, '.glm'), { recursive: true });
  writeFileSync(path.join(dir, '.glm', 'settings.local.json'), '{"hooks": {}}\n');
};

describe('keepLocalSettingsIgnored', () => {
  it('adds the file to info/exclude once; git status no longer shows it; .gitignore is left alone', () => {
    const dir = repo({ '.gitignore': 'node_modules\n' });
    writeLocal(dir);
    expect(git(dir, 'status', '--porcelain')).toContain('.glm/');
    keepLocalSettingsIgnored(dir);
    keepLocalSettingsIgnored(dir);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules\n');
    expect(readFileSync(path.join(dir, '.git', 'info', 'exclude'), 'utf8').match(/settings\.local\.json/g)).toHaveLength(1);
    // Only that file: other files in .glm still show.
    writeFileSync(path.join(dir, '.glm', 'settings.json'), '{}\n');
    expect(git(dir, 'status', '--porcelain', '-uall')).toBe('?? .glm/settings.json\n');
  });

  it('in a linked work tree, writes the exclude file git reads there (the common one)', () => {
    const main = repo();
    const wt = path.join(mkdtempSync(path.join(os.tmpdir(), 'glm-local-wt-')), 'wt');
    git(main, 'worktree', 'add', '-q', wt);
    writeLocal(wt);
    keepLocalSettingsIgnored(wt);
    expect(git(wt, 'status', '--porcelain')).toBe('');
  });

  it('writes nothing when there is no local settings file', () => {
    const dir = repo();
    const before = readFileSync(path.join(dir, '.git', 'info', 'exclude'), 'utf8');
    keepLocalSettingsIgnored(dir);
    expect(readFileSync(path.join(dir, '.git', 'info', 'exclude'), 'utf8')).toBe(before);
  });

  it('writes nowhere a hostile repository\'s .git file points that is not a git folder', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'glm-local-hostile-'));
    const victim = mkdtempSync(path.join(os.tmpdir(), 'glm-local-victim-'));
    writeFileSync(path.join(dir, '.git'), `gitdir: ${victim}\n`);
    writeLocal(dir);
    keepLocalSettingsIgnored(dir);
    expect(readdirSync(victim)).toEqual([]);
  });
});
