// With real bubblewrap: the git folders whose hooks and config run code on the user's next git command stay out of a
// sandboxed command's reach beyond the top-level .git: a nested repository (a folder with a .git folder of its own,
// not a submodule) keeps its hooks and config read-only and cannot be swapped by renaming it or a folder above it;
// and git's `commondir` files (which point git at another folder's hooks and config) are read-only where they exist
// and one planted where none belongs is removed when the command ends, never making another folder writable.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folders, run, sandbox } from '../support/sandbox-run.ts';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8', stdio: 'pipe' });
const HOOK = `printf '#!/bin/sh\\ntouch "$PWD/PWNED"\\n'`;

describe('a nested git repository', () => {
  it('keeps its hooks and config read-only, cannot be swapped by renaming, and still takes commits', async () => {
    const f = folders();
    const lib = path.join(f.project, 'vendor', 'lib');
    mkdirSync(lib, { recursive: true });
    git(lib, 'init', '-q');
    writeFileSync(path.join(lib, 'a.txt'), 'a\n');
    const s = sandbox({ projectRoot: f.project, home: f.home });
    const attempts = [
      `${HOOK} > vendor/lib/.git/hooks/pre-commit; chmod +x vendor/lib/.git/hooks/pre-commit`,
      `git -C vendor/lib config core.fsmonitor 'touch PWNED; false'`,
      `echo '[core] fsmonitor = "touch PWNED; false"' >> vendor/lib/.git/config`,
      `mv vendor/lib/.git vendor/lib/.git-old`,
      `mv vendor/lib vendor/lib-old`,
      `mv vendor vendor-old`,
      // What a swap would do once a rename worked: a fresh repository with a hook where the user's was.
      `[ -d vendor/lib/.git ] || { mkdir -p vendor/lib && git -C vendor/lib init -q && ${HOOK} > vendor/lib/.git/hooks/pre-commit && chmod +x vendor/lib/.git/hooks/pre-commit; }`,
      `git -c user.name=t -c user.email=t@t -C vendor/lib add a.txt && git -c user.name=t -c user.email=t@t -C vendor/lib commit -qm inside && echo committed`,
    ];
    const out = await run(s, f.project, attempts.join('\n'));
    expect(out).toContain('committed'); // git itself still works in the nested repository
    for (const moved of ['vendor/lib/.git-old', 'vendor/lib-old', 'vendor-old']) expect(existsSync(path.join(f.project, moved))).toBe(false);
    // The user works in it afterwards, outside the sandbox.
    git(lib, 'commit', '-q', '--allow-empty', '-m', 'mine');
    git(lib, 'status');
    expect(existsSync(path.join(lib, 'PWNED'))).toBe(false);
    expect(readFileSync(path.join(lib, '.git', 'config'), 'utf8')).not.toContain('fsmonitor');
    expect(git(lib, 'log', '--format=%s')).toBe('mine\ninside\n');
  });

  it('one created after the session started is protected from the next command on', async () => {
    const f = folders();
    const s = sandbox({ projectRoot: f.project, home: f.home });
    expect(await run(s, f.project, 'echo first')).toContain('first');
    const tool = path.join(f.project, 'tools', 'x');
    mkdirSync(tool, { recursive: true });
    git(tool, 'init', '-q');
    await run(s, f.project, `${HOOK} > tools/x/.git/hooks/post-checkout; git -C tools/x config core.fsmonitor 'touch PWNED; false'`);
    expect(existsSync(path.join(tool, '.git', 'hooks', 'post-checkout'))).toBe(false);
    expect(readFileSync(path.join(tool, '.git', 'config'), 'utf8')).not.toContain('fsmonitor');
  });

  it('inside a folder a Read deny rule hides stays hidden (pinning it would keep the folder readable)', async () => {
    const f = folders();
    const lib = path.join(f.project, 'vendor', 'lib');
    mkdirSync(lib, { recursive: true });
    git(lib, 'init', '-q');
    writeFileSync(path.join(lib, 'secret.txt'), 'VENDOR-SECRET');
    const s = sandbox({ projectRoot: f.project, home: f.home, denyRules: () => ['Read(./vendor/**)'] });
    expect(s.policy().unenforced).toEqual([]);
    expect(await run(s, f.project, 'cat vendor/lib/secret.txt; echo end')).not.toContain('VENDOR-SECRET');
  });
});

