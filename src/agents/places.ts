// Where custom agents, skills and slash commands live, project and user folders, and the project's files as trust
// entries (a project's agents and skills steer the model, so they load only once the user trusts the project; its
// commands with allowed-tools pre-approve tools; a changed file asks again: each entry carries a hash of the file,
// and of the scripts they run, project-scripts.ts). Sync fs only: config.ts calls it while loading.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bashRuleCommands, fileHash, scriptEntries } from '../project-scripts.ts';
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

/**
 * Custom slash commands (`<name>.md`), lowest precedence first: a project's win over the user's. A project at $HOME
 * has no `.claude/commands` of its own: that folder is the user's.
 */
export function commandFolders(projectRoot: string, configDir: string, home = os.homedir()): Place[] {
  const places: Place[] = [
    { dir: path.join(home, '.claude', 'commands'), source: 'user' },
    { dir: path.join(configDir, 'commands'), source: 'user' },
    { dir: path.join(projectRoot, '.claude', 'commands'), source: 'project' },
    { dir: path.join(projectRoot, '.glm', 'commands'), source: 'project' },
  ];
  return places.filter((p, i) => places.findIndex((q) => path.resolve(q.dir) === path.resolve(p.dir)) === i);
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
 * The project's agent and skill files, its commands that pre-approve tools (allowed-tools) and the files a skill's
 * folder holds or its and those commands' Bash rules run, as trust entries: `.claude/agents/reviewer.md (sha256:…)`.
 * The home folder's own `.claude` is the user's, not a project's: a project at $HOME has none.
 */
export function projectExtensionEntries(projectRoot: string, home = os.homedir(), cwd?: string): LooseningEntry[] {
  if (path.resolve(projectRoot) === path.resolve(home)) return [];
  const entries: LooseningEntry[] = [];
  const rules: string[] = [];
  const project = (places: Place[]) => places.filter((p) => p.source === 'project').map((p) => p.dir);
  for (const dir of project(agentFolders(projectRoot, '', home))) for (const file of agentFiles(dir)) entries.push({ kind: 'agent', value: entryValue(projectRoot, file) });
  for (const dir of project(skillFolders(projectRoot, '', home))) {
    for (const file of skillFiles(dir)) {
      entries.push({ kind: 'skill', value: entryValue(projectRoot, file) }, ...skillFolderEntries(projectRoot, path.dirname(file)));
      rules.push(...frontMatterRules(file));
    }
  }
  for (const dir of project(commandFolders(projectRoot, '', home))) {
    for (const file of commandFiles(dir)) {
      const front = frontMatter(file);
      if (!/^allowed-tools[ \t]*:/m.test(front)) continue; // a plain prompt the user types: nothing runs unasked
      entries.push({ kind: 'command', value: entryValue(projectRoot, file) });
      rules.push(...frontMatterRules(file));
    }
  }
  entries.push(...scriptEntries(bashRuleCommands(rules), projectRoot, cwd));
  return entries;
}

/** The `<name>.md` files of a commands folder (the names custom-commands.ts reads), sorted. */
export function commandFiles(dir: string): string[] {
  return list(dir)
    .filter((n) => /^[\w.-]+\.md$/.test(n) && isFile(path.join(dir, n)))
    .sort()
    .map((n) => path.join(dir, n));
}

/** A skill folder's files hashed one by one, each its own line in the lists (a skill is a few files). */
const SKILL_FILES_LISTED = 200;
/** Past the listed ones, files summed up in one entry by name, size and modification time; past this, not walked. */
const SKILL_FILES_WALKED = 10_000;

/** The files of a skill's folder besides SKILL.md (scripts/, references/ …): the skill runs and reads them. */
function skillFolderEntries(projectRoot: string, dir: string): LooseningEntry[] {
  const files: string[] = [];
  const walk = (folder: string, depth: number): void => {
    for (const name of list(folder).sort()) {
      if (files.length >= SKILL_FILES_WALKED) return;
      const full = path.join(folder, name);
      if (depth > 0 || name !== 'SKILL.md') {
        if (isFile(full)) files.push(full);
        else if (depth < 8 && isFolder(full)) walk(full, depth + 1);
      }
    }
  };
  walk(dir, 0);
  const entries = files.slice(0, SKILL_FILES_LISTED).map((file): LooseningEntry => ({ kind: 'script', value: entryValue(projectRoot, file) }));
  const rest = files.slice(SKILL_FILES_LISTED);
  if (!rest.length) return entries;
  // A folder of dependencies (node_modules): its files still count, summed up by what a change alters.
  const sum = createHash('sha256');
  for (const file of rest) {
    const st = statOf(file);
    sum.update(`${path.relative(dir, file)}\0${st?.size ?? -1}\0${st?.mtimeMs ?? -1}\n`);
  }
  const more = files.length >= SKILL_FILES_WALKED ? `the next ${rest.length} files; past them not checked` : `${rest.length} more files`;
  return [...entries, { kind: 'script', value: `${path.relative(projectRoot, dir)}/… (${more}, sha256:${sum.digest('hex').slice(0, 16)})` }];
}

function statOf(file: string): { size: number; mtimeMs: number } | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/** The front matter of a Markdown file (between its first two `---` lines); empty when it has none. */
function frontMatter(file: string): string {
  try {
    return /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
  } catch {
    return '';
  }
}

/** The `Bash(…)` rules of a file's front matter, wherever they stand (allowed-tools as a line or a YAML list). */
function frontMatterRules(file: string): string[] {
  return [...frontMatter(file).matchAll(/Bash\([^)\n]*\)/g)].map((m) => m[0]);
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function entryValue(projectRoot: string, file: string): string {
  const hash = fileHash(file);
  // listed, then gone or unreadable: the entry still names it
  return `${path.relative(projectRoot, file)} (${hash.startsWith('sha256:') ? hash : 'sha256:unreadable'})`;
}
