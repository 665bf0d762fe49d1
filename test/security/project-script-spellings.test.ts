// End to end: a hostile repository whose trusted hook runs its script in a spelling trust's script list did not
// follow (an interpreter option with a value, `${CLAUDE_PROJECT_DIR:-.}`, a symlinked folder before `..`, the script
// piped into bash, a wrapper's option). Trust hashes the file the shell really runs, so once the repository changes
// that script the project is untrusted again and the changed script never runs. And glm started in a subfolder,
// where the hook's relative path names another file of the repository's, which trust never saw.
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { text, type FakeGlm } from '../support/fake-glm-server.ts';
import { GLM_BIN, makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

const SCRIPT = '.glm/hooks/check.sh';

describe("a trusted hook's script, however the hook spells it", () => {
  it.each([
    'bash -o errexit .glm/hooks/check.sh',
    'bash "${CLAUDE_PROJECT_DIR:-.}/.glm/hooks/check.sh"',
    // .glm/x leads to .glm/hooks/deep, so the shell's .glm/x/.. is .glm/hooks; .glm/check.sh is a harmless decoy.
    'bash .glm/x/../check.sh',
    'cat .glm/hooks/check.sh | bash',
    'timeout -s KILL 5 bash .glm/hooks/check.sh',
  ])('%s: a changed script untrusts the project', async (command) => {
    const hook = { hooks: { Stop: [{ hooks: [{ type: 'command', command }] }] } };
    const files = { '.glm/settings.json': JSON.stringify(hook), [SCRIPT]: 'touch HOOK-RAN\n', '.glm/hooks/deep/keep': '', '.glm/check.sh': 'true\n' };
    const sb = await makeSandbox(files, fake.url);
    symlinkSync('hooks/deep', path.join(sb.repo, '.glm/x'));
    const trust = await runGlm(sb, ['trust']);
    expect(trust.exitCode).toBe(0);
    expect(String(trust.stdout)).toContain(`    ${SCRIPT}\n`);
    fake.reply(text('Done.'));
    expect((await runGlm(sb, ['-p', 'go'])).exitCode).toBe(0);
    expect(existsSync(path.join(sb.repo, 'HOOK-RAN'))).toBe(true); // the hook runs the script trust covers
    writeFileSync(path.join(sb.repo, SCRIPT), 'touch PWNED\n');
    fake.reply(text('Done.'));
    const r = await runGlm(sb, ['-p', 'go']);
    expect(r.exitCode).toBe(0);
    expect(String(r.stderr)).toContain('this project is not trusted');
    expect(existsSync(path.join(sb.repo, 'PWNED'))).toBe(false);
  });
});

describe('a trusted hook that runs a folder', () => {
  it('node <folder>: a changed index.js untrusts the project', async () => {
    const hook = { hooks: { Stop: [{ hooks: [{ type: 'command', command: 'node .glm/hooks/pkg' }] }] } };
    const touch = (name: string) => `require('node:fs').writeFileSync(${JSON.stringify(name)}, '');\n`;
    const sb = await makeSandbox({ '.glm/settings.json': JSON.stringify(hook), '.glm/hooks/pkg/index.js': touch('HOOK-RAN') }, fake.url);
    expect(String((await runGlm(sb, ['trust'])).stdout)).toContain('    .glm/hooks/pkg/index.js\n');
    fake.reply(text('Done.'));
    expect((await runGlm(sb, ['-p', 'go'])).exitCode).toBe(0);
    expect(existsSync(path.join(sb.repo, 'HOOK-RAN'))).toBe(true);
    writeFileSync(path.join(sb.repo, '.glm/hooks/pkg/index.js'), touch('PWNED'));
    fake.reply(text('Done.'));
    const r = await runGlm(sb, ['-p', 'go']);
    expect(String(r.stderr)).toContain('this project is not trusted');
    expect(existsSync(path.join(sb.repo, 'PWNED'))).toBe(false);
  });
});

const glmIn = (sb: Sandbox, dir: string, args: string[]) =>
  execa(process.execPath, [GLM_BIN, ...args], { cwd: path.join(sb.repo, dir), env: sb.env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 30_000 });

describe('a trusted hook with a relative path, glm started in a subfolder', () => {
  it('runs no file of that subfolder that trust did not cover', async () => {
    const hook = { hooks: { Stop: [{ hooks: [{ type: 'command', command: 'bash tools/check.sh' }] }] } };
    const sb = await makeSandbox({ '.glm/settings.json': JSON.stringify(hook), 'tools/check.sh': 'touch HOOK-RAN\n', 'sub/tools/check.sh': 'touch PWNED\n' }, fake.url);
    const trust = await runGlm(sb, ['trust']);
    expect(String(trust.stdout)).toContain('    tools/check.sh\n');
    fake.reply(text('Done.'));
    const r = await glmIn(sb, 'sub', ['-p', 'go']);
    expect(r.exitCode).toBe(0);
    expect(String(r.stderr)).toContain('this project is not trusted');
    expect(existsSync(path.join(sb.repo, 'sub', 'PWNED'))).toBe(false);
    // From the root it stays trusted; trusting from the subfolder lists the file the hook runs there.
    fake.reply(text('Done.'));
    expect((await runGlm(sb, ['-p', 'go'])).exitCode).toBe(0);
    expect(existsSync(path.join(sb.repo, 'HOOK-RAN'))).toBe(true);
    expect(String((await glmIn(sb, 'sub', ['trust'])).stdout)).toContain('    sub/tools/check.sh\n');
  });
});
