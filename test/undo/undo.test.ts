// `glm undo` end to end: sessions run by the built binary change files through Edit, Write and MultiEdit, then
// undo puts them back, turn by turn, and refuses (naming the file) when a file changed outside the session.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';
import { execa } from 'execa';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const original = 'export function add(a, b) {\n  return a - b;\n}\n';
const exists = (p: string) => stat(p).then(() => true, () => false);

describe('glm undo', () => {
  let sb: Sandbox;
  const file = (name: string) => path.join(sb.repo, name);
  const edit = () => [
    toolCalls([{ name: 'Read', arguments: { file_path: 'math.js' } }]),
    toolCalls([{ name: 'Edit', arguments: { file_path: 'math.js', old_string: 'a - b', new_string: 'a + b' } }]),
    text('Fixed.'),
  ];
  beforeEach(async () => {
    sb = await makeSandbox({ 'math.js': original, 'notes.md': 'one\ntwo\n' }, fake.url);
  });

  it('restores a file changed by Edit, and keeps its store out of the repository', async () => {
    fake.reply(...edit());
    expect((await runGlm(sb, ['-p', 'fix add', '--permission-mode', 'acceptEdits'])).exitCode).toBe(0);
    expect(await readFile(file('math.js'), 'utf8')).toContain('a + b');
    expect((await execa('git', ['status', '--porcelain'], { cwd: sb.repo })).stdout).toBe(' M math.js');
    const sessions = path.join(sb.home, '.local/share/glm-code/sessions');
    const [project] = await readdir(sessions);
    const ids = (await readdir(path.join(sessions, project!))).filter((n) => !n.endsWith('.jsonl'));
    expect(await exists(path.join(sessions, project!, ids[0]!, 'undo', 'index.json'))).toBe(true);

    // A newer session that changed nothing does not hide the one that did.
    fake.reply(text('Just a question.'));
    await runGlm(sb, ['-p', 'what is this?']);
    const r = await runGlm(sb, ['undo']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('restored: math.js');
    expect(r.stdout).toMatch(/Back to before turn 1 of session \S+\./);
    expect(await readFile(file('math.js'), 'utf8')).toBe(original);
    expect((await runGlm(sb, ['undo'])).exitCode).toBe(1);
  });

  it('goes back turn by turn: Write (a new file) and MultiEdit in turn 2, Edit in turn 1', async () => {
    fake.reply(...edit());
    await runGlm(sb, ['-p', 'fix add', '--permission-mode', 'acceptEdits']);
    fake.reply(
      toolCalls([{ name: 'Write', arguments: { file_path: 'sub/new.js', content: 'export const x = 1;\n' } }]),
      toolCalls([{ name: 'Read', arguments: { file_path: 'notes.md' } }]),
      toolCalls([{ name: 'MultiEdit', arguments: { file_path: 'notes.md', edits: [{ old_string: 'one', new_string: 'ONE' }, { old_string: 'two', new_string: 'TWO' }] } }]),
      text('Done.'),
    );
    expect((await runGlm(sb, ['-c', '-p', 'more', '--permission-mode', 'acceptEdits'])).exitCode).toBe(0);
    expect(await readFile(file('notes.md'), 'utf8')).toBe('ONE\nTWO\n');

    const list = await runGlm(sb, ['undo', '--list']);
    expect(list.stdout).toMatch(/^Session \S+:\nturn 1 {2}1 file \(math\.js\) {2}"fix add"\nturn 2 {2}2 files \(sub\/new\.js, notes\.md\) {2}"more"$/);

    const r = await runGlm(sb, ['undo', '2']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('deleted (the session created it): sub/new.js');
    expect(r.stdout).toContain('restored: notes.md');
    expect(await exists(file('sub/new.js'))).toBe(false);
    expect(await readFile(file('notes.md'), 'utf8')).toBe('one\ntwo\n');
    expect(await readFile(file('math.js'), 'utf8')).toContain('a + b');

    expect((await runGlm(sb, ['undo'])).stdout).toContain('restored: math.js');
    expect(await readFile(file('math.js'), 'utf8')).toBe(original);
  });

  it('refuses, naming the file, when it changed outside the session; --force overrides', async () => {
    fake.reply(...edit());
    await runGlm(sb, ['-p', 'fix add', '--permission-mode', 'acceptEdits']);
    await writeFile(file('math.js'), 'export function add(a, b) {\n  return b + a; // mine\n}\n');
    const r = await runGlm(sb, ['undo']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('glm: math.js was changed outside the session since turn 1; not undoing (use --force to overwrite it)');
    expect(await readFile(file('math.js'), 'utf8')).toContain('// mine');
    expect((await runGlm(sb, ['undo', '--force'])).exitCode).toBe(0);
    expect(await readFile(file('math.js'), 'utf8')).toBe(original);
  });

  it('says that shell commands are not undone', async () => {
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'touch made-by-shell.txt' } }]), ...edit());
    await runGlm(sb, ['-p', 'go', '--permission-mode', 'acceptEdits', '--allowedTools', 'Bash(touch:*)']);
    const r = await runGlm(sb, ['undo']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/the effects of shell commands run in those turns are not undone:\n {2}touch made-by-shell\.txt/);
    expect(await exists(file('made-by-shell.txt'))).toBe(true);
  });

  it('--conversation also rewinds the conversation: --continue sends the history from before that turn', async () => {
    fake.reply(text('Hello.'));
    await runGlm(sb, ['-p', 'first question']);
    fake.reply(...edit());
    await runGlm(sb, ['-p', 'fix add', '--permission-mode', 'acceptEdits', '--continue']);
    const r = await runGlm(sb, ['undo', '--conversation']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('The conversation is back to before turn 2 too');
    expect(await readFile(file('math.js'), 'utf8')).toBe(original);
    fake.reply(text('Go on.'));
    await runGlm(sb, ['-p', 'next', '--continue']);
    const users = fake.requests.at(-1).messages.filter((m: { role: string }) => m.role === 'user').map((m: { content: string }) => m.content);
    expect(users).toEqual(['first question', 'next']);
  });
});

