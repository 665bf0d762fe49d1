// Hooks in the REPL, in a real terminal (tmux, the built `glm`, the fake GLM server): the trust dialog lists a
// Claude Code .claude/settings.json hook; once trusted, /hooks lists it with its file and a blocking run shows one
// line; a Notification hook hears that glm waits for approval; SessionEnd hears why the session ended.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text, toolCalls } from '../support/fake-glm-server.ts';
import { glmInTerminal, READY } from './support/glm-terminal.ts';

const GUARD = 'echo "rm is off limits here" >&2; exit 2';
const CLAUDE = { hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: GUARD }] }] } };
const tty = glmInTerminal('hooks', { '.claude/settings.json': JSON.stringify(CLAUDE) });

describe('glm (REPL) in a terminal: hooks', () => {
  it('asks to trust a .claude hook, then lists it in /hooks and shows the line of a run that blocked', async () => {
    tty.fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'rm -rf build' } }]), text('Left it alone.'));
    const t = await tty.start({ until: 'Trust this project (' });
    const dialog = await t.waitFor('Trust this project (');
    expect(dialog).toContain('run these hook commands');
    expect(dialog).toContain('.claude/settings.json');
    t.type('y');
    t.press('Enter');
    await t.waitFor(READY);
    t.type('/hooks');
    t.press('Enter');
    const listed = await t.waitFor('Hooks (1):');
    expect(listed).toContain('PreToolUse (Bash): echo "rm is off limits here" >&2; exit 2  [.claude/settings.json]');
    t.type('clean up');
    t.press('Enter');
    const screen = await t.waitFor('Left it alone.');
    expect(screen).toContain('PreToolUse:Bash hook: denied: rm is off limits here');
    expect(tty.fake.requests[1].messages.at(-1).content).toContain('rm is off limits here');
  });

  it("tells SessionEnd hooks why the session ended: clear on /clear, prompt_input_exit on Ctrl+D", async () => {
    writeFileSync(path.join(tty.sb.repo, '.claude', 'settings.json'), '{}');
    const dir = path.join(tty.sb.home, '.config', 'glm-code');
    mkdirSync(dir, { recursive: true });
    const log = path.join(tty.sb.home, 'ends.log');
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ hooks: { SessionEnd: [{ hooks: [{ type: 'command', command: `cat >> ${log}; echo >> ${log}` }] }] } }));
    tty.fake.reply(text('First.'), text('Second.'));
    const t = await tty.start();
    t.type('one');
    t.press('Enter');
    await t.waitFor('First.');
    t.type('/clear');
    t.press('Enter');
    await t.waitFor('New session');
    t.type('two');
    t.press('Enter');
    await t.waitFor('Second.');
    t.press('C-d');
    await t.waitFor('[exit 0]', { what: 'glm to exit' });
    const ends = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(ends.map((e) => [e.hook_event_name, e.reason])).toEqual([['SessionEnd', 'clear'], ['SessionEnd', 'prompt_input_exit']]);
  });

  it('runs a Notification hook when glm waits for approval', async () => {
    writeFileSync(path.join(tty.sb.repo, '.claude', 'settings.json'), '{}');
    const dir = path.join(tty.sb.home, '.config', 'glm-code');
    mkdirSync(dir, { recursive: true });
    const log = path.join(tty.sb.home, 'notified.json');
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ hooks: { Notification: [{ hooks: [{ type: 'command', command: `cat > ${log}` }] }] } }));
    tty.fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'touch MARKER' } }]), text('Not run.'));
    const t = await tty.start();
    t.type('touch it');
    t.press('Enter');
    await t.waitFor('allow once', { what: 'the approval prompt' });
    for (let i = 0; i < 50 && !existsSync(log); i++) await new Promise((r) => setTimeout(r, 100));
    expect(JSON.parse(readFileSync(log, 'utf8'))).toMatchObject({ hook_event_name: 'Notification', message: 'glm needs your permission to use Bash', notification_type: 'permission_prompt' });
    t.press('Escape');
    await t.waitFor('Not run.');
  });
});
