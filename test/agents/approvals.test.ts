// A subagent's permission prompts go through the session's approver in-process: they name the agent, come one at
// a time even from two subagents running at once, and "always allow" in one holds for the parent and the others.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadAgentExtensions } from '../../src/agents/start.ts';
import { loadConfig } from '../../src/config.ts';
import { createModelClientFromConfig } from '../../src/model/client.ts';
import { Session } from '../../src/session.ts';
import { builtinTools, toolSet } from '../../tools/index.ts';
import type { ApprovalRequest } from '../../src/types.ts';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe("a subagent's approvals", () => {
  it('name the agent, never overlap, and share "always allow" with the session', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'glm-sub-approve-'));
    await writeFile(path.join(root, 'a.txt'), 'alpha\n');
    const env = { HOME: root, XDG_DATA_HOME: path.join(root, 'data'), XDG_CONFIG_HOME: path.join(root, 'cfg'), GLM_API_KEY: 'k', GLM_BASE_URL: fake.url };
    const config = loadConfig({}, env, root);
    const agents = await loadAgentExtensions(config);
    const asked: ApprovalRequest[] = [];
    let open = 0;
    let overlapped = false;
    const session = await Session.open({
      config,
      client: createModelClientFromConfig(config),
      tools: toolSet(builtinTools),
      extensions: agents.extensions,
      transcript: false,
      approver: async (request) => {
        asked.push(request);
        open++;
        if (open > 1) overlapped = true;
        await new Promise((r) => setTimeout(r, 50));
        open--;
        return { decision: 'allow', always: true };
      },
    });
    const task = (prompt: string) => ({ name: 'Task', arguments: { description: 'job', prompt, subagent_type: 'general-purpose' } });
    const bash = (body: { messages: { content: string }[] }) => toolCalls([{ name: 'Bash', arguments: { command: `echo ${body.messages.at(-1)!.content.includes('one') ? 'one' : 'two'}` } }]);
    fake.reply(toolCalls([task('job one'), task('job two')]), bash, bash, text('done one'), text('done two'), toolCalls([{ name: 'Bash', arguments: { command: 'echo one' } }]), text('all done'));
    const done = await session.run('two jobs');
    expect(done.reason).toBe('completed');
    expect(overlapped).toBe(false);
    // Two prompts, one per subagent, each naming it; the parent's own `echo one` later ran on the rule "always" added (no third prompt).
    expect(asked.map((a) => [a.agent, a.title])).toEqual(expect.arrayContaining([['general-purpose', 'general-purpose: Bash echo one']]));
    expect(asked.length).toBeLessThanOrEqual(2);
    expect(asked.every((a) => a.agent === 'general-purpose')).toBe(true);
    expect(session.rules.allow).toContain('Bash(echo:*)');
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('alpha\n');
    await session.close();
  });
});
