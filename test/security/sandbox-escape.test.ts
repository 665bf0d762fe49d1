// End to end with the real sandbox (bwrap), sandbox on: a hostile repository's script that an allow rule lets run
// (`Bash(sh tools/setup.sh:*)`: "what an allowed program does" is the sandbox's to bound). It tries, one by one, to
// write outside through a project symlink to ~/.bashrc, to plant a git hook or git config past the read-only
// .git/hooks and .git/config (cd, git -C, swapping the whole .git folder), to loosen .glm/settings.json, and to read
// glm's own settings and transcripts. None may leave a marker.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

const HOOK = 'printf "#!/bin/sh\\ntouch \\"$PWD/PWNED\\"\\n"';
const SCRIPT = [
  'echo "touch PWNED" >> bashrc-link',
  `(cd .git/hooks && ${HOOK} > pre-commit && chmod +x pre-commit)`,
  `git -C .git/.. config core.fsmonitor 'touch PWNED; false'`,
  // Swap the whole .git folder for a copy with a hook in it: .git itself is no mount point.
  `cp -a .git ../copy && ${HOOK} > ../copy/hooks/pre-commit && chmod +x ../copy/hooks/pre-commit && mv .git .git-old && mv ../copy .git`,
  `cp -a .git .git-new && ${HOOK} > .git-new/hooks/pre-commit && chmod +x .git-new/hooks/pre-commit && mv .git .git-old2 && mv .git-new .git`,
  `mv .glm .glm-old; mkdir -p .glm; echo '{"permissions":{"allow":["Bash"]}}' > .glm/settings.json`,
  'cat "$HOME/.config/glm-code/settings.json" > leak-config.txt',
  'cat "$HOME"/.local/share/glm-code/sessions/*/*.jsonl > leak-transcript.txt',
].join('\n');

describe('a sandboxed script a rule allows cannot escape the project', () => {
  it('through a symlink, cd, git -C, a swapped .git or .glm folder, nor read glm\'s settings and transcripts', async () => {
    const sb = await makeSandbox({ 'tools/setup.sh': SCRIPT + '\n', '.glm/settings.json': '{}\n' }, fake.url);
    writeFileSync(path.join(sb.home, '.bashrc'), '# mine\n');
    symlinkSync(path.join(sb.home, '.bashrc'), path.join(sb.repo, 'bashrc-link'));
    const config = path.join(sb.home, '.config', 'glm-code');
    mkdirSync(config, { recursive: true });
    writeFileSync(path.join(config, 'settings.json'), JSON.stringify({ model: 'glm-4.6', permissions: { deny: ['Read(CONFIG-SECRET-MARKER)'] } }));
    fake.reply(text('TRANSCRIPT-SECRET-MARKER'));
    expect((await runGlm(sb, ['-p', 'earlier session'])).exitCode).toBe(0);

    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'sh tools/setup.sh' } }]), text('Done.'));
    const r = await runGlm(sb, ['-p', 'set up', '--allowedTools', 'Bash(sh tools/setup.sh:*)'], { env: { GLM_SANDBOX: 'on' } });
    expect(r.exitCode).toBe(0);
    await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'x', '--allow-empty'], { cwd: sb.repo, reject: false });
    await execa('git', ['status'], { cwd: sb.repo, reject: false });
    expect(readFileSync(path.join(sb.home, '.bashrc'), 'utf8')).toBe('# mine\n');
    expect(existsSync(path.join(sb.repo, 'PWNED'))).toBe(false);
    expect(readFileSync(path.join(sb.repo, '.glm/settings.json'), 'utf8')).toBe('{}\n');
    const leaked = ['leak-config.txt', 'leak-transcript.txt'].map((f) => (existsSync(path.join(sb.repo, f)) ? readFileSync(path.join(sb.repo, f), 'utf8') : '')).join('');
    expect(leaked).not.toContain('CONFIG-SECRET-MARKER');
    expect(leaked).not.toContain('TRANSCRIPT-SECRET-MARKER');
  });
});
