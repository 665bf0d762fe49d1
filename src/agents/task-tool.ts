// The definitions behind tool-source.ts's schemas: Task (and its alias Agent) starts a subagent (run.ts), Skill
// returns a skill's instructions and folder. Loaded on the first tool call (zod). Imports no front end.
import { z } from 'zod';
import { defineTool, type AnyToolDef } from '../tool.ts';
import { TASK_NAMES } from './builtin-agents.ts';
import { runSubagent } from './run.ts';
import type { Catalog } from './catalog.ts';
import type { SessionHost } from './host.ts';

const taskSchema = z.object({
  description: z.string().describe('A short (3-5 word) description of the task'),
  prompt: z.string().min(1).describe('The task for the agent to perform'),
  subagent_type: z.string().min(1).describe('The type of agent to use'),
});

const skillSchema = z.object({ skill: z.string().min(1), args: z.string().optional() });

export function agentTools(host: SessionHost, catalog: Catalog, depth: number, offered: string[]): AnyToolDef[] {
  const tools: AnyToolDef[] = [];
  if (offered.includes('Task')) for (const name of TASK_NAMES) tools.push(taskTool(name, host, catalog, depth));
  if (offered.includes('Skill')) tools.push(skillTool(host, catalog));
  return tools;
}

function taskTool(name: string, host: SessionHost, catalog: Catalog, depth: number) {
  return defineTool({
    name,
    kind: 'meta',
    keep: 'head',
    parallel: true,
    description: 'Start a subagent (see Task).',
    schema: taskSchema,
    title: (a) => `${name}(${a.subagent_type}: ${a.description || a.prompt.split('\n')[0]!.slice(0, 60)})`,
    target: (a) => a.subagent_type,
    async execute(args, ctx) {
      const def = catalog.agents.find((a) => a.name === args.subagent_type) ?? catalog.agents.find((a) => a.name.toLowerCase() === args.subagent_type.toLowerCase());
      if (!def) return { output: `Unknown subagent_type "${args.subagent_type}". Use one of: ${catalog.agents.map((a) => a.name).join(', ')}.`, isError: true };
      return runSubagent({ host, catalog, def, depth: depth + 1, prompt: args.prompt, description: args.description, ctx });
    },
  });
}

function skillTool(host: SessionHost, catalog: Catalog) {
  return defineTool({
    name: 'Skill',
    kind: 'meta',
    keep: 'head',
    description: 'Load a skill (see Skill).',
    schema: skillSchema,
    title: (a) => `Skill ${a.skill}`,
    target: (a) => a.skill,
    async execute(args) {
      const wanted = args.skill.replace(/^\//, '').trim();
      const skill = catalog.skills.find((s) => s.name === wanted);
      if (!skill) return { output: `Unknown skill "${wanted}". Available skills: ${catalog.skills.map((s) => s.name).join(', ')}.`, isError: true };
      // A skill's allowed-tools run without asking for the rest of this prompt, in a project the user trusts.
      const preapproved = host.config.projectTrusted && skill.allowedTools?.length ? skill.allowedTools : [];
      if (preapproved.length) host.allowForPrompt(preapproved);
      const lines = [
        `Skill "${skill.name}" loaded. Its folder is ${skill.dir}: read its references and run its scripts from there (paths in the instructions are relative to it).`,
        ...(preapproved.length ? [`These tools run without asking until this prompt is done: ${preapproved.join(', ')}.`] : []),
        ...(args.args?.trim() ? [`Arguments: ${args.args.trim()}`] : []),
        '',
        skill.body,
      ];
      return { output: lines.join('\n'), display: { summary: `loaded ${skill.name}${preapproved.length ? ` (pre-approved: ${preapproved.join(', ')})` : ''}` } };
    },
  });
}
