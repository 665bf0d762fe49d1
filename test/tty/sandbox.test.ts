// The REPL's status line says "sandboxed" when commands run in the OS sandbox (real bwrap), and not with it off.
import { describe, expect, it } from 'vitest';
import { glmInTerminal } from './support/glm-terminal.ts';

const tty = glmInTerminal('sandbox', {});
const statusLine = (screen: string) => screen.trimEnd().split('\n').at(-1)!;

describe('the status line', () => {
  it('shows "sandboxed" when the sandbox is on', async () => {
    const t = await tty.start();
    // The session opens (and bwrap is probed) after the first frame.
    const screen = await t.waitFor((s) => statusLine(s).includes('sandboxed'), { what: '"sandboxed" in the status line' });
    // (the shift+tab hint is the first part a full status line leaves out)
    expect(statusLine(screen)).toMatch(/default mode( \(shift\+tab\))? · sandboxed · /);
  });

  it('does not with --sandbox off', async () => {
    const t = await tty.start({ args: ['--sandbox', 'off'] });
    await new Promise((r) => setTimeout(r, 1500)); // time to open the session, as above
    const screen = await t.waitFor((s) => statusLine(s).includes('default mode'), { what: 'the status line' });
    expect(statusLine(screen)).not.toContain('sandboxed');
  });
});
