// The built `glm -p` against the fake server: commands the model runs (foreground and background) start without
// the provider key, so it reaches neither the model nor the transcript; the user's own settings can pass it on,
// a project's cannot.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { lastContent, useFakeGlm } from '../support/use-fake-glm.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

const KEY = 'sk-glm-e2e-7c1d0b-SECRET';
const ALT = 'sk-openai-e2e-55aa-SECRET';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

/** Every file under `dir`, as text (transcripts, undo data, spilled outputs). */
async function allText(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n');
}

describe('provider keys stay out of commands', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox({}, fake.url);
    sb.env.GLM_API_KEY = KEY;
    sb.env.OPENAI_API_KEY = ALT;
  });

  /** Everything the model was sent: bodies only (the Authorization header carries the key, as it must). */
  const sentToModel = () => fake.calls.map((c) => c.raw).join('\n');

  it('a Bash command does not see GLM_API_KEY; neither the model nor the transcript gets it', async () => {
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo KEY=$GLM_API_KEY OPENAI=$OPENAI_API_KEY' } }]), (body) => {
      expect(lastContent(body)).toContain('KEY= OPENAI=');
      return text('done');
    });
    const r = await runGlm(sb, ['-p', 'print the key', '--allowedTools', 'Bash']);
    expect(r.exitCode).toBe(0);
    expect(fake.requests).toHaveLength(2);
    expect(fake.calls[0].headers.authorization).toBe(`Bearer ${KEY}`); // the model client still has it
    expect(sentToModel()).not.toContain(KEY);
    expect(sentToModel()).not.toContain(ALT);
    const stored = await allText(sb.home);
    expect(stored).toContain('KEY= OPENAI='); // the transcript was written and holds the output
    expect(stored).not.toContain(KEY);
    expect(`${r.stdout}${r.stderr}`).not.toContain(KEY);
  });

  it('nor does a background shell, by env or /proc/self/environ', async () => {
    const command = 'env; tr "\\0" "\\n" < /proc/self/environ; echo BG-DONE';
    fake.reply(
      toolCalls([{ name: 'Bash', arguments: { command, run_in_background: true } }]),
      toolCalls([{ name: 'Bash', arguments: { command: 'sleep 1' } }]),
      toolCalls([{ name: 'BashOutput', arguments: { bash_id: 'bash_1' } }]),
      (body) => {
        expect(lastContent(body)).toContain('BG-DONE');
        expect(lastContent(body)).toContain('HOME=');
        return text('done');
      },
    );
    const r = await runGlm(sb, ['-p', 'dump the environment', '--allowedTools', 'Bash BashOutput']);
    expect(r.exitCode).toBe(0);
    expect(fake.requests).toHaveLength(4);
    expect(sentToModel()).not.toContain(KEY);
    expect(sentToModel()).not.toContain(ALT);
    expect(await allText(sb.home)).not.toContain(KEY);
    // The shell's log file (named in the first tool result) went with glm's temp folder when it exited.
    const log = /output also goes to (\S+)\)/.exec(lastContent(fake.requests[1]))?.[1];
    expect(log).toBeDefined();
    await expect(readFile(log!, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('passEnvToCommands in the user settings passes the named variable on; in the project settings it does nothing', async () => {
    await mkdir(path.join(sb.repo, '.glm'), { recursive: true });
    await writeFile(path.join(sb.repo, '.glm', 'settings.json'), JSON.stringify({ passEnvToCommands: ['GLM_API_KEY', 'OPENAI_API_KEY'] }));
    const script = () =>
      fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo KEY=$GLM_API_KEY OPENAI=$OPENAI_API_KEY' } }]), text('done'));

    script();
    let r = await runGlm(sb, ['-p', 'print the key', '--allowedTools', 'Bash']);
    expect(r.exitCode).toBe(0);
    expect(lastContent(fake.requests[1])).toContain('KEY= OPENAI=');

    fake.reset();
    await mkdir(path.join(sb.home, '.config', 'glm-code'), { recursive: true });
    await writeFile(path.join(sb.home, '.config', 'glm-code', 'settings.json'), JSON.stringify({ passEnvToCommands: ['GLM_API_KEY'] }));
    script();
    r = await runGlm(sb, ['-p', 'print the key', '--allowedTools', 'Bash']);
    expect(r.exitCode).toBe(0);
    expect(lastContent(fake.requests[1])).toMatch(new RegExp(`KEY=${KEY} OPENAI=$`, 'm'));
  });
});
