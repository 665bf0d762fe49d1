import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadMarkdown } from '../../src/ui/markdown.ts';
import { FakeHost, type FakeSession } from './support/fake-host.ts';
import { KEY, renderRepl } from './support/render.tsx';

type Screen = Awaited<ReturnType<typeof renderRepl>>;
let screens: Screen[] = [];
const open = async (host?: FakeHost): Promise<Screen> => {
  const s = await renderRepl(host);
  screens.push(s);
  return s;
};
beforeAll(() => loadMarkdown());
afterEach(() => {
  for (const s of screens) s.unmount();
  screens = [];
});

/** Types a prompt, sends it and waits until the session has it. */
async function send(s: Screen, text: string): Promise<FakeSession> {
  const before = s.host.sessions.reduce((n, x) => n + x.prompts.length, 0);
  await s.type(text);
  await s.press(KEY.enter);
  await s.waitFor(() => s.host.sessions.reduce((n, x) => n + x.prompts.length, 0) > before, `"${text}" to reach the session`);
  return s.host.session;
}

const assistantEnd = { type: 'assistant_message', message: { role: 'assistant', content: '' }, finishReason: 'stop' } as const;

describe('REPL: prompts and answers', () => {
  it('sends a typed prompt and renders the streamed answer as Markdown', async () => {
    const s = await open();
    const session = await send(s, 'hello');
    expect(session.prompts).toEqual(['hello']);
    await s.waitFor('› hello');
    session.emit({ type: 'thinking_delta', text: 'The user greets me.' });
    await s.waitFor('The user greets me.');
    session.emit({ type: 'text_delta', text: '# Hi there\n\nSome **bold** and `code`' });
    await s.waitFor('Some bold and code');
    session.emit(assistantEnd);
    session.finish();
    await s.waitFor('Reasoning · 4 words (ctrl+t to show)');
    await s.waitFor('Ask anything');
    expect(s.all()).toContain('● Hi there');
    expect(s.all()).not.toContain('**bold**');
  });

  it('shows tool calls with a live output tail, a compact result and a diff', async () => {
    const s = await open();
    const session = await send(s, 'run it');
    session.emit({ type: 'tool_start', callId: 'b', name: 'Bash', input: { command: 'npm test' }, title: 'Bash npm test' });
    session.emit({ type: 'tool_output', callId: 'b', chunk: 'PASS test/a.test.ts\n' });
    await s.waitFor('PASS test/a.test.ts');
    session.emit({ type: 'tool_end', callId: 'b', name: 'Bash', output: 'ok', display: { summary: 'exit 0 · 12 lines' }, isError: false });
    session.emit({ type: 'tool_start', callId: 'e', name: 'Edit', input: {}, title: 'Edit src/a.ts' });
    session.emit({ type: 'tool_end', callId: 'e', name: 'Edit', output: 'ok', display: { summary: '+1 -1', diff: '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-const a = 1;\n+const a = 2;\n' }, isError: false });
    await s.waitFor('+const a = 2;');
    const all = s.all();
    expect(all).toContain('● Bash npm test');
    expect(all).toContain('⎿ exit 0 · 12 lines');
    expect(all).toContain('-const a = 1;');
    expect(all).not.toContain('+++ b/src/a.ts');
  });

  it('interrupts the turn with Esc, keeps the partial answer and returns to the prompt', async () => {
    const s = await open();
    const session = await send(s, 'write a lot');
    session.emit({ type: 'text_delta', text: 'The first half of' });
    await s.waitFor('The first half of');
    await s.press(KEY.esc);
    await s.waitFor('Interrupted');
    expect(session.aborts).toBe(1);
    await s.waitFor('Ask anything');
    expect(s.all()).toContain('The first half of');
  });

  it('queues a message typed while the model works and sends it next', async () => {
    const s = await open();
    const session = await send(s, 'first');
    await s.type('second');
    await s.press(KEY.enter);
    await s.waitFor('queued: second');
    expect(session.prompts).toEqual(['first']);
    session.finish();
    await s.waitFor(() => session.prompts.length === 2, 'the queued prompt');
    expect(session.prompts[1]).toBe('second');
  });

  it('puts queued messages back into the prompt when the turn is interrupted', async () => {
    const s = await open();
    await send(s, 'first');
    await s.type('later');
    await s.press(KEY.enter);
    await s.waitFor('queued: later');
    await s.press(KEY.esc);
    await s.waitFor('Interrupted');
    await s.waitFor(() => s.last().includes('❯ later'), 'the queued text back in the prompt');
    expect(s.host.session.prompts).toEqual(['first']);
  });
});

