// repoFilterOverrides reads a repository's filter drivers from its config files with fs (no git process on the
// `glm -p` path): every spelling of a [filter] header, included files, linked work trees, and "cannot tell".
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoFilterOverrides } from '../../src/git-args.ts';

async function repo(config: string, extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-filters-'));
  await execa('git', ['init', '-q', dir]);
  await writeFile(path.join(dir, '.git', 'config'), config);
  for (const [name, text] of Object.entries(extra)) await writeFile(path.join(dir, name), text);
  return dir;
}

const names = (args: string[] | undefined) => args?.filter((a) => a.endsWith('.clean=')).map((a) => a.slice('filter.'.length, -'.clean='.length));

describe('repoFilterOverrides', () => {
  it('finds [filter "x"], [filter.Y] (lower-cased, as git does), headers after another on one line', async () => {
    const dir = await repo('[core]\n\tbare = false\n[filter "A b"]\n\tclean = evil\n[FILTER.Y]\n\tsmudge = evil\n[core][filter"z"]clean=evil\n');
    await mkdir(path.join(dir, 'sub'));
    expect(names(repoFilterOverrides(path.join(dir, 'sub')))).toEqual(['A b', 'y', 'z']);
    const args = repoFilterOverrides(dir)!;
    expect(args.slice(0, 8)).toEqual(['-c', 'filter.A b.process=', '-c', 'filter.A b.clean=', '-c', 'filter.A b.smudge=', '-c', 'filter.A b.required=false']);
  });

  it('follows include.path and includeIf paths (relative to the including file), whatever the condition', async () => {
    const dir = await repo('[include]\n\tpath = more.config\n[includeIf "onbranch:nope"]\n\tpath = "../other.config" ; note\n', { 'other.config': '[filter "o"]\n\tclean = evil\n' });
    await writeFile(path.join(dir, '.git', 'more.config'), '[filter "m"]\n\tprocess = evil\n');
    expect(names(repoFilterOverrides(dir))).toEqual(['m', 'o']);
  });

  it('cannot tell for an include path it does not read as plain text, or a name -c cannot spell', async () => {
    expect(repoFilterOverrides(await repo('[include]\n\tpath = a\\\\\n'))).toBeUndefined();
    expect(repoFilterOverrides(await repo('[include]\n\tpath = ~other/x\n'))).toBeUndefined();
    expect(repoFilterOverrides(await repo('[filter "a=b"]\n\tclean = evil\n'))).toBeUndefined();
  });

  it('reads the main config and config.worktree of a linked work tree; nothing outside a repository', async () => {
    const dir = await repo('[filter "main"]\n\tclean = evil\n');
    await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'i'], { cwd: dir });
    const wt = `${dir}-wt`;
    await execa('git', ['worktree', 'add', '-q', wt], { cwd: dir });
    await writeFile(path.join(dir, '.git', 'worktrees', path.basename(wt), 'config.worktree'), '[filter "wt"]\n\tclean = evil\n');
    expect(names(repoFilterOverrides(wt))).toEqual(['main', 'wt']);
    expect(repoFilterOverrides(await mkdtemp(path.join(os.tmpdir(), 'glm-nogit-')))).toEqual([]);
  });
});
