// A program's hook callbacks (the Agent SDK's hooks) inside the hooks engine: answered through the injected
// callback and read like a command hook's JSON; without anyone to ask, the entry fails and is never started as a
// shell command (its `command` is only a label).
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HookRunner, type HookCallback } from '../../src/hooks/runner.ts';
import { SessionHooks } from '../../src/hooks/session-hooks.ts';
import type { AgentEvent, HookEntry } from '../../src/types.ts';

async function hooksWith(callback: HookCallback | undefined, entry: Partial<HookEntry>) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-callback-hooks-'));
  const events: AgentEvent[] = [];
  // A command that would leave a file behind if it were ever run by a shell.
  const hook: HookEntry = { event: 'PreToolUse', matcher: 'Bash', command: 'touch ran-as-a-command', file: 'initialize', scope: 'user', callbackId: 'hook_0', ...entry };
  const runner = new HookRunner({ hooks: [hook], cwd: dir, projectRoot: dir, env: { PATH: process.env.PATH }, sessionId: () => 'sid', transcriptPath: () => 't', permissionMode: () => 'default', emit: (e) => events.push(e), callback });
  return { dir, hooks: new SessionHooks(runner), events };
}

const call = { callId: 'c1', name: 'Bash', input: { command: 'ls' } };

describe('callback hooks', () => {
  it('the callback gets the payload and its answer decides like a command hook\'s JSON', async () => {
    const seen: Record<string, unknown>[] = [];
    const { hooks } = await hooksWith(async (hook, payload) => {
      seen.push({ id: hook.callbackId, ...payload });
      return { exitCode: 0, stdout: JSON.stringify({ hookSpecificOutput: { permissionDecision: 'deny', permissionDecisionReason: 'not today' } }), stderr: '', timedOut: false, aborted: false, durationMs: 1 };
    }, {});
    await expect(hooks.preToolUse(call, new AbortController().signal)).resolves.toMatchObject({ decision: 'deny', reason: 'not today' });
    expect(seen).toEqual([expect.objectContaining({ id: 'hook_0', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_use_id: 'c1', session_id: 'sid' })]);
  });

  it('with nobody to ask it fails (a failClosed one denies) and nothing runs as a command', async () => {
    const { dir, hooks, events } = await hooksWith(undefined, { failClosed: true });
    await expect(hooks.preToolUse(call, new AbortController().signal)).resolves.toMatchObject({ decision: 'deny' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'hook_response', outcome: 'error', message: expect.stringMatching(/no program is connected/) }));
    expect(await readdir(dir)).toEqual([]);
  });
});
