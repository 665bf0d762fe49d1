// A REPL left open while glm is upgraded (npm i -g) or rebuilt: the dist/ chunks it has not imported yet are
// deleted under it. After its first turn it has imported everything a session loads later, so it keeps working.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { text, toolCalls } from '../support/fake-glm-server.ts';
import { glmInTerminal } from './support/glm-terminal.ts';

const tty = glmInTerminal('upgrade', { 'a.txt': 'hello\n' });
const root = path.resolve(import.meta.dirname, '../..');

/** A copy of the built glm (bin/, dist/, package.json; node_modules linked) that the test can delete from. */
function installCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'glm-install-'));
  for (const p of ['bin', 'dist', 'package.json']) cpSync(path.join(root, p), path.join(dir, p), { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

it('keeps running tools after its dist/ is replaced under it', async () => {
  const install = installCopy();
  try {
    tty.fake.reply(text('First answer.'), toolCalls([{ name: 'Bash', arguments: { command: 'echo still-working' } }]), text('The command ran.'));
    const t = await tty.start({ bin: path.join(install, 'bin', 'glm.js') });
    t.type('hi');
    t.press('Enter');
    await t.waitFor('First answer.');
    // The user reads the answer (glm imports the rest 2 s after the turn); then a new version replaces the files.
    await new Promise((r) => setTimeout(r, 3000));
    rmSync(path.join(install, 'dist'), { recursive: true });
    t.type('run the echo');
    t.press('Enter');
    await t.waitFor('allow once', { what: 'the approval prompt' });
    t.type('y');
    const screen = await t.waitFor('The command ran.');
    expect(screen).not.toContain('Cannot find module');
    expect(screen).toContain('exit 0 · 1 line');
    const body = tty.fake.requests[2] as { messages: { role: string; content: string }[] };
    expect(body.messages.filter((m) => m.role === 'tool').at(-1)?.content).toContain('still-working');
  } finally {
    rmSync(install, { recursive: true, force: true });
  }
});