describe('REPL: approvals', () => {
  const ask = (session: FakeSession) => session.ask({ title: 'Bash rm build', rule: 'Bash(rm:*)', input: { command: 'rm build' } });

  it('allows once with y', async () => {
    const s = await open();
    const session = await send(s, 'clean');
    const answer = ask(session);
    await s.waitFor('Bash(rm:*)');
    await s.press('y');
    expect(await answer).toEqual({ decision: 'allow' });
    await s.waitFor(() => !s.last().includes('allow once'), 'the prompt to close');
  });

  it('always allows with a', async () => {
    const s = await open();
    const session = await send(s, 'clean');
    const answer = ask(session);
    await s.waitFor('always allow');
    await s.press('a');
    expect(await answer).toEqual({ decision: 'allow', always: true });
  });

  it('denies with n and sends the typed reason', async () => {
    const s = await open();
    const session = await send(s, 'clean');
    const answer = ask(session);
    await s.waitFor('allow once');
    await s.press('n');
    await s.waitFor('Why not?');
    await s.type('use git clean');
    await s.press(KEY.enter);
    expect(await answer).toEqual({ decision: 'deny', feedback: 'use git clean' });
  });

  it('denies with Esc without stopping the turn', async () => {
    const s = await open();
    const session = await send(s, 'clean');
    const answer = ask(session);
    await s.waitFor('allow once');
    await s.press(KEY.esc);
    expect(await answer).toEqual({ decision: 'deny' });
    expect(session.aborts).toBe(0);
  });

  it('asks one approval at a time', async () => {
    const s = await open();
    const session = await send(s, 'two');
    const first = session.ask({ title: 'Bash one', rule: 'Bash(one:*)' });
    const second = session.ask({ title: 'Bash two', rule: 'Bash(two:*)' });
    await s.waitFor('Bash(one:*)');
    await s.press('y');
    expect(await first).toEqual({ decision: 'allow' });
    await s.waitFor('Bash(two:*)');
    await s.press(KEY.esc);
    expect(await second).toEqual({ decision: 'deny' });
  });
});

