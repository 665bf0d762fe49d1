// A lone bare word where the prompt goes that is a typo of a subcommand or a verb other tools have
// (`glm sesions`, `glm update`) is an unknown command: one line, exit 2, no request, no session left behind.
// A one-word prompt still goes to the model with -p, or quoted with a space.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

const sessionFiles = (sb: Sandbox) => readdir(path.join(sb.home, '.local/share/glm-code/sessions'), { recursive: true }).catch(() => []);

describe('a bare word that looks like a command', () => {
  it.each([
    ['sesions', 'did you mean "glm sessions"?'],
    ['updte', "glm's commands are review, hook, commit"],
    ['update', "glm's commands are review, hook, commit"],
    ['config', 'settings.json'],
    ['version', 'did you mean "glm --version"?'],
  ])('glm %s: unknown command, exit 2, before any request or session', async (word, hint) => {
    const sb = await makeSandbox({}, fake.url);
    const r = await runGlm(sb, [word]);
    expect(r.exitCode).toBe(2);
    const lines = String(r.stderr).split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^glm: unknown command "${word}"; `));
    expect(lines[0]).toContain(hint);
    expect(lines[0]).toContain(`glm -p ${word}`);
    expect(fake.requests).toHaveLength(0);
    expect(await sessionFiles(sb)).toEqual([]);
  });

  it('is checked before the configuration (no key needed to be told)', async () => {
    const sb = await makeSandbox({}, fake.url);
    const r = await runGlm(sb, ['comit'], { env: { GLM_API_KEY: '' } });
    expect([r.exitCode, r.stderr]).toEqual([2, expect.stringMatching(/^glm: unknown command "comit"; did you mean "glm commit"\?/)]);
  });

  it('suggests every registered subcommand from a typo of it', async () => {
    const sb = await makeSandbox({}, fake.url);
    const help = String((await runGlm(sb, ['--help'])).stdout);
    const commands = [...help.split('Commands:')[1].matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(commands).toEqual(expect.arrayContaining(['review', 'sessions', 'doctor']));
    for (const command of commands) {
      const typo = command.slice(0, -1); // `sessions` → `session`, `hook` → `hoo`
      if (commands.includes(typo)) continue; // `hooks` → `hook`, a command of its own
      const r = await runGlm(sb, [typo]);
      expect([r.exitCode, r.stderr], typo).toEqual([2, expect.stringContaining(`did you mean "glm ${command}"?`)]);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('is still a prompt with -p, or quoted with a space', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(text('one'), text('two'), text('three'));
    for (const args of [['-p', 'update'], ['update', '-p'], ['update ']]) {
      const r = await runGlm(sb, args);
      expect([r.exitCode, r.stderr], args.join(' ')).toEqual([0, '']);
    }
    expect(fake.requests.map((b) => b.messages.at(-1).content)).toEqual(['update', 'update', 'update']);
  });

  it('leaves other one-word prompts alone', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(text('hello'));
    const r = await runGlm(sb, ['hi']);
    expect([r.exitCode, r.stdout]).toEqual([0, 'hello']);
  });
});
