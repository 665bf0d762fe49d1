// MCP in the real REPL (tmux, the built glm, server-everything from the user's settings): its prompts are slash
// commands once it connects, with completion, and running one sends the prompt's text as the turn.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text } from '../support/fake-glm-server.ts';
import { everythingStdio, marker, orphansOf } from '../support/mcp-servers.ts';
import { glmInTerminal } from './support/glm-terminal.ts';

const tty = glmInTerminal('mcp', { 'README.md': 'hi\n' });
const lastUser = (body: { messages: { role: string; content: string }[] }) => body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';

describe('MCP prompts in the REPL', () => {
  it('/mcp__everything__args-prompt Paris sends the prompt the server builds; a missing argument is named', async () => {
    const mark = marker();
    const settings = path.join(tty.sb.home, '.config/glm-code/settings.json');
    await mkdir(path.dirname(settings), { recursive: true });
    await writeFile(settings, JSON.stringify({ mcpServers: { everything: everythingStdio(mark) } }));
    tty.fake.reply(text('Sunny in Paris.'));
    const t = await tty.start();
    // The command appears once the server is up (it connects in the background).
    const deadline = Date.now() + 15_000;
    let screen = '';
    while (Date.now() < deadline) {
      t.type('/mcp__everything__ar');
      await new Promise((r) => setTimeout(r, 400));
      screen = t.screen();
      if (screen.includes('args-prompt')) break;
      for (let i = 0; i < 20; i++) t.press('BSpace');
      await new Promise((r) => setTimeout(r, 600));
    }
    expect(screen).toContain('/mcp__everything__args-prompt');
    for (let i = 0; i < 20; i++) t.press('BSpace');
    t.type('/mcp__everything__args-prompt');
    t.press('Enter');
    await t.waitFor('needs city', { what: 'the missing argument' });
    t.type('/mcp__everything__args-prompt Paris');
    t.press('Enter');
    await t.waitFor('Sunny in Paris.');
    expect(lastUser(tty.fake.requests[0])).toBe("What's weather in Paris?");
    t.kill();
    expect(await orphansOf(mark)).toEqual([]);
  });
});
