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

  it("keeps a successful command's last lines when the model then talks about them, not when it goes on with another call", async () => {
    const fs = await import('node:fs/promises');
    await fs.writeFile(`${tty.sb.repo}/count.sh`, 'for i in $(seq 1 14); do echo count-$i; done');
    await fs.writeFile(`${tty.sb.repo}/first.sh`, 'echo first-output-$((40+2))');
    tty.fake.reply(
      toolCalls([{ name: 'Bash', arguments: { command: 'sh first.sh' } }]),
      toolCalls([{ name: 'Bash', arguments: { command: 'sh count.sh' } }]),
      text('It counted to 14.'),
    );
    const t = await tty.start({ args: ['--allowedTools', 'Bash(sh:*)'] });
    t.type('count');
    t.press('Enter');
    const screen = await t.waitFor('It counted to 14.');
    expect(screen).toContain('exit 0 · 14 lines');
    expect(screen).toMatch(/… \+4 lines\n\s+count-5\n/);
    expect(screen).toContain('count-14');
    expect(screen).not.toContain('count-4\n');
    expect(screen).toContain('exit 0 · 1 line');
    expect(screen).not.toContain('first-output-42');
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

  it('plans in plan mode: the request asks for a plan, ExitPlanMode shows it, approving with edits lets the edit run', async () => {
    const plan = '## Plan\n\n1. Change the launch code in `notes.txt` to 1234.\n2. Check it.';
    tty.fake.reply(
      toolCalls([{ name: 'Read', arguments: { file_path: 'notes.txt' } }]),
      toolCalls([{ name: 'ExitPlanMode', arguments: { plan } }]),
      toolCalls([{ name: 'Edit', arguments: { file_path: 'notes.txt', old_string: '4242', new_string: '1234' } }]),
      text('Done: the code is 1234.'),
    );
    const t = await tty.start();
    t.press('BTab');
    await t.waitFor('accept edits');
    t.press('BTab');
    await t.waitFor('plan mode');
    t.type('change the launch code');
    t.press('Enter');
    const box = await t.waitFor('Go ahead with this plan?');
    expect(box).toContain('Change the launch code in notes.txt to 1234.');
    expect(box).not.toContain('## Plan');
    const first = tty.fake.requests[0] as Body & { messages: { role: string; content: string }[] };
    expect(first.messages[0]!.content).toContain('ExitPlanMode');
    expect(first.tools?.map((x) => x.function.name)).toContain('ExitPlanMode');
    t.type('2');
    await t.waitFor('Done: the code is 1234.');
    const notes = await import('node:fs/promises').then((fs) => fs.readFile(`${tty.sb.repo}/notes.txt`, 'utf8'));
    expect(notes).toBe('The launch code is 1234.\n');
    expect(t.screen()).toContain('accept edits');
    const last = tty.fake.requests.at(-1) as Body;
    expect(last.tools?.map((x) => x.function.name)).not.toContain('ExitPlanMode');
  });

  it('keeps planning with feedback: the model gets what to change and stays in plan mode', async () => {
    tty.fake.reply(toolCalls([{ name: 'ExitPlanMode', arguments: { plan: 'Delete everything.' } }]), text('I will revise it.'));
    const t = await tty.start({ args: ['--permission-mode', 'plan'] });
    t.type('plan a cleanup');
    t.press('Enter');
    await t.waitFor('Go ahead with this plan?');
    t.type('3');
    await t.waitFor('What should change?');
    t.type('keep the notes');
    t.press('Enter');
    await t.waitFor('I will revise it.');
    const tool = (tty.fake.requests[1] as Body).messages.filter((m) => m.role === 'tool').at(-1)!.content;
    expect(tool).toContain('keep the notes');
    expect(tool).toContain('stays in plan mode');
    expect(t.screen()).toContain('plan mode');
  });

  it('runs `!command` without the model and sends its output with the next prompt', async () => {
    tty.fake.reply(text('You have notes.txt.'));
    const t = await tty.start();
    t.type('!ls; echo marker-$((6*7))');
    t.press('Enter');
    const screen = await t.waitFor('marker-42');
    expect(screen).toContain('notes.txt');
    expect(screen).toContain('exit 0');
    expect(tty.fake.requests).toHaveLength(0);
    t.type('what files are there?');
    t.press('Enter');
    await t.waitFor('You have notes.txt.');
    const sent = userTexts(tty.fake.requests[0] as Body).at(-1)!;
    expect(sent).toContain('<bash-input>ls; echo marker-$((6*7))</bash-input>');
    expect(sent).toContain('marker-42');
    expect(sent.endsWith('what files are there?')).toBe(true);
  });

  it('/rewind (Esc Esc) of the conversation: the next request, and a resumed one, lack the rewound turns', async () => {
    tty.fake.reply(text('First answer.'), text('Second answer.'), text('Third answer.'), text('Fourth answer.'));
    const t = await tty.start();
    for (const [prompt, answer] of [['first prompt', 'First answer.'], ['second prompt', 'Second answer.']]) {
      t.type(prompt!);
      t.press('Enter');
      await t.waitFor(answer!);
      await t.waitFor(READY);
    }
    t.press('Escape');
    await t.waitFor('Esc again to rewind');
    t.press('Escape');
    await t.waitFor('Rewind to before which prompt?');
    t.press('Enter'); // the newest: "second prompt"
    await t.waitFor('Restore conversation only');
    t.type('2');
    await t.waitFor('Conversation rewound to before "second prompt"');
    await t.waitFor((s) => /❯ second prompt/.test(s), { what: 'the prompt back in the input box' });
    t.press('C-c'); // clears the input box
    await t.waitFor(READY);
    t.type('third prompt');
    t.press('Enter');
    await t.waitFor('Third answer.');
    expect(userTexts(tty.fake.requests[2] as Body)).toEqual(['first prompt', 'third prompt']);
    t.press('C-d');
    await t.waitFor('[exit 0]');
    const again = await tty.start({ args: ['--continue'] });
    again.type('fourth prompt');
    again.press('Enter');
    await again.waitFor('Fourth answer.');
    expect(userTexts(tty.fake.requests[3] as Body)).toEqual(['first prompt', 'third prompt', 'fourth prompt']);
  }, 45_000);

  it('/rewind of the code only restores the file and tells the model which files went back', async () => {
    tty.fake.reply(
      toolCalls([{ name: 'Read', arguments: { file_path: 'notes.txt' } }]),
      toolCalls([{ name: 'Edit', arguments: { file_path: 'notes.txt', old_string: '4242', new_string: '1234' } }]),
      text('Changed.'),
      text('Noted.'),
    );
    const fs = await import('node:fs/promises');
    const t = await tty.start({ args: ['--permission-mode', 'acceptEdits'] });
    t.type('change the code in the notes');
    t.press('Enter');
    await t.waitFor('Changed.');
    expect(await fs.readFile(`${tty.sb.repo}/notes.txt`, 'utf8')).toContain('1234');
    t.type('/rewind');
    t.press('Enter');
    await t.waitFor('Rewind to before which prompt?');
    t.press('Enter');
    await t.waitFor('Restore code only');
    t.type('3');
    await t.waitFor('Code restored to before');
    expect(await fs.readFile(`${tty.sb.repo}/notes.txt`, 'utf8')).toBe('The launch code is 4242.\n');
    t.type('what now?');
    t.press('Enter');
    await t.waitFor('Noted.');
    const users = userTexts(tty.fake.requests[3] as Body);
    expect(users[0]).toBe('change the code in the notes');
    expect(users.at(-1)).toMatch(/<files-restored>.*notes\.txt \(restored\).*<\/files-restored>\n\nwhat now\?$/s);
  });

  it('leaves no fragments of the approval box when the terminal is resized while it is open', async () => {
    tty.fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo resized-and-fine' } }]), text('Ran it.'));
    const t = await tty.start({ cols: 100, rows: 30 });
    t.type('run the echo');
    t.press('Enter');
    await t.waitFor('allow once');
    t.tmux('resize-window', '-t', t.name, '-x', '60');
    await new Promise((r) => setTimeout(r, 400));
    t.tmux('resize-window', '-t', t.name, '-x', '80');
    await new Promise((r) => setTimeout(r, 400));
    const screen = t.screen();
    expect(screen.split('commands need approval').length).toBe(2); // one box, no leftover copy
    expect(t.all()).toContain('› run the echo'); // and nothing of the conversation erased
    expect(screen.match(/╭/g)).toHaveLength(1);
    expect(screen.match(/╰/g)).toHaveLength(1);
    t.type('y');
    await t.waitFor('Ran it.');
  });

  it('the small things: /clear clears the screen and leaves no empty session to resume; "1 turn"; the retry line has its space', async () => {
    tty.fake.reply(text('Before clear.'));
    const t = await tty.start();
    t.type('say something');
    t.press('Enter');
    await t.waitFor('Before clear.');
    t.type('/clear');
    t.press('Enter');
    const cleared = await t.waitFor('New session');
    expect(cleared).not.toContain('Before clear.');
    expect(t.all()).not.toContain('Before clear.');
    t.press('C-d');
    const exit = await t.waitFor('[exit 0]');
    expect(exit).not.toContain('glm --resume');

    tty.fake.reply({ kind: 'error', status: 429, body: { error: { code: '1302', message: 'rate limited' } }, headers: { 'retry-after': '2' } }, toolCalls([{ name: 'Read', arguments: { file_path: 'notes.txt' } }]));
    const u = await tty.start({ args: ['--max-turns', '1'] });
    u.type('go');
    u.press('Enter');
    const retry = await u.waitFor('Retrying (');
    expect(retry).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Retrying \(\d\/\d\)/);
    const stopped = await u.waitFor('Stopped after 1 turn');
    expect(stopped).not.toContain('1 turns');
  });

  it("custom commands show their description and argument-hint, never $ARGUMENTS, and honour allowed-tools and model for their turn", async () => {
    const fs = await import('node:fs/promises');
    const dir = `${tty.sb.home}/.config/glm-code/commands`;
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(`${dir}/shout.md`, '---\ndescription: Echo a word loudly\nargument-hint: <word>\nallowed-tools: Bash(echo:*)\nmodel: glm-4.5-air\n---\nRun echo $ARGUMENTS with Bash.\n');
    await fs.writeFile(`${dir}/plain.md`, 'Explain $ARGUMENTS simply.\n');
    tty.fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo LOUD' } }]), text('Shouted.'), text('Plain again.'));
    const t = await tty.start();
    t.type('/sho');
    const menu = await t.waitFor('Echo a word loudly', { what: 'the command in the completion menu' });
    expect(menu).toContain('<word>');
    t.press('C-c');
    t.type('/help');
    t.press('Enter');
    const help = await t.waitFor('Explain … simply', { scrollback: true });
    expect(help).toMatch(/\/shout <word>\s+Echo a word loudly \(user\)/);
    expect(help).not.toContain('$ARGUMENTS');
    t.type('/shout LOUD');
    t.press('Enter');
    await t.waitFor('Shouted.');
    expect(t.screen()).not.toContain('allow once');
    expect(tty.fake.requests[0].model).toBe('glm-4.5-air');
    t.type('and again');
    t.press('Enter');
    await t.waitFor('Plain again.');
    expect(tty.fake.requests[2].model).not.toBe('glm-4.5-air');
  }, 30_000);

  it('/review reviews the uncommitted changes read-only in acceptEdits mode and lists the findings; --fix asks before each change', async () => {
    const fs = await import('node:fs/promises');
    await fs.writeFile(`${tty.sb.repo}/notes.txt`, 'The launch code is 0000.\n');
    const report = {
      verdict: 'fail',
      summary: 'The launch code changed.',
      findings: [{ file: 'notes.txt', line: 1, severity: 'error', message: 'The launch code must stay 4242.' }],
    };
    tty.fake.reply(
      toolCalls([{ name: 'ReportReview', arguments: report }]),
      toolCalls([{ name: 'ReportReview', arguments: report }]),
      toolCalls([{ name: 'Read', arguments: { file_path: 'notes.txt' } }]),
      toolCalls([{ name: 'Edit', arguments: { file_path: 'notes.txt', old_string: '0000', new_string: '4242' } }]),
      text('Fixed the code.'),
    );
    const t = await tty.start({ args: ['--permission-mode', 'acceptEdits'] });
    t.type('/review');
    t.press('Enter');
    const screen = await t.waitFor('Review: fail · 1 finding');
    expect(screen).toMatch(/error\s+notes\.txt:1\s+The launch code must stay 4242\./);
    const first = tty.fake.requests[0] as Body;
    expect(first.tools!.map((x) => x.function.name).sort()).toEqual(['Glob', 'Grep', 'LS', 'Read', 'ReportReview']);
    expect(first.messages[0]!.content).not.toMatch(/\{\{|\}\}/);
    expect(first.messages.at(-1)!.content).toContain('notes.txt');

    t.type('/review --fix');
    t.press('Enter');
    await t.waitFor('allow once', { what: 'the edit to be put to the user, in acceptEdits mode too' });
    t.type('y');
    await t.waitFor('Fixed the code.');
    expect(await fs.readFile(`${tty.sb.repo}/notes.txt`, 'utf8')).toBe('The launch code is 4242.\n');
    await t.waitFor(READY);
    expect(t.screen()).toContain('accept edits');
  }, 40_000);
});

