// With real bubblewrap: a submodule's git folder (.git/modules/<name>) keeps its hooks and config read-only, but the
// folder itself was no mount point: a sandboxed command moved it aside and put a copy with a core.fsmonitor in its
// place, which the user's next plain `git status` in the project ran (git enters submodules), outside the sandbox.
// The same for .git/modules itself and for a linked worktree's git folder (.git/worktrees/<name>).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folders, git, run, sandbox, withSubmoduleAndWorktree } from '../support/sandbox-run.ts';


describe("a submodule's or worktree's git folder", () => {
  it('cannot be moved aside and replaced by a copy whose config the user\'s git then runs', async () => {
    const f = folders();
    const wt = withSubmoduleAndWorktree(f);
    const marker = path.join(f.home, 'PWNED'); // out of a sandboxed command's reach: only the user's git can make it
    const swap = (dir: string, gitDir: string) =>
      `mv ${dir} ${dir}-old && mkdir -p ${dir} && cp -r ${dir}-old/. ${dir}/ && git config -f ${gitDir}/config core.fsmonitor "touch ${marker}; false"`;
    const s = sandbox({ projectRoot: f.project, home: f.home });
    const out = await run(s, f.project, [
      `${swap('.git/modules/lib', '.git/modules/lib')} && echo swapped-module`,
      `${swap('.git/modules', '.git/modules/lib')} && echo swapped-modules`,
      `${swap('.git/worktrees/wt', '.git/worktrees/wt')} && echo swapped-worktree`,
      `${swap('.git/worktrees', '.git/worktrees/wt')} && echo swapped-worktrees`,
      'git -C lib status >/dev/null && echo submodule-works',
    ].join('\n'));
    expect(out).toContain('submodule-works');
    expect(out).not.toMatch(/swapped-/);
    git(f.project, 'status');
    git(path.join(f.project, 'lib'), 'status');
    git(wt, 'status');
    expect(existsSync(marker)).toBe(false);
  });
});
