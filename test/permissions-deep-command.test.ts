// A deeply chained or nested Bash command (thousands of `&&`, deep `$( )` or subshells) is decided by the
// permission check like any other, never by a stack overflow: a chain is judged command by command, and syntax
// nested past MAX_SYNTAX_DEPTH is asked about with that reason (deny rules still see it as an unknown command).
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGate } from '../src/gate.ts';
import { analyzeCommand, MAX_SYNTAX_DEPTH } from '../src/shell/analyze.ts';
import { createToolState } from '../src/tool.ts';
import type { ApprovalRequest } from '../src/types.ts';
import { bashTool } from '../tools/bash.ts';

async function judge(command: string, rules: { allow: string[]; deny: string[]; ask: string[] }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-deep-'));
  const asked: ApprovalRequest[] = [];
  const gate = createGate({ mode: () => 'default', rules, projectRoot: dir, cwd: dir, emit: () => {}, approver: async (req) => (asked.push(req), { decision: 'deny' }) });
  const result = await gate({ callId: 'c1', tool: bashTool, args: { command }, title: 'Bash', context: { cwd: dir, state: createToolState() } }, new AbortController().signal);
  return { result, asked };
}

/** 10,000 commands joined by `&&` (40 KB, under the size glm judges): the parse nests one list per operator. */
const CHAIN = Array(10_000).fill('ls').join('&&');

describe('deeply chained and nested commands', () => {
  it('allows a chain of 10,000 `ls` by the rule Bash(ls:*), and denies it for the rm at its end', async () => {
    expect((await judge(CHAIN, { allow: ['Bash(ls:*)'], deny: [], ask: [] })).result).toEqual({ allowed: true });
    const { result, asked } = await judge(`${CHAIN}&&rm -rf x`, { allow: ['Bash(ls:*)'], deny: ['Bash(rm:*)'], ask: [] });
    expect(result).toMatchObject({ allowed: false, message: expect.stringContaining('matches deny rule Bash(rm:*)') });
    expect(asked).toHaveLength(0);
  }, 20_000);

  it('asks about 2,000 nested command substitutions, saying they nest too deeply, and a deny rule still denies them', async () => {
    const deep = `echo ${'$('.repeat(2000)}ls${')'.repeat(2000)}`;
    const { result, asked } = await judge(deep, { allow: ['Bash(echo:*)', 'Bash(ls:*)'], deny: [], ask: [] });
    expect(result.allowed).toBe(false);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.reason).toContain(`nested more than ${MAX_SYNTAX_DEPTH} levels deep`);
    const denied = await judge(deep, { allow: [], deny: ['Bash(rm:*)'], ask: [] });
    expect(denied.asked).toHaveLength(0);
    expect(denied.result.allowed).toBe(false);
  });

  it('still judges ordinary nesting: 20 nested substitutions find the command inside', async () => {
    const analysis = await analyzeCommand(`echo ${'$('.repeat(20)}rm -rf x${')'.repeat(20)}`);
    expect(analysis.unproven.join()).not.toContain('levels deep');
    expect(analysis.commands.some((c) => c.words[0] === 'rm')).toBe(true);
  });
});