describe('REPL: keys', () => {
  it('cycles the permission mode with Shift+Tab', async () => {
    const s = await open();
    await s.press(KEY.shiftTab);
    await s.waitFor('accept edits');
    expect(s.host.session.permissionMode).toBe('acceptEdits');
    await s.press(KEY.shiftTab);
    await s.waitFor('plan mode');
    await s.press(KEY.shiftTab);
    expect(s.host.session.permissionMode).toBe('default');
  });

  it('clears the input with Ctrl+C and exits on a second Ctrl+C', async () => {
    const s = await open();
    await s.type('draft');
    await s.press(KEY.ctrl('c'));
    await s.waitFor(() => !s.last().includes('draft'), 'the input to clear');
    await s.press(KEY.ctrl('c'));
    await s.waitFor('Press Ctrl+C again to exit');
    await s.press(KEY.ctrl('c'));
    expect(await s.controller.exited).toBe(0);
  });

  it('exits with Ctrl+D on an empty prompt', async () => {
    const s = await open();
    await s.press(KEY.ctrl('d'));
    expect(await s.controller.exited).toBe(0);
  });

  it('adds lines with Ctrl+J and a trailing backslash, and sends them as one message', async () => {
    const s = await open();
    await s.type('one');
    await s.press('\n');
    await s.type('two\\');
    await s.press(KEY.enter);
    await s.type('three');
    await s.press(KEY.enter);
    await s.waitFor(() => s.host.session.prompts.length === 1, 'the prompt');
    expect(s.host.session.prompts[0]).toBe('one\ntwo\nthree');
  });

  it('keeps a pasted block as one message', async () => {
    const s = await open();
    const block = Array.from({ length: 30 }, (_, i) => `row ${i}`).join('\n');
    await s.press(`\x1b[200~${block}\x1b[201~`);
    await s.waitFor('[Pasted text #1 +30 lines]');
    await s.press(KEY.enter);
    await s.waitFor(() => s.host.session.prompts.length === 1, 'the prompt');
    expect(s.host.session.prompts[0]).toBe(block);
  });

  it('recalls history with Up, persisted per project, and finds it with Ctrl+R', async () => {
    const host = new FakeHost();
    const s = await open(host);
    await send(s, 'npm run build');
    s.host.session.finish();
    await send(s, 'git status');
    s.host.session.finish();
    s.unmount();
    const again = await open(new FakeHost({ dir: host.config.cwd }));
    await again.press(KEY.up);
    await again.waitFor(() => again.last().includes('❯ git status'), 'the last prompt');
    await again.press(KEY.ctrl('u'));
    await again.press(KEY.ctrl('r'));
    await again.type('npm');
    await again.waitFor('npm run build');
    await again.press(KEY.enter);
    await again.press(KEY.enter);
    await again.waitFor(() => again.host.sessions[0]!.prompts.length === 1, 'the found prompt');
    expect(again.host.session.prompts).toEqual(['npm run build']);
  });

  it('shows all reasoning with Ctrl+T', async () => {
    const s = await open();
    const session = await send(s, 'q');
    session.emit({ type: 'thinking_delta', text: 'A long chain of thought about everything.' }, { type: 'text_delta', text: 'answer' }, assistantEnd);
    session.finish();
    await s.waitFor('(ctrl+t to show)');
    expect(s.all()).not.toContain('A long chain of thought');
    await s.press(KEY.ctrl('t'));
    await s.waitFor('A long chain of thought about everything.');
  });
});

