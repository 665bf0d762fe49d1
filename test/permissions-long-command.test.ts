// Issue 20, item 3: the permission check of a very long Bash command (a 1 MB heredoc or argument list) answers
// within a second in every mode, and a command over the size glm judges by rules is asked about, never allowed
// or denied by a rule it could not check.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGate } from '../src/gate.ts';
import { MAX_JUDGED_COMMAND_CHARS } from '../src/limits.ts';
import { createToolState } from '../src/tool.ts';
import type { ApprovalRequest, PermissionMode } from '../src/types.ts';
import { bashTool } from '../tools/bash.ts';

/** About 1 MB of plain words: the shape that was quadratic (every word asked tree-sitter for its parent). */
const MB_COMMAND = `echo ${'ab '.repeat(350_000)}`;

async function judge(command: string, mode: PermissionMode, rules: { allow: string[]; deny: string[]; ask: string[] }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-long-'));
  const asked: ApprovalRequest[] = [];
  const gate = createGate({ mode: () => mode, rules, projectRoot: dir, cwd: dir, emit: () => {}, approver: async (req) => (asked.push(req), { decision: 'deny' }) });
  const started = performance.now();
  const result = await gate({ callId: 'c1', tool: bashTool, args: { command }, title: 'Bash echo', context: { cwd: dir, state: createToolState() } }, new AbortController().signal);
  return { result, asked, ms: performance.now() - started };
}

describe('long commands and the permission check', () => {
  it('judges a 1 MB command within 1 s in default mode, and asks (no rule vouches for it)', async () => {
    await judge('echo warm-up', 'default', { allow: [], deny: ['Bash(rm:*)'], ask: [] }); // loads the parser
    const { asked, ms } = await judge(MB_COMMAND, 'default', { allow: ['Bash(echo:*)'], deny: ['Bash(rm:*)'], ask: [] });
    expect(ms).toBeLessThan(1000);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.reason).toMatch(/too long for glm to judge by rules/);
    expect(asked[0]!.rule).toBeUndefined();
  });

  it('judges it within 1 s in bypassPermissions with a deny rule, and asks rather than run it unchecked', async () => {
    await judge('echo warm-up', 'default', { allow: [], deny: ['Bash(rm:*)'], ask: [] });
    const { asked, ms } = await judge(MB_COMMAND, 'bypassPermissions', { allow: [], deny: ['Bash(rm:*)'], ask: [] });
    expect(ms).toBeLessThan(1000);
    expect(asked).toHaveLength(1);
  });

  it('bypassPermissions without deny or ask rules still runs it; a bare Bash deny rule still denies it', async () => {
    expect((await judge(MB_COMMAND, 'bypassPermissions', { allow: [], deny: [], ask: [] })).result).toEqual({ allowed: true });
    const denied = await judge(MB_COMMAND, 'bypassPermissions', { allow: [], deny: ['Bash'], ask: [] });
    expect(denied.result.allowed).toBe(false);
    expect(denied.asked).toHaveLength(0);
  });

  it('a command just under the limit is still judged by its rules', async () => {
    const command = `echo ${'ab '.repeat(Math.floor((MAX_JUDGED_COMMAND_CHARS - 10) / 3))}`;
    const { result } = await judge(command, 'default', { allow: ['Bash(echo:*)'], deny: [], ask: [] });
    expect(result).toEqual({ allowed: true });
  });
});
