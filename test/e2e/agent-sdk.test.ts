// End to end: the real Claude Agent SDK (`query()` with pathToClaudeCodeExecutable) drives the built `glm` over
// Claude Code's stream-json protocol, against the fake GLM server. What an SDK user checks: the messages they get,
// the session they continue, their permission callback and hooks deciding calls, interrupt and mode changes.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { query, type Options, type SDKMessage, type SDKResultMessage, type SDKUserMessage } from '@anthropic-ai/claude-agent-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { lastContent, useFakeGlm } from '../support/use-fake-glm.ts';
import { GLM_BIN, makeSandbox, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

let sb: Sandbox;
let wrapper: string;
beforeEach(async () => {
  sb = await makeSandbox({ 'README.md': '# demo\n' }, fake.url);
  // The SDK runs a .js path with the system's node; a shell wrapper runs glm with the project's Node.
  wrapper = path.join(sb.home, 'glm-wrapper.sh');
  await writeFile(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${GLM_BIN}" "$@"\n`);
  await chmod(wrapper, 0o755);
});

// A check inside a scripted reply that failed shows up here (the fake answers it with a 500).
afterEach(() => expect(fake.violations).toEqual([]));

const options = (extra: Options = {}): Options => ({ pathToClaudeCodeExecutable: wrapper, cwd: sb.repo, env: { ...sb.env }, ...extra });

async function collect(prompt: Parameters<typeof query>[0]['prompt'], extra: Options = {}): Promise<SDKMessage[]> {
  const messages: SDKMessage[] = [];
  for await (const m of query({ prompt, options: options(extra) })) messages.push(m);
  return messages;
}

const results = (ms: SDKMessage[]) => ms.filter((m): m is SDKResultMessage => m.type === 'result');

/** A prompt stream that sends each message after the previous result arrived, as a chat UI does. */
function conversation(texts: string[], seen: SDKMessage[]): { prompt: AsyncIterable<SDKUserMessage>; onMessage: (m: SDKMessage) => void } {
  let release: () => void = () => {};
  const onMessage = (m: SDKMessage) => {
    seen.push(m);
    if (m.type === 'result') release();
  };
  async function* prompt() {
    for (const [i, t] of texts.entries()) {
      if (i > 0) await new Promise<void>((r) => (release = r));
      yield { type: 'user' as const, message: { role: 'user' as const, content: [{ type: 'text' as const, text: t }] }, parent_tool_use_id: null, session_id: '' };
    }
  }
  return { prompt: prompt(), onMessage };
}

describe('the Claude Agent SDK driving glm', () => {
  it('query() with one prompt gets init, the assistant message and a success result', async () => {
    fake.reply(text('Hello from GLM.', { reasoning: 'Say hello.' }));
    const ms = await collect('say hello');
    const init = ms.find((m) => m.type === 'system' && m.subtype === 'init');
    expect(init).toMatchObject({ model: expect.any(String), permissionMode: 'default', claude_code_version: expect.any(String), mcp_servers: [] });
    const assistant = ms.find((m) => m.type === 'assistant');
    expect(assistant?.type === 'assistant' && assistant.message.content).toEqual([
      expect.objectContaining({ type: 'thinking', thinking: 'Say hello.' }),
      expect.objectContaining({ type: 'text', text: 'Hello from GLM.' }),
    ]);
    expect(assistant?.type === 'assistant' && assistant.message.stop_reason).toBe('end_turn');
    const [result] = results(ms);
    expect(result).toMatchObject({ subtype: 'success', is_error: false, result: 'Hello from GLM.', total_cost_usd: 0, stop_reason: 'end_turn' });
    expect(result!.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(fake.requests).toHaveLength(1);
  });

  it('streaming input runs one turn per message in the same session, each with its own result', async () => {
    fake.reply(text('First answer.'), (body) => {
      expect(body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
      return text('Second answer.');
    });
    const seen: SDKMessage[] = [];
    const c = conversation(['first question', 'second question'], seen);
    for await (const m of query({ prompt: c.prompt, options: options() })) c.onMessage(m);
    const rs = results(seen);
    expect(rs.map((r) => r.type === 'result' && r.subtype === 'success' && r.result)).toEqual(['First answer.', 'Second answer.']);
    expect(new Set(rs.map((r) => r.session_id)).size).toBe(1);
    expect(fake.requests.at(-1).messages.at(-1).content).toBe('second question');
  });

  it('canUseTool decides a Bash call the rules put to approval: its deny reaches the model, its allow runs the command', async () => {
    const asked: { tool: string; input: unknown }[] = [];
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'touch denied.txt' } }]), (body) => {
      expect(lastContent(body)).toContain('not on my watch');
      return toolCalls([{ name: 'Bash', arguments: { command: 'touch allowed.txt' } }]);
    }, text('Done.'));
    const ms = await collect('make files', {
      canUseTool: async (tool, input) => {
        asked.push({ tool, input });
        return String(input.command).includes('denied') ? { behavior: 'deny', message: 'not on my watch' } : { behavior: 'allow', updatedInput: input };
      },
    });
    expect(asked.map((a) => a.input)).toEqual([{ command: 'touch denied.txt' }, { command: 'touch allowed.txt' }]);
    await expect(readFile(path.join(sb.repo, 'allowed.txt'), 'utf8')).resolves.toBe('');
    await expect(readFile(path.join(sb.repo, 'denied.txt'))).rejects.toThrow();
    const [result] = results(ms);
    expect(result).toMatchObject({ subtype: 'success', result: 'Done.' });
    expect(result!.permission_denials).toEqual([expect.objectContaining({ tool_name: 'Bash', tool_input: { command: 'touch denied.txt' } })]);
  });

  it('interrupt() stops a slow answer; the turn ends with an error result and the session goes on', async () => {
    fake.reply(text('x'.repeat(400), { chunkSize: 4, delayMs: 50 }), text('After the interrupt.'));
    const seen: SDKMessage[] = [];
    const c = conversation(['write a lot', 'and now?'], seen);
    const q = query({ prompt: c.prompt, options: options({ includePartialMessages: true }) });
    let interrupted = false;
    for await (const m of q) {
      c.onMessage(m);
      if (!interrupted && m.type === 'stream_event' && m.event.type === 'content_block_delta') {
        interrupted = true;
        await q.interrupt();
      }
    }
    const rs = results(seen);
    expect(rs[0]).toMatchObject({ subtype: 'error_during_execution', is_error: true });
    expect(rs[0]!.type === 'result' && rs[0]!.subtype !== 'success' && rs[0]!.errors.length).toBeGreaterThan(0);
    expect(rs[1]).toMatchObject({ subtype: 'success', result: 'After the interrupt.' });
  });

  it("setPermissionMode('plan') makes the next turn read-only", async () => {
    fake.reply(text('Ready.'), toolCalls([{ name: 'Write', arguments: { file_path: 'plan.txt', content: 'x' } }]), (body) => {
      expect(lastContent(body)).toMatch(/plan mode/i);
      return text('I may not write in plan mode.');
    });
    const seen: SDKMessage[] = [];
    const c = conversation(['hi', 'write plan.txt'], seen);
    const q = query({ prompt: c.prompt, options: options({ permissionMode: 'acceptEdits' }) });
    for await (const m of q) {
      c.onMessage(m);
      if (m.type === 'result' && results(seen).length === 1) await q.setPermissionMode('plan');
    }
    await expect(readFile(path.join(sb.repo, 'plan.txt'))).rejects.toThrow();
    expect(results(seen)[1]).toMatchObject({ subtype: 'success', result: 'I may not write in plan mode.' });
  });

  it('MCP servers given to query() start from initialize (--await-initialize) and their tools reach the model', async () => {
    fake.reply(text('I see the tools.'));
    const everything = path.resolve(import.meta.dirname, '../../node_modules/@modelcontextprotocol/server-everything/dist/index.js');
    const ms = await collect('hi', { mcpServers: { everything: { command: process.execPath, args: [everything] } } });
    const init = ms.find((m) => m.type === 'system' && m.subtype === 'init');
    expect(init?.type === 'system' && init.subtype === 'init' && init.mcp_servers).toEqual([{ name: 'everything', status: 'connected' }]);
    expect(fake.requests[0].tools.map((t: { function: { name: string } }) => t.function.name)).toContain('mcp__everything__echo');
    expect(results(ms)[0]).toMatchObject({ subtype: 'success' });
  });

  it('a content-filter stop is an error result whose errors[] says why, and the SDK throws with that reason', async () => {
    fake.reply(text('partial', { finish: 'sensitive' }));
    const ms: SDKMessage[] = [];
    const run = async () => {
      for await (const m of query({ prompt: 'something sensitive', options: options() })) ms.push(m);
    };
    await expect(run()).rejects.toThrow(/content filter blocked/);
    expect(results(ms)[0]).toMatchObject({ subtype: 'error_during_execution', is_error: true, errors: [expect.stringMatching(/content filter/)] });
  });

  it('a PreToolUse hook callback sees the call and blocks it', async () => {
    const seenByHook: unknown[] = [];
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo hi > hooked.txt' } }]), (body) => {
      expect(lastContent(body)).toContain('no shell today');
      return text('Blocked, as you wish.');
    });
    const ms = await collect('run it', {
      permissionMode: 'bypassPermissions',
      allowDangerouslySkipPermissions: true,
      hooks: {
        PreToolUse: [
          {
            matcher: 'Bash',
            hooks: [
              async (input) => {
                seenByHook.push(input);
                return { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'no shell today' } };
              },
            ],
          },
        ],
      },
    });
    expect(seenByHook).toEqual([expect.objectContaining({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'echo hi > hooked.txt' } })]);
    await expect(readFile(path.join(sb.repo, 'hooked.txt'))).rejects.toThrow();
    expect(results(ms)[0]).toMatchObject({ subtype: 'success', result: 'Blocked, as you wish.' });
  });

  it('hook callbacks run in glm\'s hooks engine: SessionStart context, PreToolUse allowing a call, PostToolUse, and Stop sending the model back', async () => {
    const events: string[] = [];
    fake.reply(
      (body) => {
        expect(JSON.stringify(body.messages)).toContain('the program says hi');
        return toolCalls([{ name: 'Bash', arguments: { command: 'echo hi > hooked.txt' } }]);
      },
      (body) => {
        expect(lastContent(body)).toContain('checked by the program');
        return text('Done.');
      },
      (body) => {
        expect(lastContent(body)).toBe('Say goodbye too.');
        return text('Goodbye.');
      },
    );
    const hook = (name: string, answer: (input: Record<string, unknown>) => Record<string, unknown>) => [
      { hooks: [async (input: unknown) => (events.push(name), answer(input as Record<string, unknown>))] },
    ];
    const ms = await collect('run it', {
      hooks: {
        SessionStart: hook('SessionStart', () => ({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 'the program says hi' } })),
        // Without the hook, headless default mode would deny the Bash call (nobody to ask).
        PreToolUse: hook('PreToolUse', () => ({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow' } })),
        PostToolUse: hook('PostToolUse', () => ({ hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: 'checked by the program' } })),
        Stop: hook('Stop', (input) => (input.stop_hook_active ? {} : { decision: 'block', reason: 'Say goodbye too.' })),
        SessionEnd: hook('SessionEnd', () => ({})),
      },
    });
    expect(events).toEqual(['SessionStart', 'PreToolUse', 'PostToolUse', 'Stop', 'Stop']);
    // The program is not sent hook_response lines about its own callbacks.
    expect(ms.filter((m) => m.type === 'system' && m.subtype === 'hook_response')).toEqual([]);
    // SessionEnd comes after the program closed glm's input: it is named as not run, not silently dropped.
    const init = ms.find((m) => m.type === 'system' && m.subtype === 'init') as { unsupported_options?: string[] } | undefined;
    expect(init?.unsupported_options).toContainEqual(expect.stringMatching(/^hook event SessionEnd: /));
    await expect(readFile(path.join(sb.repo, 'hooked.txt'), 'utf8')).resolves.toBe('hi\n');
    expect(results(ms)[0]).toMatchObject({ subtype: 'success', result: 'Goodbye.' });
  });

  it('init and supportedAgents() list the agents Task can start and the skills Skill can load', async () => {
    const config = path.join(sb.home, '.config/glm-code');
    await mkdir(path.join(config, 'agents'), { recursive: true });
    await mkdir(path.join(config, 'skills/release-notes'), { recursive: true });
    await writeFile(path.join(config, 'agents/reviewer.md'), '---\nname: reviewer\ndescription: Reviews code for bugs.\nmodel: haiku\n---\nYou review code.\n');
    await writeFile(path.join(config, 'skills/release-notes/SKILL.md'), '---\nname: release-notes\ndescription: Writes release notes.\n---\nGroup the commits.\n');
    fake.reply(text('Hi.'));
    const seen: SDKMessage[] = [];
    const q = query({ prompt: 'hi', options: options() });
    const agents = await q.supportedAgents();
    for await (const m of q) seen.push(m);
    expect(agents.map((a) => a.name)).toEqual(expect.arrayContaining(['general-purpose', 'Explore', 'reviewer']));
    expect(agents.find((a) => a.name === 'reviewer')).toEqual({ name: 'reviewer', description: 'Reviews code for bugs.', model: 'haiku' });
    const init = seen.find((m) => m.type === 'system' && m.subtype === 'init');
    expect(init).toMatchObject({ agents: expect.arrayContaining(['general-purpose', 'Explore', 'reviewer']), skills: ['release-notes'] });
  });
});
