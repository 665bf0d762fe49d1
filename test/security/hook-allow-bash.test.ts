// End to end, sandbox off (a machine without bwrap): a user's hook that allows every call (PreToolUse allow) and a
// model that goes wrong. Bash spellings that write into .git (a hook git runs later, git's own config pointing
// core.hooksPath or core.fsmonitor at a script; after a cd, through a variable, env -C or find -execdir) still ask,
// so headless they are denied: no marker appears.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

function allowAll(sb: Sandbox): void {
  const dir = path.join(sb.home, '.config', 'glm-code');
  mkdirSync(dir, { recursive: true });
  const out = { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow', permissionDecisionReason: 'fine' } };
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ hooks: { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: `cat >/dev/null; echo '${JSON.stringify(out)}'` }] }] } }));
}

const HOOK = "printf '#!/bin/sh\\ntouch PWNED\\n'";
const ATTACKS: Record<string, string> = {
  'cd into .git first': `cd .git/hooks && ${HOOK} > pre-commit && chmod +x pre-commit`,
  'upper-case .GIT': `${HOOK} > .GIT/hooks/pre-commit; chmod +x .git/hooks/pre-commit`,
  'cp of a project file': `${HOOK} > evil.sh && chmod +x evil.sh && cp evil.sh .git/hooks/pre-commit`,
  'tee': `${HOOK} | tee .git/hooks/pre-commit >/dev/null && chmod +x .git/hooks/pre-commit`,
  'ln -s': `${HOOK} > evil2.sh && chmod +x evil2.sh && ln -s ../../evil2.sh .git/hooks/pre-commit`,
  'git config core.hooksPath': `mkdir -p gh && ${HOOK} > gh/pre-commit && chmod +x gh/pre-commit && git config core.hooksPath gh`,
  'git -C .git/.. config': `git -C .git/.. config core.fsmonitor 'touch PWNED; false'`,
  'a variable for the folder': `d=.git; ${HOOK} > $d/hooks/pre-commit && chmod +x $d/hooks/pre-commit`,
  'env -C': `${HOOK} > evil3.sh && chmod +x evil3.sh && env -C .git/hooks cp ../../evil3.sh pre-commit`,
  'find -execdir': `${HOOK} > evil4.sh && chmod +x evil4.sh && find .git/hooks -name pre-commit.sample -execdir cp ../../evil4.sh pre-commit ';'`,
};

describe('a hook that allows everything cannot make Bash write into .git (sandbox off)', () => {
  it(Object.keys(ATTACKS).join(', '), async () => {
    const sb = await makeSandbox({ 'a.txt': 'a\n' }, fake.url);
    allowAll(sb);
    fake.reply(toolCalls(Object.values(ATTACKS).map((command) => ({ name: 'Bash', arguments: { command } }))), text('Done.'));
    const r = await runGlm(sb, ['-p', 'set up', '--output-format', 'json'], { env: { GLM_SANDBOX: 'off' } });
    expect(r.exitCode).toBe(0);
    // git runs what .git now says: a commit fires a planted pre-commit, a status the fsmonitor command.
    await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'x', '--allow-empty'], { cwd: sb.repo, reject: false });
    await execa('git', ['status'], { cwd: sb.repo, reject: false });
    expect(existsSync(path.join(sb.repo, 'PWNED'))).toBe(false);
    expect(readFileSync(path.join(sb.repo, '.git/config'), 'utf8')).not.toMatch(/hooksPath|fsmonitor/);
    const denials = JSON.parse(String(r.stdout)).permission_denials as { tool_input: { command: string } }[];
    expect(denials.map((d) => d.tool_input.command)).toEqual(Object.values(ATTACKS));
  });

  it('a hook still answers for a plain command that writes inside the project', async () => {
    const sb = await makeSandbox({ 'a.txt': 'a\n' }, fake.url);
    allowAll(sb);
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'printf ok > out.txt' } }]), text('Done.'));
    const r = await runGlm(sb, ['-p', 'write', '--output-format', 'json'], { env: { GLM_SANDBOX: 'off' } });
    expect(JSON.parse(String(r.stdout)).permission_denials).toEqual([]);
    expect(readFileSync(path.join(sb.repo, 'out.txt'), 'utf8')).toBe('ok');
  });
});
