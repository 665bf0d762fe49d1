// The REPL's project trust dialog in a real terminal (tmux, the built `glm`, the fake GLM server): a project whose
// .glm/settings.json allows a command asks first; `y` remembers the trust and the command then runs unasked,
// `n` leaves the rule out and the command asks.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text, toolCalls } from '../support/fake-glm-server.ts';
import { glmInTerminal, READY } from './support/glm-terminal.ts';
import type { Tmux } from './support/tmux.ts';

const SETTINGS = { permissions: { allow: ['Bash(echo tty-trusted)'] } };
const DIALOG = 'Trust this project (';
const tty = glmInTerminal('trust', { '.glm/settings.json': JSON.stringify(SETTINGS) });

async function startAtDialog(args: string[] = []): Promise<Tmux> {
  const t = await tty.start({ args, until: DIALOG });
  const screen = await t.waitFor(DIALOG);
  expect(screen).toContain('Bash(echo tty-trusted)');
  expect(screen).not.toContain(READY);
  return t;
}

/** Answers the dialog (y or n, then Enter) and returns the screen once the prompt is there. */
async function answer(t: Tmux, key: 'y' | 'n'): Promise<string> {
  t.type(key);
  t.press('Enter');
  return t.waitFor(READY, { what: 'the prompt' });
}

/** Asks the model (scripted) to run the echo the project's rule allows. */
function askForTheEcho(t: Tmux): void {
  t.type('run the echo');
  t.press('Enter');
}

const lastTool = (body: { messages: { role: string; content: string }[] }) => body.messages.filter((m) => m.role === 'tool').at(-1)?.content ?? '';

describe('glm (REPL) in a terminal: project trust', () => {
  it('trusts the project with y: the rule applies at once and is remembered', async () => {
    tty.fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo tty-trusted' } }]), text('It ran.'));
    const t = await startAtDialog();
    await answer(t, 'y');
    await t.waitFor('Trusted this project');
    askForTheEcho(t);
    const screen = await t.waitFor('It ran.');
    expect(screen).not.toContain('allow once');
    expect(lastTool(tty.fake.requests[1])).toContain('tty-trusted');
    expect(readFileSync(path.join(tty.sb.home, '.config', 'glm-code', 'trusted-projects.json'), 'utf8')).toContain(tty.sb.repo);
  });

  it('shows acceptEdits even when --permission-mode picks the mode; y keeps the flag now and trusts both', async () => {
    await writeFile(path.join(tty.sb.repo, '.glm', 'settings.json'), JSON.stringify({ permissions: { ...SETTINGS.permissions, defaultMode: 'acceptEdits' } }));
    const t = await startAtDialog(['--permission-mode', 'default']);
    expect(await t.waitFor(DIALOG)).toContain('defaultMode acceptEdits');
    expect(await answer(t, 'y')).toContain('default mode');
    // Without the flag the trusted project's mode applies, with no question.
    const screen = await (await tty.start()).waitFor(READY);
    expect(screen).not.toContain('Trust this project');
    expect(screen).toMatch(/accept edits|acceptEdits/);
  });

  it('keeps the rule out with n: the command asks', async () => {
    tty.fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo tty-trusted' } }]), text('Not run.'));
    const t = await startAtDialog();
    await answer(t, 'n');
    askForTheEcho(t);
    await t.waitFor('allow once', { what: 'the approval prompt' });
    t.press('Escape');
    await t.waitFor('Not run.');
  });
});
