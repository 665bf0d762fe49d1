// The REPL's MCP servers (src/repl-mcp.ts) with real servers behind a scripted host: a server that fails to
// connect is one notice line, the status line counts the servers up, /mcp lists each server with its status,
// /mcp reconnect <name> starts one again, and no process is left after close.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { replMcp, type ReplMcp } from '../../src/repl-mcp.ts';
import { loadMarkdown } from '../../src/ui/markdown.ts';
import type { McpServerEntry } from '../../src/types.ts';
import { badServers, everythingStdio, marker, orphansOf } from '../support/mcp-servers.ts';
import { FakeHost } from './support/fake-host.ts';
import { KEY, renderRepl } from './support/render.tsx';

let mcp: ReplMcp | undefined;
let unmount: (() => void) | undefined;
beforeAll(() => loadMarkdown());
afterEach(async () => {
  unmount?.();
  await mcp?.close();
});

/** The screen's text with wrapped lines joined (a notice is one line, wrapped at the terminal's width). */
const flat = (s: { all(): string }) => s.all().replace(/\s+/g, ' ');

describe('/mcp in the REPL', () => {
  it('a failed server is one notice; /mcp lists statuses; /mcp reconnect starts one again', async () => {
    const mark = marker();
    const bad = await badServers(mark);
    const mcpServers: McpServerEntry[] = [
      { name: 'broken', scope: 'project', def: { type: 'stdio', ...bad.exitsAtStart, env: {} } },
      { name: 'everything', scope: 'user', def: { type: 'stdio', ...everythingStdio(mark), env: {} } },
    ];
    mcp = replMcp();
    const host = new FakeHost({ config: { mcpServers, mcpStartupTimeoutMs: 15_000 } });
    const servers = mcp.serversFor(host.config);
    const m = mcp;
    Object.assign(host, {
      commands: [mcp.command],
      watchNotices: (show: (t: string) => void) => m.watchNotices(show),
      watchMcpServers: (update: (up: number, total: number) => void) => m.watchCounts(update),
    });
    const s = await renderRepl(host);
    unmount = s.unmount;

    await s.waitFor('MCP server "broken" failed: ', 'the failure notice', 10_000);
    // The status line counts the servers up as they connect: one of two, once everything is up.
    await s.waitFor('MCP 1/2', 'the status line count', 15_000);
    expect(flat(s)).toContain('(it said: config missing: set DOCS_TOKEN); going on without its tools (/mcp reconnect broken tries again)');
    await (await servers)!.ready();

    await s.type('/mcp');
    await s.press(KEY.enter);
    await s.waitFor('MCP servers (2):');
    // Each server's status on its own row, its scope and command under it.
    const rows = s.all().split('\n');
    expect(rows).toContainEqual(expect.stringMatching(/^ {2}broken: failed: .*config missing/));
    expect(rows).toContainEqual(expect.stringMatching(/^ {6}project · /));
    expect(rows).toContainEqual(expect.stringMatching(/^ {2}everything: connected \(\d+ tools\)$/));
    expect(rows).toContainEqual(expect.stringMatching(/^ {6}user · /));
    // A command line too long for the row continues under its own indentation.
    expect(rows).toContainEqual(expect.stringMatching(/^ {6}\S*exits\.mjs$/));
    expect(flat(s)).toMatch(/ user · .*stdio glm-mcp-test-\w+/);

    await s.type('/mcp reconnect everything');
    await s.press(KEY.enter);
    await s.waitFor(() => /MCP server "everything" connected \(\d+ tools\)\./.test(flat(s)), 'the reconnect', 15_000);
    expect((await servers)!.statuses().find((x) => x.name === 'everything')?.status).toBe('connected');

    const notices: string[] = [];
    const dispatch = s.controller.store.dispatch.bind(s.controller.store);
    s.controller.store.dispatch = (action) => {
      if (action.type === 'notice') notices.push(action.text);
      dispatch(action);
    };
    await s.type('/mcp reconnect broken');
    await s.press(KEY.enter);
    await s.waitFor(() => notices.some((t) => t.startsWith('MCP server "broken" failed: ')), 'the failed reconnect', 15_000);
    expect(notices.filter((t) => t.includes('broken'))).toEqual(['Reconnecting broken…', expect.stringMatching(/^MCP server "broken" failed: .*DOCS_TOKEN\)$/)]);

    await s.type('/mcp reconnect nope');
    await s.press(KEY.enter);
    await s.waitFor(() => flat(s).includes('No MCP server "nope" in this session (broken, everything).'), 'the unknown name');

    await mcp.close();
    mcp = undefined;
    expect(await orphansOf(mark)).toEqual([]);
  }, 60_000);

  it('without servers, /mcp says how to add them', async () => {
    mcp = replMcp();
    const host = new FakeHost();
    expect(mcp.serversFor(host.config)).toBeUndefined();
    Object.assign(host, { commands: [mcp.command] });
    const s = await renderRepl(host);
    unmount = s.unmount;
    await s.type('/mcp');
    await s.press(KEY.enter);
    await s.waitFor(() => flat(s).includes("No MCP servers in this session. Add one with glm mcp add (Z.ai's four: glm mcp add zai), then start glm again."), 'the hint');
  });
});
