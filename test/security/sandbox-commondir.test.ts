// With real bubblewrap: git follows a git folder's `commondir` file to read its config and hooks from elsewhere, in a
// main repository's `.git` too, and a sandboxed command may write in `.git` (git itself needs that). One line there,
// naming a copy with a core.fsmonitor, ran that copy's code at the user's next `git status`, outside the sandbox.
// Likewise a submodule's git folder, and the worktrees' (whose commondir must name the main one). Once the command
// ends, each is as git made it, and the user's git runs nothing planted.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folders, git, run, sandbox, withSubmoduleAndWorktree } from '../support/sandbox-run.ts';

/** A copy of a git folder whose config runs `touch PWNED` at git's next status. */
const plant = (gitDir: string, marker: string) => `cp -r ${gitDir} evil && git config -f evil/config core.fsmonitor "touch ${marker}; false"`;

describe('a commondir file a sandboxed command writes', () => {
  it("in the project's .git, a submodule's and a worktree's git folder: gone or git's own again when it ends", async () => {
    const f = folders();
    const wt = withSubmoduleAndWorktree(f);
    const marker = path.join(f.home, 'PWNED'); // out of a sandboxed command's reach: only the user's git can make it
    const s = sandbox({ projectRoot: f.project, home: f.home });
    const out = await run(s, f.project, [
      plant('.git', marker),
      'echo ../evil > .git/commondir',
      'echo ../../../evil > .git/modules/lib/commondir',
      'echo ../../../evil > .git/worktrees/wt/commondir',
      'git status >/dev/null && echo inside-still-works',
    ].join('\n'));
    expect(out).toContain('inside-still-works');
    expect(existsSync(path.join(f.project, 'evil', 'config'))).toBe(true); // the copy was made: only commondir undone
    // The user's git afterwards, outside the sandbox: in the project, the submodule and the worktree.
    git(f.project, 'status');
    git(path.join(f.project, 'lib'), 'status');
    git(wt, 'status');
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(path.join(f.project, '.git', 'commondir'))).toBe(false);
    expect(readFileSync(path.join(f.project, '.git', 'worktrees', 'wt', 'commondir'), 'utf8').trim()).toBe('../..');
    expect(git(wt, 'log', '--format=%s', '-1')).toBe('sub\n');
  });
});
