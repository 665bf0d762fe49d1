// The REPL's project trust dialog in a real terminal (tmux, the built `glm`, the fake GLM server): a project whose
// .glm/settings.json allows a command asks first; `y` remembers the trust and the command then runs unasked,
// `n` leaves the rule out and the command asks.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { GLM_BIN, makeSandbox, type Sandbox } from '../support/run-glm.ts';
import { READY } from './support/glm-terminal.ts';
import { Tmux } from './support/tmux.ts';

const socket = `glm-tty-trust-${process.pid}`;
const SETTINGS = { permissions: { allow: ['Bash(echo tty-trusted)'] } };
let fake: FakeGlm;
let sb: Sandbox;
let term: Tmux | undefined;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(async () => {
  Tmux.killServer(socket);
  await fake.close();
});
beforeEach(async () => {
  fake.reset();
  sb = await makeSandbox({ '.glm/settings.json': JSON.stringify(SETTINGS) }, fake.url);
});
afterEach(() => {
  term?.kill();
  term = undefined;
});

async function startAtDialog(): Promise<Tmux> {
  term = Tmux.start({ socket, command: [process.execPath, GLM_BIN], cwd: sb.repo, env: { ...sb.env, TERM: 'xterm-256color' }, cols: 100, rows: 30 });
  const screen = await term.waitFor('Trust this project (', { what: 'the trust dialog' });
  expect(screen).toContain('Bash(echo tty-trusted)');
  expect(screen).not.toContain(READY);
  return term;
}

const lastTool = (body: { messages: { role: string; content: string }[] }) => body.messages.filter((m) => m.role === 'tool').at(-1)?.content ?? '';

describe('glm (REPL) in a terminal: project trust', () => {
  it('trusts the project with y: the rule applies at once and is remembered', async () => {
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo tty-trusted' } }]), text('It ran.'));
    const t = await startAtDialog();
    t.type('y');
    t.press('Enter');
    await t.waitFor(READY, { what: 'the prompt' });
    await t.waitFor('Trusted this project');
    t.type('run the echo');
    t.press('Enter');
    const screen = await t.waitFor('It ran.');
    expect(screen).not.toContain('allow once');
    expect(lastTool(fake.requests[1])).toContain('tty-trusted');
    expect(readFileSync(path.join(sb.home, '.config', 'glm-code', 'trusted-projects.json'), 'utf8')).toContain(sb.repo);
  });

  it('shows acceptEdits even when --permission-mode picks the mode; y keeps the flag now and trusts both', async () => {
    await writeFile(path.join(sb.repo, '.glm', 'settings.json'), JSON.stringify({ permissions: { ...SETTINGS.permissions, defaultMode: 'acceptEdits' } }));
    term = Tmux.start({ socket, command: [process.execPath, GLM_BIN, '--permission-mode', 'default'], cwd: sb.repo, env: { ...sb.env, TERM: 'xterm-256color' }, cols: 100, rows: 30 });
    const dialog = await term.waitFor('Trust this project (', { what: 'the trust dialog' });
    expect(dialog).toContain('defaultMode acceptEdits');
    term.type('y');
    term.press('Enter');
    expect(await term.waitFor(READY, { what: 'the prompt' })).toContain('default mode');
    term.kill();
    // Without the flag the trusted project's mode applies, with no question.
    term = Tmux.start({ socket, command: [process.execPath, GLM_BIN], cwd: sb.repo, env: { ...sb.env, TERM: 'xterm-256color' }, cols: 100, rows: 30 });
    const screen = await term.waitFor(READY, { what: 'the prompt' });
    expect(screen).not.toContain('Trust this project');
    expect(screen).toMatch(/accept edits|acceptEdits/);
  });

  it('keeps the rule out with n: the command asks', async () => {
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo tty-trusted' } }]), text('Not run.'));
    const t = await startAtDialog();
    t.type('n');
    t.press('Enter');
    await t.waitFor(READY, { what: 'the prompt' });
    t.type('run the echo');
    t.press('Enter');
    await t.waitFor('allow once', { what: 'the approval prompt' });
    t.press('Escape');
    await t.waitFor('Not run.');
  });
});