describe('REPL: slash commands', () => {
  it('completes a command and runs /help', async () => {
    const s = await open();
    await s.type('/he');
    await s.waitFor('show commands and keys');
    await s.press(KEY.enter);
    await s.waitFor('Commands');
    expect(s.all()).toContain('/thinking [on|off]');
    expect(s.all()).toContain('Shift+Tab');
  });

  it('changes the model and thinking for the next request', async () => {
    const s = await open();
    await s.type('/model glm-4.7');
    await s.press(KEY.enter);
    await s.waitFor('Model: glm-4.7');
    expect(s.host.session.model).toBe('glm-4.7');
    await s.type('/thinking off');
    await s.press(KEY.enter);
    await s.waitFor('thinking off');
    expect(s.host.session.thinking).toBe(false);
  });

  it('starts a new session with /clear', async () => {
    const s = await open();
    await s.type('/clear');
    await s.press(KEY.enter);
    await s.waitFor(() => s.host.sessions.length === 2, 'a second session');
    expect(s.host.sessions[0]!.closed).toBe(true);
    await s.waitFor('New session s2');
  });

  it('resumes a picked session with /resume', async () => {
    const host = new FakeHost();
    host.past = [
      { id: 'old-1', updatedAt: '2026-01-01T10:00:00Z', firstPrompt: 'fix the parser', turns: 3 },
      { id: 'old-2', updatedAt: '2026-02-01T10:00:00Z', firstPrompt: 'add a flag', turns: 1 },
    ];
    const s = await open(host);
    await s.type('/resume');
    await s.press(KEY.enter);
    await s.waitFor('Resume which session?');
    await s.press(KEY.down, KEY.enter);
    await s.waitFor(() => host.sessions.length === 2, 'the resumed session');
    expect(host.session.id).toBe('old-1');
    await s.waitFor('Resumed session old-1');
  });

  it('lists and removes session rules with /permissions', async () => {
    const s = await open();
    s.host.session.sessionRules = ['Bash(npm test:*)'];
    await s.type('/permissions');
    await s.press(KEY.enter);
    await s.waitFor('Remove Bash(npm test:*)');
    await s.press(KEY.enter);
    await s.waitFor(() => s.host.session.sessionRules.length === 0, 'the rule removed');
  });

  it('/permissions names the rules an untrusted project file would add and how to trust it', async () => {
    const entries = [
      { kind: 'allow', value: 'Bash(npm test:*)' },
      { kind: 'defaultMode', value: 'acceptEdits' },
      { kind: 'baseUrl', value: 'http://127.0.0.1:9/v1' },
    ] as const;
    const untrustedProject = { file: '/p/.glm/settings.json', entries: [...entries], fingerprint: 'sha256:x' };
    const s = await open(new FakeHost({ config: { untrustedProject, additionalDirectories: ['/srv/shared'] } }));
    await s.type('/permissions');
    await s.press(KEY.enter);
    await s.waitFor('Additional directories: /srv/shared');
    await s.waitFor('Not used (project not trusted: run glm trust): Bash(npm test:*), defaultMode acceptEdits, baseUrl');
    await s.waitFor('http://127.0.0.1:9/v1');
  });

  it('runs /init as a prompt and shows the command, not the prompt', async () => {
    const s = await open();
    await s.type('/init');
    await s.press(KEY.enter);
    await s.waitFor(() => s.host.session.prompts.length === 1, 'the init prompt');
    expect(s.host.session.prompts[0]).toContain('AGENTS.md');
    await s.waitFor('› /init');
  });

  it('turns .glm/commands/<name>.md into a command with $ARGUMENTS', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'glm-ui-'));
    mkdirSync(path.join(dir, '.glm', 'commands'), { recursive: true });
    writeFileSync(path.join(dir, '.glm', 'commands', 'fix.md'), '---\ndescription: fix an issue\n---\nFix issue $ARGUMENTS and add a test.\n');
    const s = await open(new FakeHost({ dir }));
    await s.waitFor(() => s.controller.commands.some((c) => c.name === 'fix'), 'custom commands to load');
    await s.type('/fi');
    await s.waitFor('fix an issue (project)');
    await s.type('x 42');
    await s.press(KEY.enter);
    await s.waitFor(() => s.host.session.prompts.length === 1, 'the custom prompt');
    expect(s.host.session.prompts[0]).toBe('Fix issue 42 and add a test.');
  });

  it('says so for an unknown command', async () => {
    const s = await open();
    await s.type('/nope');
    await s.press(KEY.enter);
    await s.waitFor('Unknown command /nope. /help lists them.');
  });

  it('lists /help with long descriptions continuing under their column, not at the left edge', async () => {
    const host = new FakeHost();
    host.commands = [{ name: 'lint', args: '[paths…]', description: 'run the linter over the given paths, or the files changed since the last commit when none are given', run: () => {} }];
    const s = await open(host);
    await s.type('/help');
    await s.press(KEY.enter);
    await s.waitFor('Keys');
    const rows = s.all().split('\n');
    const at = rows.findIndex((r) => r.startsWith('  /lint [paths…]'));
    const column = rows[at]!.indexOf('run the linter');
    expect(column).toBeGreaterThan(10);
    expect(rows[at + 1]).toMatch(new RegExp(`^ {${column}}\\S`));
  });

  it('suggests the command a typo was close to', async () => {
    const s = await open();
    await s.type('/modle');
    await s.press(KEY.enter);
    await s.waitFor('Unknown command /modle. Did you mean /model? /help lists them.');
  });
});

