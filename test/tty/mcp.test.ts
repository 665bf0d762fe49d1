// MCP in the real REPL (tmux, the built glm, server-everything from the user's settings): its prompts are slash
// commands once it connects, with completion, and running one sends the prompt's text as the turn; its resources
// complete after '@' and a mention sends the resource's contents with the message.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text } from '../support/fake-glm-server.ts';
import { EVERYTHING, everythingStdio, marker, orphansOf } from '../support/mcp-servers.ts';
import { glmInTerminal } from './support/glm-terminal.ts';

const tty = glmInTerminal('mcp', { 'README.md': 'hi\n' });
const lastUser = (body: { messages: { role: string; content: string }[] }) => body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';

async function withEverything(mark: string): Promise<void> {
  const settings = path.join(tty.sb.home, '.config/glm-code/settings.json');
  await mkdir(path.dirname(settings), { recursive: true });
  await writeFile(settings, JSON.stringify({ mcpServers: { everything: everythingStdio(mark) } }));
}

describe('MCP prompts in the REPL', () => {
  it('/mcp__everything__args-prompt Paris sends the prompt the server builds; a missing argument is named', async () => {
    const mark = marker();
    await withEverything(mark);
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

describe('MCP resources in the REPL', () => {
  it('@everything:… completes to a resource once the server is up; the message carries its contents, the screen only what was typed', async () => {
    const mark = marker();
    await withEverything(mark);
    tty.fake.reply(text('It describes the architecture.'));
    const t = await tty.start();
    const uri = 'demo://resource/static/document/architecture.md';
    // The status line counts the server once it is up (it connects in the background); its resources follow.
    await t.waitFor('MCP 1/1', { what: 'the status line count', timeoutMs: 15_000 });
    const deadline = Date.now() + 15_000;
    let screen = '';
    while (Date.now() < deadline) {
      t.type('@everything:archit');
      await new Promise((r) => setTimeout(r, 400));
      screen = t.screen();
      if (screen.includes(`@everything:${uri}`)) break;
      for (let i = 0; i < 20; i++) t.press('BSpace');
      await new Promise((r) => setTimeout(r, 600));
    }
    expect(screen).toContain(`@everything:${uri}`);
    t.press('Tab');
    t.type('what is this?');
    t.press('Enter');
    await t.waitFor('It describes the architecture.');
    const sent = lastUser(tty.fake.requests[0]);
    const doc = await readFile(path.join(path.dirname(EVERYTHING), 'docs/architecture.md'), 'utf8');
    expect(sent.startsWith(`@everything:${uri} what is this?\n\n<mcp-resource server="everything" uri="${uri}">\n[resource ${uri} (text/markdown)]\n`)).toBe(true);
    expect(sent).toContain(doc.slice(0, 200));
    expect(sent.endsWith('</mcp-resource>')).toBe(true);
    expect(t.screen()).not.toContain('<mcp-resource');
    t.kill();
    expect(await orphansOf(mark)).toEqual([]);
  });
});