describe('a commondir file a command writes', () => {
  it('in the top-level .git is gone when the command ends, and makes nothing writable for the next one', async () => {
    const f = folders();
    const s = sandbox({ projectRoot: f.project, home: f.home });
    await run(s, f.project, `echo '${f.home}' > .git/commondir`);
    expect(existsSync(path.join(f.project, '.git', 'commondir'))).toBe(false);
    expect(await run(s, f.project, `echo x > '${f.home}/planted' || echo refused`)).toContain('refused');
    expect(existsSync(path.join(f.home, 'planted'))).toBe(false);
  });

  it('is not confused with a worktree\'s when the project folder is named worktrees: its git folder and the folder above stay as they are', async () => {
    const f = folders();
    const project = path.join(f.root, 'worktrees');
    execFileSync('git', ['init', '-q', project]);
    writeFileSync(path.join(f.root, 'commondir'), 'not glm\'s');
    const s = sandbox({ projectRoot: project, home: f.home });
    expect(await run(s, project, 'echo ran')).toContain('ran');
    expect(existsSync(path.join(project, '.git', 'commondir'))).toBe(false);
    expect(readFileSync(path.join(f.root, 'commondir'), 'utf8')).toBe("not glm's");
    expect(execFileSync('git', ['status', '--short'], { cwd: project, encoding: 'utf8' })).toBe('');
  });

  it("by a hook or server (launch(): glm does not wait for it) is gone shortly after it ends, through the launch's watcher", async () => {
    const f = folders();
    const s = sandbox({ projectRoot: f.project, home: f.home });
    const launch = await s.launch(['/bin/sh', '-c', `echo '${f.home}' > .git/commondir`], f.project, { PATH: process.env.PATH });
    if ('refused' in launch) throw new Error(launch.refused);
    execFileSync(launch.argv[0]!, launch.argv.slice(1), { cwd: f.project, env: launch.env });
    await expect.poll(() => existsSync(path.join(f.project, '.git', 'commondir')), { timeout: 3000 }).toBe(false);
  });

  it("in a worktree's git folder cannot be written (it is read-only), while the worktree keeps working", async () => {
    const f = folders();
    git(f.project, 'commit', '-q', '--allow-empty', '-m', 'base');
    const wt = path.join(f.root, 'wt');
    git(f.project, 'worktree', 'add', '-q', wt);
    const s = sandbox({ projectRoot: wt, home: f.home });
    expect(await run(s, wt, `git -c user.name=t -c user.email=t@t commit -q --allow-empty -m in-wt && echo committed`)).toContain('committed');
    expect(await run(s, wt, `echo '${f.home}' > "$(git rev-parse --git-dir)/commondir"`)).toMatch(/Read-only file system/);
    // Nor, from the main repository, the commondir of its worktrees, which git follows when the user works there.
    const main = sandbox({ projectRoot: f.project, home: f.home });
    expect(await run(main, f.project, `echo ../../../planted > .git/worktrees/wt/commondir`)).toMatch(/Read-only file system/);
    expect(readFileSync(path.join(f.project, '.git', 'worktrees', 'wt', 'commondir'), 'utf8')).toBe('../..\n');
    const out = await run(s, wt, `echo x > '${f.home}/planted' && echo wrote-home`);
    expect(out).not.toContain('wrote-home');
    expect(existsSync(path.join(f.home, 'planted'))).toBe(false);
  });
});