describe('REPL: @ mentions', () => {
  it('completes project paths, honouring .gitignore, and attaches the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'glm-ui-'));
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'src', 'parser.ts'), 'export const parse = 1;\n');
    writeFileSync(path.join(dir, 'secret.log'), 'nope');
    writeFileSync(path.join(dir, '.gitignore'), '*.log\n');
    const s = await open(new FakeHost({ dir }));
    await s.type('look at @pars');
    await s.waitFor('@src/parser.ts');
    await s.press(KEY.tab);
    await s.waitFor(() => s.last().includes('look at @src/parser.ts'), 'the completed path');
    await s.press(KEY.enter);
    await s.waitFor(() => s.host.session.prompts.length === 1, 'the prompt');
    const prompt = s.host.session.prompts[0]!;
    expect(prompt.startsWith('look at @src/parser.ts')).toBe(true);
    expect(prompt).toContain('<file path="src/parser.ts">\nexport const parse = 1;\n</file>');
    expect(s.controller.files).not.toContain('secret.log');
    expect(readFileSync(path.join(dir, 'src', 'parser.ts'), 'utf8')).toBe('export const parse = 1;\n');
  });
});

describe('REPL: fast typing', () => {
  it('treats Tab and Enter that arrive in one chunk with typed text as key presses', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'glm-ui-'));
    writeFileSync(path.join(dir, 'notes.txt'), 'n\n');
    const s = await open(new FakeHost({ dir }));
    await s.type('read @not');
    await s.waitFor('@notes.txt');
    await s.press('\t?');
    await s.press('!\r');
    await s.waitFor(() => s.host.session.prompts.length === 1, 'the prompt');
    expect(s.host.session.prompts[0]!.split('\n')[0]).toBe('read @notes.txt ?!');
  });
});

describe('REPL: status line', () => {
  it('shows model, provider, mode, context used and session tokens', async () => {
    const s = await open();
    const session = await send(s, 'hi');
    session.contextTokens = 50_000;
    session.usage = { inputTokens: 52_000, outputTokens: 1_500, cachedTokens: 0, reasoningTokens: 0 };
    session.emit({ type: 'turn_end', turn: 1 });
    session.finish();
    await s.waitFor('glm-4.6 · zai · ctx 50k (25%) · 53.5k tokens');
  });
});

describe('REPL: commands from the host', () => {
  it('lists a host command in completion and runs it with the command context', async () => {
    const host = new FakeHost();
    const seen: string[] = [];
    host.commands = [{ name: 'undo', description: 'undo the last turn', run: (ctx, args) => { seen.push(args); ctx.notice('Undid 2 files.'); } }];
    const s = await open(host);
    await s.type('/un');
    await s.waitFor('undo the last turn');
    await s.press(KEY.enter);
    await s.waitFor('Undid 2 files.');
    expect(seen).toEqual(['']);
  });

  it('sends a one-line "# note" to the host\'s /note command instead of the model', async () => {
    const host = new FakeHost();
    const seen: string[] = [];
    host.commands = [{ name: 'note', description: 'remember a rule', run: (ctx, args) => { seen.push(args); ctx.notice('Noted.'); } }];
    const s = await open(host);
    await s.type('# always run npm test');
    await s.press(KEY.enter);
    await s.waitFor('Noted.');
    expect(seen).toEqual(['always run npm test']);
    expect(host.session.prompts).toEqual([]);
  });
});

describe('REPL: start-up', () => {
  it('resumes the session the host names and sends a prompt given on the command line', async () => {
    const host = new FakeHost();
    host.resumeId = 'abc123';
    host.initialPrompt = 'continue with the tests';
    const s = await open(host);
    await s.waitFor(() => host.sessions[0]?.prompts.length === 1, 'the initial prompt');
    expect(host.session.id).toBe('abc123');
    expect(host.session.prompts).toEqual(['continue with the tests']);
    await s.waitFor('Resumed session abc123.');
  });
});

describe('REPL: keys before the session is open', () => {
  it('hands a mode chosen with Shift+Tab to the session once it opens', async () => {
    const host = new FakeHost();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const openSession = host.openSession.bind(host);
    host.openSession = async (o) => {
      await gate;
      return openSession(o);
    };
    const s = await renderRepl(host, { waitForSession: false });
    screens.push(s);
    await s.press(KEY.shiftTab);
    await s.waitFor('accept edits');
    release();
    await s.waitFor(() => host.sessions.length === 1, 'the session');
    expect(host.session.permissionMode).toBe('acceptEdits');
  });
});
