// A run's custom agents and skills, read from their folders (project folders only in a trusted project), with
// one warning per file skipped and why. The definitions parse only when a file exists, so a project without
// any never loads the YAML parser. Imports places.ts; definitions.ts and skills.ts are loaded on demand.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { agentFiles, agentFolders, skillFiles, skillFolders, type Place } from './places.ts';
import { BUILTIN_AGENTS, type AgentDefinition } from './builtin-agents.ts';
import type { Skill } from '../skills/skills.ts';
import type { Config } from '../types.ts';

export interface Catalog {
  /** Built-in first, then custom by name; a custom agent of a built-in's name replaces it. */
  agents: AgentDefinition[];
  skills: Skill[];
  /** `skipped .claude/agents/x.md: it has no "description"`. */
  warnings: string[];
}

type Found = { file: string; source: Place['source'] };

export async function loadCatalog(config: Pick<Config, 'projectRoot' | 'configDir' | 'cwd' | 'projectTrusted'>, home?: string): Promise<Catalog> {
  const usable = (p: Place) => p.source === 'user' || config.projectTrusted === true;
  const agentsFound: Found[] = agentFolders(config.projectRoot, config.configDir, home).filter(usable).flatMap((p) => agentFiles(p.dir).map((file) => ({ file, source: p.source })));
  const skillsFound: Found[] = skillFolders(config.projectRoot, config.configDir, home).filter(usable).flatMap((p) => skillFiles(p.dir).map((file) => ({ file, source: p.source })));
  if (!agentsFound.length && !skillsFound.length) return { agents: [...BUILTIN_AGENTS], skills: [], warnings: [] };
  const [{ parseAgentFile }, { parseSkillFile }] = await loadParsers();
  const warnings: string[] = [];
  const shown = (file: string) => path.relative(config.cwd, file) || file;
  const read = async <T extends { name: string }>(found: Found[], parse: (text: string, f: Found) => T | { error: string }): Promise<Map<string, T>> => {
    const byName = new Map<string, T>();
    for (const f of found) {
      const text = await readFile(f.file, 'utf8').catch((e: NodeJS.ErrnoException) => ({ error: `cannot read it (${e.code ?? 'error'})` }));
      const item = typeof text === 'string' ? parse(text, f) : text;
      if ('error' in item) warnings.push(`skipped ${shown(f.file)}: ${item.error}`);
      else byName.set(item.name, item); // later folders win
    }
    return byName;
  };
  const custom = await read(agentsFound, (text, f) => parseAgentFile(text, f.source, f.file));
  const skills = await read(skillsFound, (text, f) => parseSkillFile(text, f.file, f.source));
  const agents = [...BUILTIN_AGENTS.filter((a) => !custom.has(a.name)), ...[...custom.values()].sort((a, b) => a.name.localeCompare(b.name))];
  return { agents, skills: [...skills.values()].sort((a, b) => a.name.localeCompare(b.name)), warnings };
}

/** The file parsers (and the YAML parser), imported from here only: the REPL preloads them through this function. */
export const loadParsers = () => Promise.all([import('./definitions.ts'), import('../skills/skills.ts')]);
