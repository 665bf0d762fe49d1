// The REPL in a real terminal: the built `glm` runs in tmux against the fake GLM server, and each test
// types what a user types and checks what the screen shows (and what reached the model).
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text, toolCalls } from '../support/fake-glm-server.ts';
import { glmInTerminal, READY } from './support/glm-terminal.ts';

const tty = glmInTerminal('repl', { 'notes.txt': 'The launch code is 4242.\n', 'src/app.js': 'console.log("app");\n' });
const startGlm = (cols = 100, rows = 30, env: Record<string, string> = {}) => tty.start({ cols, rows, env });

/** Text of the last user message of a request (what the REPL sent). */
const lastUser = (body: { messages: { role: string; content: string }[] }) => body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
const lastTool = (body: { messages: { role: string; content: string }[] }) => body.messages.filter((m) => m.role === 'tool').at(-1)?.content ?? '';

describe('glm (REPL) in a terminal', () => {
  it('sends a prompt and shows the streamed answer rendered as Markdown', async () => {
    tty.fake.reply(text('Hello from **GLM**.\n\n- first point\n- second point\n', { reasoning: 'The user greets me.' }));
    const t = await startGlm();
    t.type('hi there');
    t.press('Enter');
    const screen = await t.waitFor('second point', { what: 'the answer' });
    expect(screen).toContain('Hello from GLM.');
    expect(screen).not.toContain('**GLM**');
    expect(screen).toContain('Reasoning · 4 words');
    expect(lastUser(tty.fake.requests[0])).toBe('hi there');
    await t.waitFor(READY);
  });

  it('runs a Bash command after y and shows its result', async () => {
    tty.fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo tty-approved' } }]), text('The command ran.'));
    const t = await startGlm();
    t.type('run the echo');
    t.press('Enter');
    await t.waitFor('allow once', { what: 'the approval prompt' });
    t.type('y');
    const screen = await t.waitFor('The command ran.');
    expect(screen).toContain('Bash echo tty-approved');
    expect(lastTool(tty.fake.requests[1])).toContain('tty-approved');
  });

  it('denies a Bash command with n and sends the reason to the model', async () => {
    tty.fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'rm -rf build' } }]), text('Understood, I will not delete it.'));
    const t = await startGlm();
    t.type('clean up');
    t.press('Enter');
    await t.waitFor('allow once', { what: 'the approval prompt' });
    t.type('n');
    await t.waitFor('Why not?');
    t.type('keep the build');
    t.press('Enter');
    await t.waitFor('Understood, I will not delete it.');
    expect(lastTool(tty.fake.requests[1])).toContain('keep the build');
  });

  it('stops a slow stream with Esc, keeps the partial answer and returns to the prompt', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    tty.fake.reply(text(long, { chunkSize: 6, delayMs: 30 }));
    const t = await startGlm();
    t.type('talk a lot');
    t.press('Enter');
    await t.waitFor('word5 ', { what: 'the stream to start' });
    t.press('Escape');
    const screen = await t.waitFor(READY, { what: 'the prompt after Esc' });
    expect(screen).toContain('Interrupted');
    expect(screen).not.toContain('word399');
    await new Promise((r) => setTimeout(r, 300));
    expect(t.screen()).not.toContain('word399');
  });

  it('runs a slash command: /help lists commands and keys', async () => {
    const t = await startGlm();
    t.type('/he');
    await t.waitFor('show commands and keys', { what: 'completion' });
    t.press('Enter');
    await t.waitFor('Ctrl+R');
    expect(t.all()).toContain('/resume'); // the list is taller than the screen: its start is in the scrollback
    expect(tty.fake.requests).toHaveLength(0);
  });

  it('completes @file and attaches its content to the message', async () => {
    tty.fake.reply(text('The code is 4242.'));
    const t = await startGlm();
    t.type('what is in @not');
    await t.waitFor('@notes.txt', { what: 'the path completion' });
    t.press('Tab');
    t.type('?');
    t.press('Enter');
    await t.waitFor('The code is 4242.');
    const sent = lastUser(tty.fake.requests[0]);
    expect(sent.split('\n')[0]).toBe('what is in @notes.txt ?');
    expect(sent).toContain('The launch code is 4242.');
  });

  it('exits on Ctrl+D and prints how to resume the session', async () => {
    tty.fake.reply(text('Noted.'));
    const t = await startGlm();
    t.type('remember this');
    t.press('Enter');
    await t.waitFor('Noted.');
    t.press('C-d');
    const screen = await t.waitFor('[exit 0]', { what: 'glm to exit' });
    const id = /glm --resume (\S+)/.exec(screen)?.[1];
    expect(id).toBeTruthy();
    // The session it names is the one on disk, so `glm --resume <id>` finds it.
    const files = await readdir(path.join(tty.sb.home, '.local/share/glm-code'), { recursive: true });
    expect(files.some((f) => f.endsWith(`${id}.jsonl`))).toBe(true);
  });

  it('keeps the contextWindow setting after /model switches models', async () => {
    await mkdir(path.join(tty.sb.home, '.config/glm-code'), { recursive: true });
    await writeFile(path.join(tty.sb.home, '.config/glm-code/settings.json'), JSON.stringify({ contextWindow: 32768 }));
    const t = await startGlm();
    t.type('/model glm-4.5-air');
    t.press('Enter');
    const screen = await t.waitFor('Model: glm-4.5-air', { what: 'the /model notice' });
    expect(screen).toContain('context window 32.8k');
  });

  it('cycles the permission mode with Shift+Tab', async () => {
    const t = await startGlm();
    t.press('BTab');
    await t.waitFor('accept edits');
    t.press('BTab');
    await t.waitFor('plan mode');
  });

  it('keeps colour off under NO_COLOR', async () => {
    tty.fake.reply(text('Some **bold** and `code`.\n\n```js\nconst a = 1;\n```\n'));
    const t = await startGlm(100, 30, { NO_COLOR: '1' });
    t.type('show me');
    t.press('Enter');
    await t.waitFor('const a = 1;');
    const styled = t.tmux('capture-pane', '-p', '-e', '-t', t.name);
    expect(styled).toContain('\x1b[1m'); // bold stays
    // Any SGR parameter that sets a colour (resets to the default colour, 39/49, are fine).
    const colours = [...styled.matchAll(/\x1b\[([\d;]*)m/g)].flatMap((m) => m[1]!.split(';')).filter((p) => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(p));
    expect(colours).toEqual([]);
  });

  it('writes every block of a long streamed answer to the scrollback exactly once, also across typing and a resize', async () => {
    const blocks = Array.from({ length: 12 }, (_, i) => `Paragraph ${i + 1} says something about block ${i + 1} of the answer.`);
    blocks.splice(6, 0, '```js\nconst block = "code";\n```', '- item one\n- item two');
    tty.fake.reply(text(blocks.join('\n\n') + '\n\nThe end.', { chunkSize: 6, delayMs: 4 }));
    const t = await startGlm(100, 12);
    t.type('write a long answer');
    t.press('Enter');
    await t.waitFor('Paragraph 4 says', { what: 'the answer streaming' });
    t.type('typed while streaming'); // renders the prompt without a store change
    await t.waitFor('The end.', { what: 'the end of the answer' });
    t.tmux('resize-window', '-t', t.name, '-x', '90');
    t.press('C-c'); // clears the typed text: the empty prompt shows once the resize is drawn
    await t.waitFor(READY, { what: 'the prompt after the resize' });
    const all = t.all();
    const count = (needle: string) => all.split(needle).length - 1;
    for (let i = 1; i <= 12; i++) expect(count(`Paragraph ${i} says`), `paragraph ${i}`).toBe(1);
    expect(count('const block')).toBe(1);
    expect(count('item two')).toBe(1);
    expect(count('The end.')).toBe(1);
  });

  it('fits a narrow terminal and redraws once after a resize', async () => {
    tty.fake.reply(text('A fairly long sentence that has to wrap in a narrow terminal without breaking the layout.'));
    const t = await startGlm(40, 20);
    t.type('hi');
    t.press('Enter');
    await t.waitFor('the layout.');
    const status = t.screen().trimEnd().split('\n').at(-1)!;
    // The status line fits: its least needed parts are left out, the tokens stay.
    expect(status.length).toBeLessThanOrEqual(40);
    expect(status).toMatch(/^ {2}default mode · .*\d+ tokens$/);
    t.tmux('resize-window', '-t', t.name, '-x', '70');
    await t.waitFor((s) => s.split('\n').some((l) => l.length > 40 && l.includes('default mode')), { what: 'the status line at the new width' });
    expect(t.screen().split(READY).length).toBe(2); // one prompt, no leftover copies
  });
});
