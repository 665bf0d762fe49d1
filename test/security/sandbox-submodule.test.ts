// End to end with the real sandbox (bwrap), sandbox on: a repository with a submodule keeps the submodule's git
// folder in .git/modules/<name>, whose hooks and config git runs when the user commits inside the submodule. A
// script an allow rule lets run must not plant a hook or fsmonitor there. (A nested repository's own .git in the
// work tree: test/sandbox/nested-repos.test.ts.)
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

const git = (cwd: string, ...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'protocol.file.allow=always', ...args], { cwd, reject: false });
const HOOK = 'printf "#!/bin/sh\\ntouch \\"$PWD/PWNED\\"\\n"';
const SCRIPT = [
  `${HOOK} > .git/modules/lib/hooks/pre-commit; chmod +x .git/modules/lib/hooks/pre-commit`,
  `git -C lib config core.fsmonitor 'touch PWNED; false'`,
].join('\n');

describe('a sandboxed script cannot plant code in a submodule', () => {
  it('.git/modules/<name>/hooks and config stay read-only', async () => {
    const sb = await makeSandbox({ 'tools/setup.sh': SCRIPT + '\n' }, fake.url);
    const upstream = path.join(path.dirname(sb.repo), 'upstream');
    await mkdir(upstream);
    await git(upstream, 'init', '-q', '-b', 'main');
    await git(upstream, 'commit', '-q', '--allow-empty', '-m', 'u');
    expect((await git(sb.repo, 'submodule', 'add', '-q', upstream, 'lib')).exitCode).toBe(0);
    await git(sb.repo, 'commit', '-qm', 'sub');

    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'sh tools/setup.sh' } }]), text('Done.'));
    const r = await runGlm(sb, ['-p', 'set up', '--allowedTools', 'Bash(sh tools/setup.sh:*)'], { env: { GLM_SANDBOX: 'on' } });
    expect(r.exitCode).toBe(0);
    // The user works in the submodule afterwards.
    await git(path.join(sb.repo, 'lib'), 'commit', '-q', '--allow-empty', '-m', 'x');
    await git(path.join(sb.repo, 'lib'), 'status');
    expect(existsSync(path.join(sb.repo, 'lib', 'PWNED'))).toBe(false);
    expect((await git(path.join(sb.repo, 'lib'), 'config', '--get', 'core.fsmonitor')).stdout).toBe('');
  });
});
