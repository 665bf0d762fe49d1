// End to end with the real sandbox (bwrap): a model in acceptEdits (sandboxed commands run without asking) that
// cannot read a file a Read deny rule hides tries to move the folder holding it, mount and all, to where no rule
// reaches at the next command: a name an anchored rule does not name (`mv config cfg` past Read(./config/.env)), or
// into node_modules, which the sandbox's walk for patterns skips (past Read(**/token.txt)). Neither secret may reach
// a request, and both folders stay where they were.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

const bash = (command: string) => toolCalls([{ name: 'Bash', arguments: { command } }]);

describe('a sandboxed command cannot move a hidden file out of its deny rule', () => {
  it('by renaming its folder, or moving it into node_modules, for the next command to read', async () => {
    const sb = await makeSandbox({ 'config/.env': 'KEY=CONFIG-SECRET-VALUE\n', 'lib/deep/token.txt': 'TOKEN-SECRET-VALUE\n' }, fake.url);
    fake.reply(
      bash('cat config/.env lib/deep/token.txt; mv config cfg; mkdir -p node_modules; mv lib node_modules/lib; mv lib/deep node_modules/deep; ls'),
      bash('cat cfg/.env node_modules/lib/deep/token.txt node_modules/deep/token.txt'),
      text('Done.'),
    );
    const deny = ['--disallowedTools', 'Read(./config/.env)', 'Read(**/token.txt)'];
    const r = await runGlm(sb, ['-p', 'look around', '--permission-mode', 'acceptEdits', ...deny], { env: { GLM_SANDBOX: 'on' } });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(fake.requests).toHaveLength(3); // both commands ran sandboxed without asking
    for (const req of fake.requests) expect(JSON.stringify(req)).not.toMatch(/CONFIG-SECRET-VALUE|TOKEN-SECRET-VALUE/);
    expect(existsSync(path.join(sb.repo, 'config', '.env'))).toBe(true);
    expect(existsSync(path.join(sb.repo, 'lib', 'deep', 'token.txt'))).toBe(true);
  });
});
