// The permission gate: what an approver is shown (the diff of an edit, before anything is written), what
// "always allow" adds, and what the model is told when nobody can approve.
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGate } from '../src/gate.ts';
import { createToolState } from '../src/tool.ts';
import type { AgentEvent, ApprovalRequest } from '../src/types.ts';
import { editTool } from '../tools/edit.ts';
import { bashTool } from '../tools/bash.ts';
import { writeTool } from '../tools/write.ts';

async function project() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-gate-'));
  const file = path.join(dir, 'a.txt');
  await writeFile(file, 'hello\n');
  const state = createToolState();
  state.readFiles.set(file, (await stat(file)).mtimeMs);
  return { dir, file, state };
}

describe('gate', () => {
  it('shows the approver the diff an edit would make, without writing it', async () => {
    const { dir, file, state } = await project();
    const seen: ApprovalRequest[] = [];
    const rules = { allow: [] as string[], deny: [], ask: [] };
    const gate = createGate({ mode: () => 'default', rules, projectRoot: dir, cwd: dir, emit: () => {}, approver: async (req) => (seen.push(req), { decision: 'allow', always: true }) });
    const args = { file_path: 'a.txt', old_string: 'hello', new_string: 'hello world' };
    const result = await gate({ callId: 'c1', tool: editTool, args, title: 'Edit a.txt', context: { cwd: dir, state } }, new AbortController().signal);
    expect(result).toEqual({ allowed: true });
    expect(seen[0].preview).toMatch(/-hello\n\+hello world/);
    expect(await readFile(file, 'utf8')).toBe('hello\n');
    expect(rules.allow).toEqual([seen[0].rule]);
  });

  it('offers no rule for a protected place, and "always" there allows once without adding one', async () => {
    const { dir, state } = await project();
    const git = path.join(dir, '.git');
    await mkdir(git);
    await writeFile(path.join(git, 'config'), '[core]\n');
    state.readFiles.set(path.join(git, 'config'), (await stat(path.join(git, 'config'))).mtimeMs);
    const seen: ApprovalRequest[] = [];
    const rules = { allow: [] as string[], deny: [], ask: [] };
    const gate = createGate({ mode: () => 'acceptEdits', rules, projectRoot: dir, cwd: dir, emit: () => {}, approver: async (req) => (seen.push(req), { decision: 'allow', always: true }) });
    const args = { file_path: '.git/config', old_string: '[core]', new_string: '[core]\n\tx = 1' };
    const result = await gate({ callId: 'c1', tool: editTool, args, title: 'Edit .git/config', context: { cwd: dir, state } }, new AbortController().signal);
    expect(result).toEqual({ allowed: true });
    expect(seen[0].reason).toMatch(/always need approval/);
    expect(seen[0].rule).toBeUndefined();
    expect(rules.allow).toEqual([]);
  });

  it("a PermissionRequest hook's allow does not answer for a protected place: the user is still asked", async () => {
    const { dir, state } = await project();
    await mkdir(path.join(dir, '.glm'));
    const seen: ApprovalRequest[] = [];
    const gate = createGate({
      mode: () => 'default',
      rules: { allow: [], deny: [], ask: [] },
      projectRoot: dir,
      cwd: dir,
      emit: () => {},
      permissionHook: async () => ({ decision: 'allow' }),
      approver: async (req) => (seen.push(req), { decision: 'deny' }),
    });
    const call = (file: string) => gate({ callId: 'c1', tool: writeTool, args: { file_path: file, content: '{}' }, title: `Write ${file}`, context: { cwd: dir, state } }, new AbortController().signal);
    expect((await call('.glm/settings.json')).allowed).toBe(false);
    expect(seen.map((r) => r.title)).toEqual(['Write .glm/settings.json']);
    // Elsewhere the hook answers for the user.
    expect(await call('b.txt')).toEqual({ allowed: true });
    expect(seen).toHaveLength(1);
  });

  it('does not ask about an edit that cannot happen, and gives the model the error the edit would give', async () => {
    const { dir, file, state } = await project();
    const asked: ApprovalRequest[] = [];
    const events: AgentEvent[] = [];
    const gate = createGate({ mode: () => 'default', rules: { allow: [], deny: [], ask: [] }, projectRoot: dir, cwd: dir, emit: (e) => events.push(e), approver: async (req) => (asked.push(req), { decision: 'allow' }) });
    const call = (args: object, context = { cwd: dir, state }) => gate({ callId: 'c1', tool: editTool, args, title: 'Edit a.txt', context }, new AbortController().signal);

    const missing = await call({ file_path: 'a.txt', old_string: 'goodbye', new_string: 'x' });
    expect(missing).toEqual({ allowed: false, message: expect.stringContaining('old_string') });
    const unread = await call({ file_path: 'a.txt', old_string: 'hello', new_string: 'x' }, { cwd: dir, state: createToolState() });
    expect(unread).toEqual({ allowed: false, message: expect.stringContaining('you have not read it in this session') });
    expect(asked).toEqual([]);
    expect(events).toEqual([]);
    expect(await readFile(file, 'utf8')).toBe('hello\n');
  });

  it('in headless mode denies and tells the model which rule would allow it', async () => {
    const { dir, state } = await project();
    const events: AgentEvent[] = [];
    const gate = createGate({ mode: () => 'default', rules: { allow: [], deny: [], ask: [] }, projectRoot: dir, cwd: dir, emit: (e) => events.push(e) });
    const result = await gate({ callId: 'c1', tool: bashTool, args: { command: 'npm test' }, title: 'Bash npm test', context: { cwd: dir, state } }, new AbortController().signal);
    expect(result.allowed).toBe(false);
    if (!result.allowed) expect(result.message).toMatch(/non-interactively.*--allowedTools "Bash\(npm test\)"/);
    expect(events.map((e) => e.type)).toEqual(['approval_request', 'approval_result']);
  });

  it('passes the user\'s reason for a denial on to the model', async () => {
    const { dir, state } = await project();
    const gate = createGate({ mode: () => 'default', rules: { allow: [], deny: [], ask: [] }, projectRoot: dir, cwd: dir, emit: () => {}, approver: async () => ({ decision: 'deny', feedback: 'use pnpm' }) });
    const result = await gate({ callId: 'c1', tool: bashTool, args: { command: 'npm test' }, title: 'Bash npm test', context: { cwd: dir, state } }, new AbortController().signal);
    // The reason is its own sentence: the instruction after it does not run on from it.
    expect(result).toEqual({ allowed: false, message: 'The user denied this call. The user said: "use pnpm". Do not retry it as is; adjust your approach.' });
  });
});
