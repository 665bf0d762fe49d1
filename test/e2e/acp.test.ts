// End to end: a real ACP client (@agentclientprotocol/sdk) drives the built `glm acp` over stdio, as an editor
// does, against the fake GLM server: initialize, a new session, a prompt whose Bash call asks for permission,
// tool call updates, the end of the turn; cancel; modes; loading a session back; reading and writing through the
// editor (its late saves of glm's own writes are not changes by someone else).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import * as acp from '@agentclientprotocol/sdk';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { lastContent, useFakeGlm } from '../support/use-fake-glm.ts';
import { GLM_BIN, makeSandbox, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

let sb: Sandbox;
let child: ChildProcess | undefined;
beforeEach(async () => {
  sb = await makeSandbox({ 'notes.txt': 'on disk\n' }, fake.url);
});
afterEach(() => {
  child?.kill();
  child = undefined;
  // A check inside a scripted reply that failed shows up here (the fake answers it with a 500).
  expect(fake.violations).toEqual([]);
});

type Handlers = {
  permission?: (req: acp.RequestPermissionRequest) => acp.RequestPermissionResponse | Promise<acp.RequestPermissionResponse>;
  readTextFile?: (req: acp.ReadTextFileRequest) => acp.ReadTextFileResponse;
  writeTextFile?: (req: acp.WriteTextFileRequest) => acp.WriteTextFileResponse;
  /** Extra environment for glm (another provider, say). */
  env?: Record<string, string>;
};

/** The last initialize answer. */
let lastInit: acp.InitializeResponse | undefined;

/** Starts `glm acp` and runs `op` with a connected client; every session/update is collected in `updates`. */
async function withAgent<T>(handlers: Handlers, op: (ctx: acp.ClientContext, updates: acp.SessionUpdate[]) => Promise<T>): Promise<T> {
  child = spawn(process.execPath, [GLM_BIN, 'acp'], { cwd: sb.repo, env: { ...sb.env, ...handlers.env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const updates: acp.SessionUpdate[] = [];
  let app = acp
    .client({ name: 'test-editor' })
    .onNotification(acp.methods.client.session.update, ({ params }) => void updates.push(params.update))
    .onRequest(acp.methods.client.session.requestPermission, ({ params }) => handlers.permission?.(params) ?? { outcome: { outcome: 'cancelled' } });
  if (handlers.readTextFile) app = app.onRequest(acp.methods.client.fs.readTextFile, ({ params }) => handlers.readTextFile!(params));
  if (handlers.writeTextFile) app = app.onRequest(acp.methods.client.fs.writeTextFile, ({ params }) => handlers.writeTextFile!(params));
  const stream = acp.ndJsonStream(Writable.toWeb(child.stdin!) as WritableStream<Uint8Array>, Readable.toWeb(child.stdout!) as ReadableStream<Uint8Array>);
  return app.connectWith(stream, async (ctx) => {
    const init = await ctx.request(acp.methods.agent.initialize, {
      protocolVersion: acp.PROTOCOL_VERSION,
      clientCapabilities: { fs: { readTextFile: Boolean(handlers.readTextFile), writeTextFile: Boolean(handlers.writeTextFile) } },
    });
    expect(init).toMatchObject({ protocolVersion: acp.PROTOCOL_VERSION, agentCapabilities: { loadSession: true }, agentInfo: { name: 'glm-code' } });
    lastInit = init;
    return op(ctx, updates);
  });
}

const newSession = (ctx: acp.ClientContext) => ctx.request(acp.methods.agent.session.new, { cwd: sb.repo, mcpServers: [] });

/**
 * An editor that opens files from disk into buffers, takes glm's writes into them (through `format`, its
 * format-on-save) and saves a buffer only when the test says: later than glm's write, with a later mtime.
 */
function editor(format = (text: string) => text) {
  const buffers = new Map<string, string>();
  const written: acp.WriteTextFileRequest[] = [];
  const handlers: Handlers = {
    permission: () => ({ outcome: { outcome: 'selected', optionId: 'allow_once' } }),
    readTextFile: (req) => ({ content: buffers.get(req.path) ?? readFileSync(req.path, 'utf8') }),
    writeTextFile: (req) => (written.push(req), buffers.set(req.path, format(req.content)), {}),
  };
  let late = 10_000;
  const saveLate = (file: string) => {
    writeFileSync(file, buffers.get(file)!);
    utimesSync(file, new Date(), new Date(Date.now() + (late += 1000)));
  };
  return { buffers, written, handlers, saveLate };
}

describe('glm acp with a real ACP client', () => {
  it('initialize → new session → prompt → permission request → tool call updates → end of turn', async () => {
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'touch made-by-acp.txt' }, id: 'call_1' }], { reasoning: 'Make the file.' }), (body) => {
      expect(lastContent(body)).not.toMatch(/denied/i);
      return text('Created it.');
    });
    const asked: acp.RequestPermissionRequest[] = [];
    const { stop, updates } = await withAgent(
      { permission: (req) => (asked.push(req), { outcome: { outcome: 'selected', optionId: 'allow_once' } }) },
      async (ctx, updates) => {
        const { sessionId, modes } = await newSession(ctx);
        expect(modes?.availableModes.map((m) => m.id)).toEqual(['default', 'acceptEdits', 'plan', 'bypassPermissions']);
        const stop = await ctx.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text: 'make a file' }] });
        return { stop, updates };
      },
    );
    expect(stop.stopReason).toBe('end_turn');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.toolCall).toMatchObject({ toolCallId: 'call_1', kind: 'execute' });
    expect(asked[0]!.options.map((o) => o.kind)).toEqual(['allow_once', 'allow_always', 'reject_once']);
    await expect(readFile(path.join(sb.repo, 'made-by-acp.txt'), 'utf8')).resolves.toBe('');
    const kinds = updates.map((u) => u.sessionUpdate);
    expect(kinds).toContain('agent_thought_chunk');
    const calls = updates.filter((u) => u.sessionUpdate === 'tool_call' || u.sessionUpdate === 'tool_call_update') as { sessionUpdate: string; status?: string; toolCallId: string }[];
    expect(calls.map((c) => [c.sessionUpdate, c.status])).toEqual([
      ['tool_call', 'pending'],
      ['tool_call_update', 'in_progress'],
      ['tool_call_update', 'completed'],
    ]);
    const said = updates.filter((u) => u.sessionUpdate === 'agent_message_chunk').map((u) => (u.content.type === 'text' ? u.content.text : '')).join('');
    expect(said).toContain('Created it.');
  });

  it('a rejected permission reaches the model and nothing runs', async () => {
    fake.reply(toolCalls([{ name: 'Write', arguments: { file_path: 'nope.txt', content: 'x' } }]), (body) => {
      expect(lastContent(body)).toMatch(/denied/i);
      return text('Understood, I did not write it.');
    });
    const stop = await withAgent({ permission: () => ({ outcome: { outcome: 'selected', optionId: 'reject_once' } }) }, async (ctx) => {
      const { sessionId } = await newSession(ctx);
      return ctx.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text: 'write nope.txt' }] });
    });
    expect(stop.stopReason).toBe('end_turn');
    await expect(readFile(path.join(sb.repo, 'nope.txt'))).rejects.toThrow();
  });

  it('session/cancel ends a slow turn with stopReason cancelled', async () => {
    fake.reply(text('y'.repeat(400), { chunkSize: 4, delayMs: 50 }));
    const stop = await withAgent({}, async (ctx, updates) => {
      const { sessionId } = await newSession(ctx);
      const prompt = ctx.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text: 'write a lot' }] });
      while (!updates.some((u) => u.sessionUpdate === 'agent_message_chunk')) await new Promise((r) => setTimeout(r, 20));
      await ctx.notify(acp.methods.agent.session.cancel, { sessionId });
      return prompt;
    });
    expect(stop.stopReason).toBe('cancelled');
  });

  it('session/set_mode switches to plan mode: the next edit is refused without asking', async () => {
    fake.reply(toolCalls([{ name: 'Write', arguments: { file_path: 'plan.txt', content: 'x' } }]), (body) => {
      expect(lastContent(body)).toMatch(/plan mode/i);
      return text('Plan mode: no writes.');
    });
    let asked = 0;
    const updates = await withAgent({ permission: () => (asked++, { outcome: { outcome: 'selected', optionId: 'allow_once' } }) }, async (ctx, updates) => {
      const { sessionId } = await newSession(ctx);
      await ctx.request(acp.methods.agent.session.setMode, { sessionId, modeId: 'plan' });
      await ctx.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text: 'write plan.txt' }] });
      return updates;
    });
    expect(asked).toBe(0);
    expect(updates).toContainEqual(expect.objectContaining({ sessionUpdate: 'current_mode_update', currentModeId: 'plan' }));
    await expect(readFile(path.join(sb.repo, 'plan.txt'))).rejects.toThrow();
  });

  it('session/load replays an earlier session, and Read sees the editor buffer instead of the file', async () => {
    fake.reply(text('First answer.'));
    const sessionId = await withAgent({}, async (ctx) => {
      const { sessionId } = await newSession(ctx);
      await ctx.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text: 'remember this' }] });
      return sessionId;
    });
    child?.kill();
    await writeFile(path.join(sb.repo, 'notes.txt'), 'on disk\n');
    fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'notes.txt' } }]), (body) => {
      expect(lastContent(body)).toContain('unsaved in the editor');
      expect(body.messages.some((m: { content: string }) => m.content === 'remember this')).toBe(true);
      return text('The buffer says it is unsaved.');
    });
    const replayed = await withAgent({ readTextFile: () => ({ content: 'unsaved in the editor\n' }) }, async (ctx, updates) => {
      await ctx.request(acp.methods.agent.session.load, { sessionId, cwd: sb.repo, mcpServers: [] });
      const before = [...updates];
      const stop = await ctx.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text: 'what does notes.txt say?' }] });
      expect(stop.stopReason).toBe('end_turn');
      const said = updates.filter((u) => u.sessionUpdate === 'agent_message_chunk').map((u) => (u.content.type === 'text' ? u.content.text : '')).join('');
      expect(said).toContain('The buffer says it is unsaved.');
      return before;
    });
    expect(replayed).toContainEqual(expect.objectContaining({ sessionUpdate: 'user_message_chunk', content: { type: 'text', text: 'remember this' } }));
    expect(replayed).toContainEqual(expect.objectContaining({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'First answer.' } }));
  });

  it('with the editor offering writes, Edit and Write change its buffers (unsaved text included), not the disk', async () => {
    fake.reply(
      toolCalls([{ name: 'Read', arguments: { file_path: 'notes.txt' } }]),
      toolCalls([{ name: 'Edit', arguments: { file_path: 'notes.txt', old_string: 'unsaved line', new_string: 'edited line' } }]),
      (body) => {
        expect(lastContent(body)).toContain('Edited notes.txt');
        return toolCalls([{ name: 'Write', arguments: { file_path: 'sub/new.txt', content: 'fresh\n' } }]);
      },
      (body) => {
        expect(lastContent(body)).toContain('Created sub/new.txt');
        return text('Both changed in the editor.');
      },
    );
    const buffers = new Map([[path.join(sb.repo, 'notes.txt'), 'unsaved line\nsecond\n']]);
    const written: acp.WriteTextFileRequest[] = [];
    const stop = await withAgent(
      {
        permission: () => ({ outcome: { outcome: 'selected', optionId: 'allow_once' } }),
        readTextFile: (req) => ({ content: buffers.get(req.path) ?? '' }),
        writeTextFile: (req) => (written.push(req), buffers.set(req.path, req.content), {}),
      },
      async (ctx) => {
        const { sessionId } = await newSession(ctx);
        return ctx.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text: 'edit notes, write new' }] });
      },
    );
    expect(stop.stopReason).toBe('end_turn');
    expect(written.map((w) => [w.path, w.content])).toEqual([
      [path.join(sb.repo, 'notes.txt'), 'edited line\nsecond\n'],
      [path.join(sb.repo, 'sub', 'new.txt'), 'fresh\n'],
    ]);
    // glm wrote nothing itself: the disk is as it was.
    await expect(readFile(path.join(sb.repo, 'notes.txt'), 'utf8')).resolves.toBe('on disk\n');
    await expect(readFile(path.join(sb.repo, 'sub', 'new.txt'))).rejects.toThrow();
  });

  it("the editor saving glm's own write late (formatted, or a new file) does not make the next edit refuse", async () => {
    const notes = path.join(sb.repo, 'notes.txt');
    const fresh = path.join(sb.repo, 'new.txt');
    const ed = editor((text) => text.replace(/ +$/gm, '')); // format-on-save: trailing spaces go
    fake.reply(
      toolCalls([{ name: 'Read', arguments: { file_path: 'notes.txt' } }]),
      toolCalls([{ name: 'Edit', arguments: { file_path: 'notes.txt', old_string: 'on disk', new_string: 'edited   ' } }]),
      (body) => {
        expect(lastContent(body)).toContain('Edited notes.txt');
        ed.saveLate(notes); // the editor's save lands after glm looked at the disk
        return toolCalls([{ name: 'Edit', arguments: { file_path: 'notes.txt', old_string: 'edited', new_string: 'edited twice' } }]);
      },
      (body) => {
        expect(lastContent(body)).toContain('Edited notes.txt');
        ed.saveLate(notes);
        return toolCalls([{ name: 'Write', arguments: { file_path: 'new.txt', content: 'fresh\n' } }]);
      },
      (body) => {
        expect(lastContent(body)).toContain('Created new.txt');
        ed.saveLate(fresh);
        // Never read, but glm wrote it: no "read it first".
        return toolCalls([{ name: 'Edit', arguments: { file_path: 'new.txt', old_string: 'fresh', new_string: 'fresher' } }]);
      },
      (body) => {
        expect(lastContent(body)).toContain('Edited new.txt');
        return text('All saved.');
      },
    );
    const stop = await withAgent(ed.handlers, async (ctx) => {
      const { sessionId } = await newSession(ctx);
      return ctx.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text: 'edit twice, write new' }] });
    });
    expect(stop.stopReason).toBe('end_turn');
    expect(ed.buffers.get(notes)).toBe('edited twice\n');
    expect(ed.buffers.get(fresh)).toBe('fresher\n');
  });

  it('an editor that only reads: saving the unsaved buffer the model read does not make the edit refuse', async () => {
    const notes = path.join(sb.repo, 'notes.txt');
    fake.reply(
      toolCalls([{ name: 'Read', arguments: { file_path: 'notes.txt' } }]),
      (body) => {
        expect(lastContent(body)).toContain('unsaved line');
        // The user saves the buffer the model saw.
        writeFileSync(notes, 'unsaved line\n');
        utimesSync(notes, new Date(), new Date(Date.now() + 20_000));
        return toolCalls([{ name: 'Edit', arguments: { file_path: 'notes.txt', old_string: 'unsaved line', new_string: 'saved and edited' } }]);
      },
      (body) => {
        expect(lastContent(body)).toContain('Edited notes.txt');
        return text('Edited.');
      },
    );
    const stop = await withAgent(
      { permission: () => ({ outcome: { outcome: 'selected', optionId: 'allow_once' } }), readTextFile: () => ({ content: 'unsaved line\n' }) },
      async (ctx) => {
        const { sessionId } = await newSession(ctx);
        return ctx.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text: 'edit notes' }] });
      },
    );
    expect(stop.stopReason).toBe('end_turn');
    await expect(readFile(notes, 'utf8')).resolves.toBe('saved and edited\n');
  });

  it('a change by someone else after glm wrote through the editor still makes the edit refuse', async () => {
    const notes = path.join(sb.repo, 'notes.txt');
    const ed = editor();
    fake.reply(
      toolCalls([{ name: 'Read', arguments: { file_path: 'notes.txt' } }]),
      toolCalls([{ name: 'Edit', arguments: { file_path: 'notes.txt', old_string: 'on disk', new_string: 'edited' } }]),
      (body) => {
        expect(lastContent(body)).toContain('Edited notes.txt');
        ed.saveLate(notes);
        // Then another program changes the file.
        writeFileSync(notes, 'someone else\n');
        utimesSync(notes, new Date(), new Date(Date.now() + 20_000));
        return toolCalls([{ name: 'Edit', arguments: { file_path: 'notes.txt', old_string: 'edited', new_string: 'clobbered' } }]);
      },
      (body) => {
        expect(lastContent(body)).toMatch(/notes\.txt changed on disk since you last read it/);
        return text('It changed; I will read it again.');
      },
    );
    const stop = await withAgent(ed.handlers, async (ctx) => {
      const { sessionId } = await newSession(ctx);
      return ctx.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text: 'edit notes' }] });
    });
    expect(stop.stopReason).toBe('end_turn');
    expect(ed.written.map((w) => w.content)).toEqual(['edited\n']);
    await expect(readFile(notes, 'utf8')).resolves.toBe('someone else\n');
  });

  it('a write the editor refuses reaches the model as an error', async () => {
    fake.reply(toolCalls([{ name: 'Write', arguments: { file_path: 'new.txt', content: 'x' } }]), (body) => {
      expect(lastContent(body)).toMatch(/The editor did not write .*new\.txt: .*read-only buffer/);
      return text('The editor refused.');
    });
    const stop = await withAgent(
      {
        permission: () => ({ outcome: { outcome: 'selected', optionId: 'allow_once' } }),
        readTextFile: () => ({ content: '' }),
        writeTextFile: () => {
          throw acp.RequestError.invalidParams(undefined, 'read-only buffer');
        },
      },
      async (ctx) => {
        const { sessionId } = await newSession(ctx);
        return ctx.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text: 'write new.txt' }] });
      },
    );
    expect(stop.stopReason).toBe('end_turn');
    await expect(readFile(path.join(sb.repo, 'new.txt'))).rejects.toThrow();
  });

  it('offers Task and Skill like the REPL; a subagent\'s calls arrive as tool calls tied to its Task call', async () => {
    await mkdir(path.join(sb.home, '.config/glm-code/skills/notes-skill'), { recursive: true });
    await writeFile(path.join(sb.home, '.config/glm-code/skills/notes-skill/SKILL.md'), '---\nname: notes-skill\ndescription: Summarises notes.\n---\nRead notes.txt.\n');
    const names = (body: { tools?: { function: { name: string } }[] }) => (body.tools ?? []).map((t) => t.function.name);
    fake.reply(
      (body) => {
        expect(names(body)).toEqual(expect.arrayContaining(['Task', 'Skill']));
        return toolCalls([{ name: 'Task', arguments: { description: 'find notes', prompt: 'What does notes.txt say?', subagent_type: 'general-purpose' }, id: 'call_task' }]);
      },
      (body) => {
        expect(body.messages.slice(1)).toEqual([{ role: 'user', content: 'What does notes.txt say?' }]);
        return toolCalls([{ name: 'Grep', arguments: { pattern: 'disk' }, id: 'call_grep' }]);
      },
      text('It says "on disk".'),
      (body) => {
        expect(lastContent(body)).toContain('It says "on disk".');
        return text('The subagent found it.');
      },
    );
    const updates = await withAgent({}, async (ctx, updates) => {
      const { sessionId } = await newSession(ctx);
      const stop = await ctx.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text: 'ask a subagent' }] });
      expect(stop.stopReason).toBe('end_turn');
      return updates;
    });
    type Call = { sessionUpdate: string; toolCallId: string; status?: string; title?: string; kind?: string; _meta?: Record<string, unknown> };
    const calls = updates.filter((u) => u.sessionUpdate === 'tool_call' || u.sessionUpdate === 'tool_call_update') as Call[];
    expect(calls.find((c) => c.toolCallId === 'call_task' && c.sessionUpdate === 'tool_call')).toMatchObject({ kind: 'think' });
    const grep = calls.filter((c) => c.toolCallId === 'call_grep');
    expect(grep.map((c) => [c.sessionUpdate, c.status])).toEqual([
      ['tool_call', 'pending'],
      ['tool_call_update', 'in_progress'],
      ['tool_call_update', 'completed'],
    ]);
    expect(grep[0]).toMatchObject({ title: 'general-purpose: Grep', kind: 'search', _meta: { parentToolCallId: 'call_task', agent: 'general-purpose' } });
    // The Task call ends after the calls of its subagent, and the subagent's words are not the session's message.
    expect(calls.findLastIndex((c) => c.toolCallId === 'call_task')).toBeGreaterThan(calls.findLastIndex((c) => c.toolCallId === 'call_grep'));
    const said = updates.filter((u) => u.sessionUpdate === 'agent_message_chunk').map((u) => (u.content.type === 'text' ? u.content.text : '')).join('');
    expect(said).toBe('The subagent found it.');
  });

  it('image prompts: advertised, described by the vision model for a text-only model, a URL refused with one line', async () => {
    fake.reply(text('A blue square.'), (body) => {
      expect(JSON.stringify(body)).not.toContain('image_url');
      expect(lastContent(body)).toContain('A blue square.');
      return text('It is blue.');
    });
    const data = (await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3366cc' } }).png().toBuffer()).toString('base64');
    const { said, refused } = await withAgent({}, async (ctx, updates) => {
      const { sessionId } = await newSession(ctx);
      const stop = await ctx.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text: 'what colour?' }, { type: 'image', mimeType: 'image/png', data }] });
      expect(stop.stopReason).toBe('end_turn');
      const refused = await ctx
        .request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text: 'and this?' }, { type: 'image', mimeType: 'image/png', data: '', uri: 'https://example.com/a.png' }] })
        .then(() => 'answered', (err: Error) => err.message + JSON.stringify(err));
      const said = updates.filter((u) => u.sessionUpdate === 'agent_message_chunk').map((u) => (u.content.type === 'text' ? u.content.text : '')).join('');
      return { said, refused };
    });
    expect(lastInit?.agentCapabilities?.promptCapabilities?.image).toBe(true);
    expect(said).toBe('It is blue.');
    // The vision model saw the image; no request went out for the refused prompt.
    expect(fake.requests.map((r) => r.model)).toEqual(['glm-5v-turbo', 'glm-5.2']);
    expect(refused).toContain('image 1 is a URL (https://example.com/a.png); glm does not fetch images');
  });

  it('a text-only model with no vision model does not advertise images', async () => {
    await withAgent({ env: { GLM_PROVIDER: 'vllm', GLM_BASE_URL: fake.v1Url, GLM_MODEL: 'glm-4.7' } }, async () => undefined);
    expect(lastInit?.agentCapabilities?.promptCapabilities?.image).toBe(false);
  });
});
