// End to end: the built `glm -p` against the fake GLM server with subagents (Task) and skills: a Task call is a
// separate conversation whose answer comes back as the tool result, Task calls of one message overlap, custom
// agents get the tools and model their file names, Explore never edits or asks, interrupted subagents leave valid
// histories, stream-json tags subagent lines, --continue restores the parent exactly, and untrusted projects'
// agents and skills stay out.
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm, type RequestInfo } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

type Body = { model: string; messages: { role: string; content: string; tool_calls?: unknown[] }[]; tools?: { function: { name: string; description: string } }[] };
const toolNames = (body: Body) => (body.tools ?? []).map((t) => t.function.name);
const toolDescription = (body: Body, name: string) => body.tools?.find((t) => t.function.name === name)?.function.description ?? '';
const lastContent = (body: Body) => body.messages.at(-1)?.content ?? '';
const system = (body: Body) => body.messages[0]!.content;
const lines = (stdout: unknown) => String(stdout).trim().split('\n').map((l) => JSON.parse(l));

const task = (subagent_type: string, prompt: string, id?: string) => ({ name: 'Task', arguments: { description: `${subagent_type} job`, prompt, subagent_type }, ...(id && { id }) });

async function put(root: string, files: Record<string, string>) {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
}

const reviewer = ['---', 'name: reviewer', 'description: Reviews code for bugs: use it after a change.', 'tools: Read, Grep', 'model: haiku', '---', 'You review code. Report bugs as path:line.', ''].join('\n');
const skill = ['---', 'name: release-notes', 'description: Writes release notes from the git log.', 'allowed-tools: Bash(git log:*)', '---', 'Run `git log --oneline` and group the commits.', 'See references/style.md.', ''].join('\n');

