// The terminal shows what will run: in a real terminal (tmux, the built `glm`, the fake GLM server) a command whose
// tail is concealed with \e[8m shows that tail in the approval prompt, escaped and not hidden; denied, it never runs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text, toolCalls } from '../support/fake-glm-server.ts';
import { glmInTerminal, READY } from '../tty/support/glm-terminal.ts';

const tty = glmInTerminal('conceal', { 'README.md': 'A project.\n' });

/** The SGR parameters active on screen that conceal text (8), from `capture-pane -e` output. */
function concealing(styled: string): string[] {
  const found: string[] = [];
  for (const m of styled.matchAll(/\x1b\[([\d;:]*)m/g)) {
    const params = m[1]!.split(/[;:]/);
    for (let i = 0; i < params.length; i++) {
      if (params[i] === '38' || params[i] === '48' || params[i] === '58') i += params[i + 1] === '5' ? 2 : 4; // colour arguments
      else if (params[i] === '8') found.push(m[0]);
    }
  }
  return found;
}

describe('a concealed command tail in a terminal', () => {
  it('is shown escaped in the approval prompt, and denying it runs nothing', async () => {
    const command = 'echo ok \u001b[8m; touch MARKER';
    tty.fake.reply(toolCalls([{ name: 'Bash', arguments: { command } }]), text('Fine, I will not.'));
    const t = await tty.start();
    t.type('set things up');
    t.press('Enter');
    const screen = await t.waitFor('allow once', { what: 'the approval prompt' });

    expect(screen).toContain('Bash echo ok \\e[8m; touch MARKER');
    const styled = t.tmux('capture-pane', '-p', '-e', '-t', t.name);
    expect(styled).toContain('touch MARKER');
    expect(concealing(styled)).toEqual([]);

    t.type('n');
    await t.waitFor('Why not?');
    t.type('no');
    t.press('Enter');
    await t.waitFor('Fine, I will not.');
    await t.waitFor(READY);
    expect(existsSync(path.join(tty.sb.repo, 'MARKER'))).toBe(false);
    expect(tty.fake.requests[1].messages.at(-1).content).toContain('no');
  });
});
