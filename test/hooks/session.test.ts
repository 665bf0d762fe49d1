// Hooks in a live Session against the fake GLM server (real socket, real `sh` hooks): PreCompact hears the
// trigger and focus of /compact, SessionStart (compact) adds its context to the next prompt, and a PostToolUse
// hook's `continue: false` ends the run after that call.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createModelClientFromConfig } from '../../src/model/client.ts';
import { Session } from '../../src/session.ts';
import type { AgentEvent } from '../../src/types.ts';
import { builtinTools, toolSet } from '../../tools/index.ts';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function openSession(hooks: Record<string, unknown>) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'glm-hook-session-'));
  mkdirSync(path.join(root, 'cfg', 'glm-code'), { recursive: true });
  writeFileSync(path.join(root, 'cfg', 'glm-code', 'settings.json'), JSON.stringify({ hooks }));
  const env = { HOME: root, XDG_DATA_HOME: path.join(root, 'data'), XDG_CONFIG_HOME: path.join(root, 'cfg'), GLM_API_KEY: 'k', GLM_BASE_URL: fake.url };
  const config = loadConfig({ permissionMode: 'bypassPermissions' }, env, root);
  const session = await Session.open({ config, client: createModelClientFromConfig(config), tools: toolSet(builtinTools), context: { window: 64_000 } });
  const events: AgentEvent[] = [];
  session.subscribe((e) => events.push(e));
  return { root, session, events };
}

const command = (c: string) => [{ hooks: [{ type: 'command', command: c }] }];

describe('hooks in a session', () => {
  it('PreCompact gets trigger manual and the focus; SessionStart (compact) context joins the next prompt', async () => {
    const { root, session } = await openSession({
      PreCompact: command(`cat > "${'$GLM_PROJECT_DIR'}/precompact.json"`),
      SessionStart: [{ matcher: 'compact', hooks: [{ type: 'command', command: 'echo "Re-read CONTRIBUTING.md after compaction."' }] }],
    });
    for (let i = 1; i <= 3; i++) {
      fake.reply(text(`Answer ${i}: ${'words '.repeat(600)}`));
      await session.run(`question ${i}`);
    }
    fake.reply(text('SUMMARY: three questions.'));
    expect((await session.compact('the API design')).compacted).toBe(true);
    expect(JSON.parse(readFileSync(path.join(root, 'precompact.json'), 'utf8'))).toMatchObject({ hook_event_name: 'PreCompact', trigger: 'manual', custom_instructions: 'the API design' });
    fake.reply(text('OK.'));
    await session.run('go on');
    expect(JSON.stringify(fake.requests.at(-1).messages)).toContain('Re-read CONTRIBUTING.md after compaction.');
    await session.close();
  });

  it("a PostToolUse hook's continue: false ends the run after that call, and the next prompt runs normally", async () => {
    const { session, events } = await openSession({
      PostToolUse: command(`echo '{"continue": false, "stopReason": "tests are red"}'`),
    });
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo one' } }, { name: 'Bash', arguments: { command: 'echo two' } }]));
    const done = await session.run('run both');
    expect(done.reason).toBe('completed');
    expect(fake.requests).toHaveLength(1);
    const ends = events.filter((e) => e.type === 'tool_end');
    expect(ends.map((e) => e.type === 'tool_end' && e.output.trim())).toEqual(['one', 'Not run: a hook stopped the run (tests are red).']);
    expect(events.find((e) => e.type === 'hook_response')).toMatchObject({ outcome: 'blocked', message: 'stopped the run: tests are red' });
    fake.reply(text('Fine.'));
    expect((await session.run('hi')).text).toBe('Fine.');
    await session.close();
  });
});
