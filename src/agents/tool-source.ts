// Task (alias Agent) and Skill as a tool source of a session: schemas up front (the agent and skill lists in their
// descriptions), definitions loaded on the first call (task-tool.ts: zod, the subagent runner). A subagent gets
// the same source one level deeper; at the depth limit it has no Task. Imports no zod and no loop code.
import taskTemplate from './task.md';
import skillTemplate from '../skills/skill.md';
import { renderTemplate } from '../template.ts';
import { skillListing } from '../skills/listing.ts';
import type { Catalog } from './catalog.ts';
import type { SessionHost } from './host.ts';
import type { AnyToolDef, ToolSet } from '../tool.ts';
import type { ToolSchema } from '../types.ts';

/** The session is depth 0; a subagent 1; one its definition lets start subagents, 2, which can start none. */
export const MAX_DEPTH = 2;
/** Share of the context window (in tokens, ~4 characters each) the skill descriptions may take. */
const SKILL_BUDGET = 0.02;

const TASK_PARAMETERS = {
  type: 'object',
  properties: {
    description: { type: 'string', description: 'A short (3-5 word) description of the task' },
    prompt: { type: 'string', description: 'The task for the agent to perform, with everything it needs to know' },
    subagent_type: { type: 'string', description: 'The type of agent to use (one of the agent types listed)' },
  },
  required: ['description', 'prompt', 'subagent_type'],
  additionalProperties: false,
};

const SKILL_PARAMETERS = {
  type: 'object',
  properties: {
    skill: { type: 'string', description: 'The name of the skill, as listed' },
    args: { type: 'string', description: 'Optional arguments for the skill' },
  },
  required: ['skill'],
  additionalProperties: false,
};

/**
 * The tool source for a session (depth 0) or a subagent (depth ≥ 1): Task below the depth limit, Skill when there
 * are skills. A subagent's definition then filters it (run.ts).
 */
export function agentToolSet(host: SessionHost, catalog: Catalog, depth = 0): ToolSet {
  const schemas: ToolSchema[] = [];
  if (depth < MAX_DEPTH && catalog.agents.length) {
    const agents = catalog.agents.map((a) => `- ${a.name}: ${a.description.replace(/\s+/g, ' ')}${a.tools ? ` (Tools: ${a.tools.join(', ')})` : ''}`).join('\n');
    schemas.push({ name: 'Task', description: renderTemplate(taskTemplate, { agents }).trim(), parameters: TASK_PARAMETERS });
  }
  if (catalog.skills.length) {
    const budget = Math.floor(host.config.modelInfo.contextWindow * SKILL_BUDGET * 4);
    schemas.push({ name: 'Skill', description: renderTemplate(skillTemplate, { skills: skillListing(catalog.skills, budget) }).trim(), parameters: SKILL_PARAMETERS });
  }
  let loading: Promise<AnyToolDef[]> | undefined;
  return {
    names: schemas.map((s) => s.name),
    schemas,
    load: () => (loading ??= loadTaskTools().then((m) => m.agentTools(host, catalog, depth, schemas.map((s) => s.name)))),
  };
}

/**
 * The definitions' module, imported from here only: the REPL preloads it through this function (repl-host.ts) so
 * that a REPL open while glm is upgraded (dist/ replaced) still has it.
 */
export const loadTaskTools = () => import('./task-tool.ts');

/** A tool set with only the tools `keep` accepts (a subagent's). */
export function filterToolSet(set: ToolSet, keep: (name: string) => boolean): ToolSet {
  return {
    get names() {
      return set.names.filter(keep);
    },
    get schemas() {
      return set.schemas.filter((s) => keep(s.name));
    },
    load: async () => (await set.load()).filter((t) => keep(t.name)),
  };
}
