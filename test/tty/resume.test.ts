// The REPL in a real terminal (tmux, the built `glm`, the fake GLM server): a resumed session shows its
// earlier conversation and goes on from its token and cost totals, the status line shows the cost from the
// "prices" setting, and an answer the model gave only in its reasoning is shown.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text, toolCalls } from '../support/fake-glm-server.ts';
import { runGlm } from '../support/run-glm.ts';
import { glmInTerminal, READY } from './support/glm-terminal.ts';

const tty = glmInTerminal('resume', { 'notes.txt': 'The launch code is 4242.\n' });
const startGlm = (args: string[] = []) => tty.start({ args, rows: 40 });

describe('glm (REPL) in a terminal: sessions, cost, reasoning-only answers', () => {
  it('shows the earlier conversation of a session resumed with --continue', async () => {
    tty.fake.reply(
      toolCalls([{ name: 'Read', arguments: { file_path: 'notes.txt' } }], { reasoning: 'I should read the notes first.' }),
      text('The launch code is **4242**.\n\n- found in notes.txt\n'),
    );
    const first = await runGlm(tty.sb, ['-p', 'what is the launch code?']);
    expect(first.exitCode).toBe(0);

    tty.fake.reply(text('You asked about the launch code.'));
    const t = await startGlm(['--continue']);
    const screen = await t.waitFor('Resumed session', { what: 'the resume notice' });
    expect(screen).toContain('what is the launch code?');
    expect(screen).toContain('Reasoning · 6 words');
    expect(screen).toContain('Read notes.txt');
    expect(screen).toContain('The launch code is 4242.');
    expect(screen).not.toContain('**4242**');
    expect(screen).toContain('found in notes.txt');
    // The conversation continues from there: the model gets the earlier turns.
    t.type('what did I ask?');
    t.press('Enter');
    await t.waitFor('You asked about the launch code.');
    const sent = tty.fake.requests.at(-1).messages.map((m: { content: string }) => m.content);
    expect(sent).toContain('what is the launch code?');
  });

  it('shows the session cost from the "prices" setting on the status line', async () => {
    const settings = path.join(tty.sb.home, '.config', 'glm-code', 'settings.json');
    await mkdir(path.dirname(settings), { recursive: true });
    await writeFile(settings, JSON.stringify({ model: 'glm-4.6', prices: { 'glm-4.6': { input: 0.6, output: 2.2 } } }));
    tty.fake.reply(text('Priced.', { usage: { prompt_tokens: 10_000, completion_tokens: 1_000, total_tokens: 11_000 } }));
    const t = await startGlm();
    expect(t.screen()).not.toContain('$');
    t.type('hi');
    t.press('Enter');
    await t.waitFor('Priced.');
    // 10k × $0.6 + 1k × $2.2 per million tokens
    await t.waitFor('11k tokens · $0.0082', { what: 'the cost on the status line' });
  });

  it('goes on counting tokens and cost from where a resumed session stopped', async () => {
    const settings = path.join(tty.sb.home, '.config', 'glm-code', 'settings.json');
    await mkdir(path.dirname(settings), { recursive: true });
    await writeFile(settings, JSON.stringify({ model: 'glm-4.6', prices: { 'glm-4.6': { input: 0.6, output: 2.2 } } }));
    tty.fake.reply(text('First.', { usage: { prompt_tokens: 10_000, completion_tokens: 1_000, total_tokens: 11_000 } }));
    expect((await runGlm(tty.sb, ['-p', 'first question'])).exitCode).toBe(0);
    const t = await startGlm(['--continue']);
    await t.waitFor('11k tokens · $0.0082', { what: 'the earlier tokens and cost on the status line' });
    tty.fake.reply(text('Second.', { usage: { prompt_tokens: 12_000, completion_tokens: 1_000, total_tokens: 13_000 } }));
    t.type('second question');
    t.press('Enter');
    // 22k input × $0.6 + 2k output × $2.2 per million tokens
    await t.waitFor('24k tokens · $0.0176', { what: 'the totals of both runs' });
  });

  it('shows an answer the model gave only in its reasoning', async () => {
    tty.fake.reply(text('', { reasoning: 'The sum is four.' }), text('', { reasoning: 'Two plus two makes four.' }));
    const t = await startGlm();
    t.type('what is 2+2?');
    t.press('Enter');
    const screen = await t.waitFor('The model answered only in its reasoning:');
    await t.waitFor(READY);
    expect(t.screen().split('The model answered only in its reasoning:')[1]).toContain('Two plus two makes four.');
    expect(screen).toContain('Reasoning ·');
  });
});
