// The REPL's commands for agents and skills: /agents and /skills list them with their source, and each skill is
// `/<skill-name> [args]`, which sends its instructions as the prompt (its allowed-tools pre-approved for that prompt
// in a trusted project, as the Skill tool does). The skill commands are those found when the REPL started.
import path from 'node:path';
import type { Catalog } from './agents/catalog.ts';
import type { Session } from './session.ts';
import type { SlashCommand } from './ui/commands.ts';
import type { ReplSession } from './ui/host.ts';
import type { Config } from './types.ts';

const sessionOf = (s: ReplSession): Session => (s as unknown as { session: Session }).session;

/** The skills found at start may become commands; Catalog read again for each session (`current`). */
export async function agentCommands(config: Config, current: () => Catalog | undefined, set: (c: Catalog) => void): Promise<SlashCommand[]> {
  const { loadCatalog } = await import('./agents/catalog.ts');
  const catalog = () => current() ?? loadCatalog(config).then((c) => (set(c), c));
  const where = (file?: string) => (file ? ` (${path.relative(config.cwd, file) || file})` : '');
  const commands: SlashCommand[] = [
    {
      name: 'agents',
      description: 'list the subagent types the model can start with Task',
      async run(ctx) {
        const { agents } = await catalog();
        ctx.notice(['Agents (the model starts them with Task):', ...agents.map((a) => `  ${a.name} · ${a.source}${where(a.file)}: ${a.description.split('\n')[0]!.slice(0, 100)}`)].join('\n'));
      },
    },
    {
      name: 'skills',
      description: 'list the skills the model can load (and /<skill> runs one)',
      async run(ctx) {
        const { skills } = await catalog();
        if (!skills.length) return ctx.notice('No skills: put a <name>/SKILL.md in .glm/skills/ or ~/.config/glm-code/skills/ (.claude/skills and .agents/skills work too).');
        ctx.notice(['Skills (run one with /<name> [args]):', ...skills.map((s) => `  /${s.name} · ${s.source}${where(s.file)}: ${s.description.split('\n')[0]!.slice(0, 100)}`)].join('\n'));
      },
    },
  ];
  const start = await catalog();
  for (const skill of start.skills) {
    commands.push({
      name: skill.name,
      args: '[args]',
      description: `skill: ${skill.description.split('\n')[0]!.slice(0, 60)}`,
      async run(ctx, args) {
        const now = (await catalog()).skills.find((s) => s.name === skill.name);
        if (!now) return ctx.notice(`The skill ${skill.name} is not available in this session.`, 'warn');
        if (config.projectTrusted && now.allowedTools?.length) sessionOf(ctx.session).allowForPrompt(now.allowedTools);
        const prompt = [`Follow the skill "${now.name}" below. Its folder is ${now.dir}: paths in it are relative to that folder.`, ...(args.trim() ? [`Arguments: ${args.trim()}`] : []), '', now.body].join('\n');
        await ctx.runPrompt(prompt, `/${now.name}${args.trim() ? ` ${args.trim()}` : ''}`);
      },
    });
  }
  return commands;
}