describe('Task: subagents', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox({ 'src/a.ts': 'export const answer = 42;\n' }, fake.url);
  });

  it('runs a separate conversation (own system prompt, the Task prompt first) whose answer is the tool result; stream-json tags its lines', async () => {
    fake.reply(
      (body: Body) => {
        expect(toolNames(body)).toContain('Task');
        expect(toolDescription(body, 'Task')).toMatch(/- general-purpose: .*\n- Explore: /);
        return toolCalls([task('general-purpose', 'Find where answer is defined.', 'call_task1')]);
      },
      (body: Body) => {
        // The subagent's own conversation: its system prompt, then the Task prompt; no Task tool for it.
        expect(system(body)).toMatch(/^You are a subagent of glm/);
        expect(body.messages.slice(1)).toEqual([{ role: 'user', content: 'Find where answer is defined.' }]);
        expect(toolNames(body)).not.toContain('Task');
        expect(toolNames(body)).toContain('Edit');
        return toolCalls([{ name: 'Grep', arguments: { pattern: 'answer' } }]);
      },
      (body: Body) => {
        expect(lastContent(body)).toContain('src/a.ts');
        return text('answer is defined in src/a.ts:1.');
      },
      (body: Body) => {
        expect(system(body)).toMatch(/^You are GLM Code/);
        expect(body.messages).toHaveLength(4);
        expect(lastContent(body)).toMatch(/^answer is defined in src\/a.ts:1.\n\n\(general-purpose agent: 2 turns, 1 tool call, \d+ tokens\)$/);
        return text('It is in src/a.ts.');
      },
    );
    const r = await runGlm(sb, ['-p', 'where is answer?', '--output-format', 'stream-json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(fake.violations).toEqual([]);
    const out = lines(r.stdout);
    const sub = out.filter((l) => l.parent_tool_use_id === 'call_task1');
    expect(sub.map((l) => l.type)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(sub[0].message.content[0].text).toBe('Find where answer is defined.');
    expect(sub[1].message.content[0]).toMatchObject({ type: 'tool_use', name: 'Grep' });
    expect(out.filter((l) => l.type === 'assistant' && l.parent_tool_use_id === null)).toHaveLength(2);
    // The run's usage counts the subagent's two requests too.
    const result = out.at(-1);
    const assistantUsage = out.filter((l) => l.type === 'assistant').reduce((n, l) => n + l.message.usage.input_tokens, 0);
    expect(result.usage.input_tokens).toBe(assistantUsage);
    expect(out.filter((l) => l.type === 'assistant')).toHaveLength(4);
  });

  it("stream-json names each assistant line by the model that wrote it: Explore's fast model, the session's for the parent", async () => {
    fake.reply(toolCalls([task('Explore', 'Look.', 'call_explore')]), text('Looked.'), text('Done.'));
    const r = await runGlm(sb, ['-p', 'look', '--output-format', 'stream-json', '--model', 'glm-4.6']);
    expect(r.exitCode).toBe(0);
    expect(fake.requests.map((b: Body) => b.model)).toEqual(['glm-4.6', 'glm-4.5-air', 'glm-4.6']);
    const assistants = lines(r.stdout).filter((l) => l.type === 'assistant');
    expect(assistants.map((l) => [l.parent_tool_use_id, l.message.model])).toEqual([
      [null, 'glm-4.6'],
      ['call_explore', 'glm-4.5-air'],
      [null, 'glm-4.6'],
    ]);
  });

  it('runs two Task calls of one message at the same time', async () => {
    const arrived: number[] = [];
    const slow = (answer: string) => (_body: Body, info: RequestInfo) => {
      arrived[info.index] = Date.now();
      return text(answer, { chunkSize: 2, delayMs: 60 });
    };
    fake.reply(toolCalls([task('general-purpose', 'job one'), task('general-purpose', 'job two')]), slow('first result here'), slow('second result here'), (body: Body) => {
      const results = body.messages.filter((m) => m.role === 'tool').map((m) => m.content.split('\n')[0]);
      expect(results.sort()).toEqual(['first result here', 'second result here']);
      return text('both done');
    });
    const started = Date.now();
    const r = await runGlm(sb, ['-p', 'two jobs']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('both done');
    // Each subagent's answer streams for about a second; the second request came while the first was streaming.
    expect(arrived[2]! - arrived[1]!).toBeLessThan(400);
    expect(Date.now() - started).toBeGreaterThan(500);
    expect(fake.violations).toEqual([]);
  });

  it('Explore offers no edit tools, runs on the fast model, and its Bash is denied without asking unless a rule allows it', async () => {
    fake.reply(
      toolCalls([task('Explore', 'List the files.')]),
      (body: Body) => {
        expect(body.model).toBe('glm-4.5-air');
        expect(toolNames(body).sort()).toEqual(['Bash', 'Glob', 'Grep', 'LS', 'Read']);
        return toolCalls([{ name: 'Bash', arguments: { command: 'touch made-by-explore' } }]);
      },
      (body: Body) => {
        expect(lastContent(body)).toMatch(/^Permission denied: .*The Explore agent cannot ask for permission/);
        return toolCalls([{ name: 'Bash', arguments: { command: 'git status --short' } }]);
      },
      (body: Body) => {
        expect(lastContent(body)).not.toMatch(/denied/i);
        return text('Only src/a.ts.');
      },
      text('Done.'),
    );
    const r = await runGlm(sb, ['-p', 'explore', '--allowedTools', 'Bash(git status:*)']);
    expect(r.exitCode).toBe(0);
    expect(fake.violations).toEqual([]);
    expect(fake.requests).toHaveLength(5);
    await expect(readFile(path.join(sb.repo, 'made-by-explore'))).rejects.toThrow();
  });

  it("a trusted project's custom agent gets the tools and model its file names; an untrusted one's is not loaded", async () => {
    await put(sb.repo, { '.glm/agents/reviewer.md': reviewer });
    // Untrusted: not offered, one stderr line says why.
    fake.reply((body: Body) => {
      expect(toolDescription(body, 'Task')).not.toContain('reviewer');
      return text('no reviewer');
    });
    const untrusted = await runGlm(sb, ['-p', 'review']);
    expect(untrusted.exitCode).toBe(0);
    expect(untrusted.stderr).toMatch(/not using 1 agent from \.glm\/agents: this project is not trusted/);

    const trust = await runGlm(sb, ['trust']);
    expect(trust.stdout).toContain('.glm/agents/reviewer.md');
    fake.reply(
      (body: Body) => {
        expect(toolDescription(body, 'Task')).toContain('- reviewer: Reviews code for bugs: use it after a change. (Tools: Read, Grep)');
        return toolCalls([task('reviewer', 'Review src/a.ts.')]);
      },
      (body: Body) => {
        expect(body.model).toBe('glm-4.5-air');
        expect(toolNames(body).sort()).toEqual(['Grep', 'Read']);
        expect(system(body)).toMatch(/^You review code. Report bugs as path:line./);
        return text('No bugs.');
      },
      text('The reviewer found no bugs.'),
    );
    const r = await runGlm(sb, ['-p', 'review']);
    expect(fake.violations).toEqual([]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('The reviewer found no bugs.');

    // A changed agent file is untrusted again.
    await writeFile(path.join(sb.repo, '.glm/agents/reviewer.md'), reviewer.replace('Report bugs', 'Report all bugs'));
    fake.reply((body: Body) => {
      expect(toolDescription(body, 'Task')).not.toContain('reviewer');
      return text('ok');
    });
    const changed = await runGlm(sb, ['-p', 'review']);
    expect(changed.stderr).toMatch(/not trusted/);
  });

  it('a user agent whose tools list Task may start subagents (Agent is Task), one level more: the depth limit is 2', async () => {
    const lead = ['---', 'name: lead', 'description: Splits work among subagents.', 'tools: Task, Read', '---', 'You lead.', ''].join('\n');
    await put(path.join(sb.home, '.config/glm-code/agents'), { 'lead.md': lead });
    fake.reply(
      toolCalls([task('lead', 'Lead the work.')]),
      (body: Body) => {
        expect(toolNames(body).sort()).toEqual(['Read', 'Task']);
        // Claude Code's newer name for Task works too.
        return toolCalls([{ ...task('lead', 'Do the part.'), name: 'Agent' }]);
      },
      (body: Body) => {
        // Depth 2: no Task, whatever the definition says.
        expect(toolNames(body)).toEqual(['Read']);
        return text('part done');
      },
      (body: Body) => {
        expect(lastContent(body)).toMatch(/^part done/);
        return text('lead done');
      },
      (body: Body) => {
        expect(lastContent(body)).toMatch(/^lead done/);
        return text('all done');
      },
    );
    const r = await runGlm(sb, ['-p', 'go']);
    expect(r.stdout).toBe('all done');
    expect(fake.violations).toEqual([]);
  });

  it('an interrupted subagent leaves valid histories, and --continue sends the parent conversation exactly', async () => {
    fake.reply(toolCalls([task('general-purpose', 'Take your time.', 'call_slow')]), text('word '.repeat(400), { chunkSize: 5, delayMs: 20 }));
    const child = runGlm(sb, ['-p', 'slow job']);
    await fake.waitForRequests(2);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const first = await child;
    expect(first.exitCode).toBe(130);

    fake.reply(text('continued'));
    const next = await runGlm(sb, ['-p', 'go on', '--continue']);
    expect(next.exitCode).toBe(0);
    const messages = fake.requests[2].messages;
    expect(messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user']);
    expect(messages[3]).toMatchObject({ tool_call_id: 'call_slow' });
    expect(messages[3].content).toMatch(/^Interrupted/);
    expect(fake.violations).toEqual([]);
  });

  it('--continue after a completed run with subagents sends the same parent messages; sessions export shows the sidechain', async () => {
    fake.reply(toolCalls([task('general-purpose', 'Look around.')]), text('Looked: nothing odd.'), text('All fine.'));
    const first = await runGlm(sb, ['-p', 'check', '--output-format', 'json']);
    expect(first.exitCode).toBe(0);
    const parentLast = fake.requests[2].messages;
    fake.reply(text('again'));
    const next = await runGlm(sb, ['-p', 'and now?', '--continue']);
    expect(next.exitCode).toBe(0);
    const resent = fake.requests[3].messages;
    expect(resent.slice(0, parentLast.length)).toEqual(parentLast);
    expect(resent.slice(parentLast.length).map((m: { role: string }) => m.role)).toEqual(['assistant', 'user']);

    const id = JSON.parse(String(first.stdout)).session_id;
    const exported = await runGlm(sb, ['sessions', 'export', id]);
    expect(exported.stdout).toContain('> **general-purpose agent** · #### Task prompt');
    expect(exported.stdout).toContain('Looked: nothing odd.');
  });
});

describe('Skill', () => {
  it("offers a skill's name and description, returns its body and folder; a trusted project's skill pre-approves its allowed-tools for the prompt", async () => {
    const sb = await makeSandbox({ 'a.txt': 'a\n' }, fake.url);
    await put(sb.repo, { '.glm/skills/release-notes/SKILL.md': skill, '.glm/skills/release-notes/references/style.md': 'Short.\n' });
    await runGlm(sb, ['trust']);
    const dir = await realpath(path.join(sb.repo, '.glm/skills/release-notes'));
    fake.reply(
      (body: Body) => {
        expect(toolDescription(body, 'Skill')).toContain('- release-notes: Writes release notes from the git log.');
        expect(toolDescription(body, 'Skill')).not.toContain('group the commits');
        return toolCalls([{ name: 'Skill', arguments: { skill: 'release-notes' } }]);
      },
      (body: Body) => {
        expect(lastContent(body)).toContain(`Its folder is ${dir}`);
        expect(lastContent(body)).toContain('Run `git log --oneline` and group the commits.');
        return toolCalls([{ name: 'Bash', arguments: { command: 'git log --oneline' } }]);
      },
      (body: Body) => {
        expect(lastContent(body)).toMatch(/init/);
        return text('Notes written.');
      },
    );
    const r = await runGlm(sb, ['-p', 'release notes']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Notes written.');

    // The pre-approval held for that prompt only.
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'git log --oneline' } }]), (body: Body) => {
      expect(lastContent(body)).toMatch(/^Permission denied/);
      return text('denied');
    });
    await runGlm(sb, ['-p', 'again', '--continue']);
    expect(fake.violations).toEqual([]);
  });

  it("an untrusted project's skills are not loaded; a user skill is", async () => {
    const sb = await makeSandbox({}, fake.url);
    await put(sb.repo, { '.claude/skills/release-notes/SKILL.md': skill });
    await put(path.join(sb.home, '.config/glm-code/skills'), { 'user-skill/SKILL.md': skill.replace('name: release-notes', 'name: user-skill') });
    fake.reply((body: Body) => {
      expect(toolDescription(body, 'Skill')).toContain('- user-skill:');
      expect(toolDescription(body, 'Skill')).not.toContain('- release-notes:');
      return text('ok');
    });
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(0);
    expect(fake.violations).toEqual([]);
    expect(r.stderr).toMatch(/not using 1 skill from \.claude\/skills/);
  });

  it('a skill with invalid front matter is skipped with one warning', async () => {
    const sb = await makeSandbox({}, fake.url);
    await put(path.join(sb.home, '.config/glm-code/skills'), { 'Bad_Name/SKILL.md': '---\nname: Bad_Name\ndescription: x\n---\nbody\n' });
    fake.reply((body: Body) => {
      expect(toolNames(body)).not.toContain('Skill');
      return text('ok');
    });
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.stderr).toBe('glm: skipped ../home/.config/glm-code/skills/Bad_Name/SKILL.md: its name "Bad_Name" must be 1-64 lowercase letters, digits and single hyphens');

    // glm doctor lists it with the reason.
    fake.reply(text('OK', { reasoning: 'Fine.' }), toolCalls([{ name: 'get_weather', arguments: { city: 'Paris' } }]));
    const doctor = await runGlm(sb, ['doctor', '--output-format', 'json']);
    const check = JSON.parse(String(doctor.stdout)).checks.find((c: { id: string }) => c.id === 'agents');
    expect(check).toMatchObject({ status: 'warn', detail: expect.stringContaining('0 custom agents, 0 skills; skipped ../home/.config/glm-code/skills/Bad_Name/SKILL.md: its name "Bad_Name" must be') });
  });
});
