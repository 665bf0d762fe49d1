// Agent files, SKILL.md files and the model table: what a file says is what the agent or skill gets, and a bad
// file is skipped with one line that says why.
import { describe, expect, it } from 'vitest';
import { parseAgentFile } from '../../src/agents/definitions.ts';
import { nameList, splitFrontMatter } from '../../src/agents/frontmatter.ts';
import { MODEL_ALIASES, exploreModel, resolveAgentModel } from '../../src/agents/models.ts';
import { skillListing } from '../../src/skills/listing.ts';
import { parseSkillFile, type Skill } from '../../src/skills/skills.ts';

const agent = (front: string, body = 'You review code.') => `---\n${front}\n---\n${body}\n`;

describe('agent files', () => {
  it('reads every field of the front matter; the body is the system prompt', () => {
    const def = parseAgentFile(agent('name: reviewer\ndescription: Reviews code.\ntools: Read, Grep, mcp__docs\ndisallowedTools: [Bash]\nmodel: haiku\npermissionMode: plan\nmaxTurns: 7'), 'project', '/p/.glm/agents/reviewer.md');
    expect(def).toEqual({
      name: 'reviewer',
      description: 'Reviews code.',
      tools: ['Read', 'Grep', 'mcp__docs'],
      disallowedTools: ['Bash'],
      model: 'haiku',
      permissionMode: 'plan',
      maxTurns: 7,
      prompt: 'You review code.',
      source: 'project',
      file: '/p/.glm/agents/reviewer.md',
    });
  });

  it("reads Claude Code's unquoted descriptions with colons, which YAML rejects", () => {
    const def = parseAgentFile(agent('name: helper\ndescription: Use this agent when: the user asks. Examples: <example>Context: x</example>'), 'user', 'f');
    expect(def).toMatchObject({ name: 'helper', description: 'Use this agent when: the user asks. Examples: <example>Context: x</example>' });
  });

  it.each([
    ['no front matter', 'just text', /no front matter/],
    ['no name', agent('description: x'), /no "name"/],
    ['no description', agent('name: a'), /no "description"/],
    ['bypassPermissions', agent('name: a\ndescription: x\npermissionMode: bypassPermissions'), /permissionMode "bypassPermissions" is not one of default, acceptEdits, plan, dontAsk/],
    ['bad maxTurns', agent('name: a\ndescription: x\nmaxTurns: 0'), /maxTurns/],
    ['empty body', agent('name: a\ndescription: x', ''), /body/],
  ])('skips a file with %s, saying why', (_what, text, why) => {
    const r = parseAgentFile(text, 'user', 'f');
    expect(r).toHaveProperty('error');
    expect((r as { error: string }).error).toMatch(why);
  });

  it('splits tool lists on commas and spaces, not inside a rule', () => {
    expect(nameList('Read, Grep')).toEqual(['Read', 'Grep']);
    expect(nameList('Bash(git diff:*) Read')).toEqual(['Bash(git diff:*)', 'Read']);
    expect(nameList(['Read', 'Edit'])).toEqual(['Read', 'Edit']);
    expect(splitFrontMatter('no front matter')).toBeUndefined();
  });
});

describe('models', () => {
  const zai = { provider: 'zai' as const };
  it("maps Claude Code's names by the documented table, which settings override", () => {
    expect(MODEL_ALIASES).toEqual({ opus: 'glm-5.2', sonnet: 'glm-5.2', haiku: 'glm-4.5-air' });
    expect(resolveAgentModel('haiku', zai)).toBe('glm-4.5-air');
    expect(resolveAgentModel('Opus', zai)).toBe('glm-5.2');
    expect(resolveAgentModel('inherit', zai)).toBeUndefined();
    expect(resolveAgentModel(undefined, zai)).toBeUndefined();
    expect(resolveAgentModel('glm-4.7', zai)).toBe('glm-4.7');
    expect(resolveAgentModel('haiku', { ...zai, agents: { modelAliases: { haiku: 'glm-4.7-flash' } } })).toBe('glm-4.7-flash');
  });

  it("Explore runs on the provider's fast GLM, or agents.exploreModel; a self-hosted server's one model otherwise", () => {
    expect(exploreModel(zai)).toBe('glm-4.5-air');
    expect(exploreModel({ ...zai, agents: { exploreModel: 'glm-4.7' } })).toBe('glm-4.7');
    expect(exploreModel({ provider: 'vllm' })).toBeUndefined();
    expect(resolveAgentModel('haiku', { provider: 'ollama' })).toBeUndefined();
  });
});

describe('SKILL.md', () => {
  const file = '/s/pdf-tools/SKILL.md';
  const skill = (front: string) => `---\n${front}\n---\nDo it.\n`;

  it('reads the agentskills.io fields', () => {
    const s = parseSkillFile(skill('name: pdf-tools\ndescription: Works with PDFs.\nlicense: MIT\ncompatibility: needs python3\nmetadata:\n  author: me\n  version: 1\nallowed-tools: Bash(python3:*) Read'), file, 'user');
    expect(s).toEqual({
      name: 'pdf-tools',
      description: 'Works with PDFs.',
      dir: '/s/pdf-tools',
      file,
      body: 'Do it.',
      allowedTools: ['Bash(python3:*)', 'Read'],
      license: 'MIT',
      compatibility: 'needs python3',
      metadata: { author: 'me', version: '1' },
      source: 'user',
    });
  });

  it.each([
    ['an uppercase name', 'name: PDF\ndescription: x', /lowercase/],
    ['a double hyphen', 'name: pdf--tools\ndescription: x', /single hyphens/],
    ["a name that is not the folder's", 'name: other\ndescription: x', /not its folder's name "pdf-tools"/],
    ['no description', 'name: pdf-tools', /no "description"/],
    ['a long description', `name: pdf-tools\ndescription: ${'x'.repeat(1025)}`, /1024/],
    ['a list as metadata', 'name: pdf-tools\ndescription: x\nmetadata: [a]', /metadata/],
    ['an allowed-tools entry that is no rule', 'name: pdf-tools\ndescription: x\nallowed-tools: Bash(git', /allowed-tools "Bash\(git" is not a permission rule/],
  ])('skips %s', (_what, front, why) => {
    expect((parseSkillFile(skill(front), file, 'user') as { error: string }).error).toMatch(why);
  });

  it('gives the same reason as an agent file for missing or unreadable front matter', () => {
    for (const text of ['just text', '---\n- a list\n---\nbody\n']) {
      const why = (parseAgentFile(text, 'user', 'f') as { error: string }).error;
      expect(why).toMatch(/no front matter|not a list of "key: value" lines/);
      expect(parseSkillFile(text, file, 'user')).toEqual({ error: why });
    }
    expect(parseSkillFile(skill('description: x'), file, 'user')).toEqual({ error: 'it has no "name"' });
  });

  it('lists names and descriptions within the budget, the rest by name', () => {
    const s = (name: string): Skill => ({ name, description: `does ${name}`, dir: '', file: '', body: '', source: 'user' });
    expect(skillListing([s('a'), s('b')], 1000)).toBe('- a: does a\n- b: does b');
    expect(skillListing([s('a'), s('b'), s('c')], 15)).toBe('- a: does a\n- Also available (call Skill to read them): b, c');
  });
});
