// The REPL's commands for agents and skills: /agents and /skills list them with their source, and each skill is
// `/<skill-name> [args]`, which sends its instructions as the prompt (its allowed-tools pre-approved for that prompt
// in a trusted project, as the Skill tool does). The skill folders are read again when the command menu opens, on
// /skills and before a skill runs, so a SKILL.md added during the session becomes a command. No ink/react.
import path from 'node:path';
import type { Catalog } from './agents/catalog.ts';
import type { Skill } from './skills/skills.ts';
import type { Session } from './session.ts';
import type { SlashCommand } from './ui/commands.ts';
import type { ReplSession } from './ui/host.ts';
import type { Config } from './types.ts';

const sessionOf = (s: ReplSession): Session => (s as unknown as { session: Session }).session;

export interface AgentCommands {
  /** /agents and /skills. */
  commands: SlashCommand[];
  /** `/<skill>` for the skills found at the last read; the same array while they did not change. */
  skillCommands(): readonly SlashCommand[];
  /** Reads the skill folders again (joining a read under way): true when the skill commands changed. */
  refresh(): Promise<boolean>;
}

/**
 * `config()`: the REPL's configuration now (trusting the project adds its skills). `current()`: the session's catalog,
 * what its Task and Skill tools offer; the model sees a skill added later from the next session on.
 */
export async function agentCommands(config: () => Config, current: () => Catalog | undefined): Promise<AgentCommands> {
  const { loadCatalog } = await import('./agents/catalog.ts');
  let skills: Skill[] = [];
  let skillCommands: SlashCommand[] = [];
  /** The read under way: callers meanwhile share it (it started after anything they could have seen was written). */
  let reading: Promise<boolean> | undefined;

  const refresh = (): Promise<boolean> => {
    reading ??= loadCatalog(config()).then(
      (c) => {
        const changed = c.skills.length !== skills.length || c.skills.some((s, i) => s.name !== skills[i]!.name || s.description !== skills[i]!.description);
        skills = c.skills;
        if (changed) skillCommands = skills.map(skillCommand);
        return changed;
      },
      () => false,
    ).finally(() => (reading = undefined));
    return reading;
  };

  const skillCommand = (skill: Skill): SlashCommand => ({
    name: skill.name,
    args: '[args]',
    description: `skill: ${skill.description.split('\n')[0]!.slice(0, 60)}`,
    async run(ctx, args) {
      await refresh(); // its instructions as they are on disk now
      const now = skills.find((s) => s.name === skill.name);
      if (!now) return ctx.notice(`The skill ${skill.name} is gone: its SKILL.md was removed or no longer parses.`, 'warn');
      if (config().projectTrusted && now.allowedTools?.length) sessionOf(ctx.session).allowForPrompt(now.allowedTools);
      const prompt = [`Follow the skill "${now.name}" below. Its folder is ${now.dir}: paths in it are relative to that folder.`, ...(args.trim() ? [`Arguments: ${args.trim()}`] : []), '', now.body].join('\n');
      await ctx.runPrompt(prompt, `/${now.name}${args.trim() ? ` ${args.trim()}` : ''}`);
    },
  });

  const where = (file?: string) => (file ? ` (${path.relative(config().cwd, file) || file})` : '');
  const commands: SlashCommand[] = [
    {
      name: 'agents',
      description: 'list the subagent types the model can start with Task',
      async run(ctx) {
        const { agents } = current() ?? (await loadCatalog(config()));
        ctx.notice(['Agents (the model starts them with Task):', ...agents.map((a) => `  ${a.name} · ${a.source}${where(a.file)}: ${a.description.split('\n')[0]!.slice(0, 100)}`)].join('\n'));
      },
    },
    {
      name: 'skills',
      description: 'list the skills the model can load (and /<skill> runs one)',
      async run(ctx) {
        await refresh();
        if (!skills.length) return ctx.notice('No skills: put a <name>/SKILL.md in .glm/skills/ or ~/.config/glm-code/skills/ (.claude/skills and .agents/skills work too).');
        const offered = new Set((current()?.skills ?? skills).map((s) => s.name));
        const line = (s: Skill) => `  /${s.name} · ${s.source}${where(s.file)}: ${s.description.split('\n')[0]!.slice(0, 100)}${offered.has(s.name) ? '' : ' (new: the model sees it after /clear)'}`;
        ctx.notice(['Skills (run one with /<name> [args]):', ...skills.map(line)].join('\n'));
      },
    },
  ];
  await refresh();
  return { commands, skillCommands: () => skillCommands, refresh };
}
