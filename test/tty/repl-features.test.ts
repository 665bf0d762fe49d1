// The REPL features a Claude Code user expects, in a real terminal: a failed command's output stays visible,
// Ctrl+O shows the whole transcript, plan mode ends in an approved plan, /rewind, `!` shell mode, /review.
// The built `glm` runs in tmux against the fake GLM server; each test reads the screen and the requests.
import { describe, expect, it } from 'vitest';
import { text, toolCalls } from '../support/fake-glm-server.ts';
import { glmInTerminal, READY } from './support/glm-terminal.ts';

const tty = glmInTerminal('features', { 'notes.txt': 'The launch code is 4242.\n' });

type Body = { messages: { role: string; content: string }[]; tools?: { function: { name: string } }[] };
const userTexts = (body: Body) => body.messages.filter((m) => m.role === 'user').map((m) => m.content);

describe('REPL features in a terminal', () => {
  it("keeps a failed command's last lines under its tool line, without the progress bar's carriage returns", async () => {
    const script = 'for i in $(seq 1 30); do echo line-$i; done; printf "progress 10%%\\rprogress 99%%\\n"; exit 3';
    await import('node:fs/promises').then((fs) => fs.writeFile(`${tty.sb.repo}/fail.sh`, script));
    tty.fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'sh fail.sh' } }]), text('The script failed.'));
    const t = await tty.start({ args: ['--allowedTools', 'Bash(sh fail.sh)'] });
    t.type('run the script');
    t.press('Enter');
    const screen = await t.waitFor('The script failed.');
    expect(screen).toContain('exit 3');
    expect(screen).toContain('line-30');
    expect(screen).toContain('progress 99%');
    expect(screen).not.toContain('progress 10%');
    expect(screen).not.toContain('\\r');
    expect(screen).toMatch(/… \+2\d lines/);
    expect(screen).not.toContain('line-5\n');
  });

  it('Ctrl+O shows every output in full and goes back to the conversation', async () => {
    tty.fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'notes.txt' } }]), text('It says 4242.'));
    const t = await tty.start();
    t.type('read the notes');
    t.press('Enter');
    await t.waitFor('It says 4242.');
    expect(t.screen()).not.toContain('The launch code is 4242.');
    t.press('C-o');
    const view = await t.waitFor('ctrl+o or esc to go back');
    expect(view).toContain('The launch code is 4242.');
    expect(view).not.toContain(READY);
    t.press('C-o');
    const back = await t.waitFor(READY);
    expect(back).toContain('It says 4242.');
    expect(back).not.toContain('ctrl+o or esc to go back');
  });
});
