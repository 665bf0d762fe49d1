// Where custom agents and skills live, project and user folders, and the project's files as trust entries (a
// project's agents and skills steer the model, so they load only once the user trusts the project, and a changed
// file asks again: each entry carries a hash of the file). Sync fs only: config.ts calls it while loading.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LooseningEntry } from '../types.ts';

export type Place = { dir: string; source: 'project' | 'user' };

/** Lowest precedence first: a later folder's agent or skill of the same name wins. */
export function agentFolders(projectRoot: string, configDir: string, home = os.homedir()): Place[] {
  return [
    { dir: path.join(home, '.claude', 'agents'), source: 'user' },
    { dir: path.join(configDir, 'agents'), source: 'user' },
    { dir: path.join(projectRoot, '.claude', 'agents'), source: 'project' },
    { dir: path.join(projectRoot, '.glm', 'agents'), source: 'project' },
  ];
}

export function skillFolders(projectRoot: string, configDir: string, home = os.homedir()): Place[] {
  return [
    { dir: path.join(home, '.agents', 'skills'), source: 'user' },
    { dir: path.join(home, '.claude', 'skills'), source: 'user' },
    { dir: path.join(configDir, 'skills'), source: 'user' },
    { dir: path.join(projectRoot, '.agents', 'skills'), source: 'project' },
    { dir: path.join(projectRoot, '.claude', 'skills'), source: 'project' },
    { dir: path.join(projectRoot, '.glm', 'skills'), source: 'project' },
  ];
}

/** The `*.md` files of an agents folder, sorted; none when it does not exist. */
export function agentFiles(dir: string): string[] {
  return list(dir)
    .filter((n) => n.endsWith('.md') && isFile(path.join(dir, n)))
    .sort()
    .map((n) => path.join(dir, n));
}

/** The `<name>/SKILL.md` files of a skills folder, sorted. */
export function skillFiles(dir: string): string[] {
  return list(dir)
    .sort()
    .map((n) => path.join(dir, n, 'SKILL.md'))
    .filter(isFile);
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The project's agent and skill files as trust entries: `.claude/agents/reviewer.md (sha256:…)`. The home
 * folder's own `.claude` is the user's, not a project's: a project at $HOME has none.
 */
export function projectExtensionEntries(projectRoot: string, home = os.homedir()): LooseningEntry[] {
  if (path.resolve(projectRoot) === path.resolve(home)) return [];
  const entries: LooseningEntry[] = [];
  const project = (places: Place[]) => places.filter((p) => p.source === 'project').map((p) => p.dir);
  for (const dir of project(agentFolders(projectRoot, '', home))) for (const file of agentFiles(dir)) entries.push({ kind: 'agent', value: entryValue(projectRoot, file) });
  for (const dir of project(skillFolders(projectRoot, '', home))) for (const file of skillFiles(dir)) entries.push({ kind: 'skill', value: entryValue(projectRoot, file) });
  return entries;
}

function entryValue(projectRoot: string, file: string): string {
  let hash = 'unreadable';
  try {
    hash = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
  } catch {
    // listed, then gone or unreadable: the entry still names it
  }
  return `${path.relative(projectRoot, file)} (sha256:${hash})`;
}

/** The file path of an entry's value, without its hash. */
export const entryFile = (value: string): string => value.replace(/ \(sha256:[^)]*\)$/, '');
