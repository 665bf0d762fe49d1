// Project trust: which projects may loosen what glm does from their .glm/settings.json and .glm/settings.local.json
// (allow rules, defaultMode acceptEdits, provider and baseUrl, additional directories, the settings that choose what
// the user pays), start the MCP servers of their .mcp.json and run
// the hooks of their .glm/settings*.json and .claude/settings*.json, kept in <configDir>/trusted-projects.json as
// project root → fingerprint of what it loosens; plus `glm trust` and the one-line notice front ends print.
// Also trusted: its agents, skills and commands with allowed-tools, and the project scripts all these run (hashed).
// Imports node built-ins, atomic-file.ts, config-costly.ts, mcp/config.ts, hooks/settings.ts, terminal-text.ts and types only.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from './atomic-file.ts';
import { costlySummary } from './config-costly.ts';
import { describeHookTrustValue, hookTrustFile } from './hooks/settings.ts';
import { describeTrustValue } from './mcp/config.ts';
import { safeLine } from './terminal-text.ts';
import type { LooseningEntry } from './types.ts';

export type { LooseningEntry } from './types.ts';
export type LooseningKind = LooseningEntry['kind'];

export const TRUST_FILE = 'trusted-projects.json';

/** What a project file loosens, one entry per rule, mode, provider, URL or folder. */
export interface Loosening {
  entries: LooseningEntry[];
}

/** A project's trust as `glm trust` sees it; config.ts builds it (projectTrust). */
export interface ProjectTrust extends Loosening {
  configDir: string;
  projectRoot: string;
  /** The project's settings file (which may not exist). */
  file: string;
  /** The settings files its own entries come from, when .glm/settings.local.json is one of them. */
  settingsFiles?: string[];
  fingerprint: string;
  trusted: boolean;
}

type Group = 'run' | 'hooks' | 'mcp' | 'steer' | 'scripts' | 'send' | 'spend' | 'read';
interface Kind {
  /** Where the lists of `glm trust` and the REPL dialog show it. */
  group: Group;
  /** Counted in the one-line summary ("2 allow rules"); without it each entry is named ("baseUrl http://…"). */
  noun?: [one: string, many: string];
  /** Its line in the lists. */
  line: (value: string) => string;
  /** Its words in the one-line summary when it has no noun; `<kind> <value>` without it. */
  summary?: (value: string) => string;
}

/** Every kind, in the order they are listed, summarised and fingerprinted. A new kind is one more row. */
const KINDS: Record<LooseningKind, Kind> = {
  allow: { group: 'run', noun: ['allow rule', 'allow rules'], line: (v) => v },
  defaultMode: { group: 'run', line: (v) => `every edit of a file inside the project (defaultMode ${v})` },
  provider: { group: 'send', line: (v) => `provider ${v}` },
  baseUrl: { group: 'send', line: (v) => `baseUrl ${v}` },
  additionalDirectory: { group: 'read', noun: ['additional directory', 'additional directories'], line: (v) => v },
  mcpServer: { group: 'mcp', noun: ['MCP server', 'MCP servers'], line: describeTrustValue },
  hook: { group: 'hooks', noun: ['hook', 'hooks'], line: describeHookTrustValue },
  agent: { group: 'steer', noun: ['agent', 'agents'], line: (v) => entryFile(v) },
  skill: { group: 'steer', noun: ['skill', 'skills'], line: (v) => entryFile(v) },
  setting: { group: 'spend', line: (v) => v, summary: costlySummary },
  // After the older kinds: a project without them keeps the fingerprint it was trusted with.
  command: { group: 'steer', noun: ['command', 'commands'], line: (v) => `/${path.basename(entryFile(v), '.md')} (${entryFile(v)})` },
  script: { group: 'scripts', noun: ['script', 'scripts'], line: (v) => (v.endsWith(' (missing)') ? v : entryFile(v)) },
};

/** An agent, skill, command or script entry's file, without its hash (src/agents/places.ts writes them). */
const entryFile = (value: string): string => value.replace(/ \((sha256:[^)]*|missing)\)$/, '');
const KIND_ORDER = Object.keys(KINDS) as LooseningKind[];

const GROUP_HEADINGS: Record<Group, string> = {
  run: 'run these without asking:',
  hooks: 'run these hook commands (on tool calls, prompts and session events):',
  mcp: 'start these MCP servers of .mcp.json (each runs a command or connects to a server, and offers the model tools):',
  steer: "use these agents, skills and commands (their instructions steer the model; a skill's or a command's allowed-tools run without asking):",
  scripts: 'run these files of the project, as they are now (hooks, skills and allowed commands run them; a changed file asks again):',
  send: 'send the session (your code, files and command output) to a server it names:',
  spend: 'spend on requests as these settings choose (models, reasoning, output and turn limits, retries and timeouts, the MCP tool schemas sent, the prices glm shows):',
  read: 'read files outside the project without asking, in:',
};

/** The distinct values of one kind, sorted. */
function valuesOf(l: Loosening, kind: LooseningKind): string[] {
  return [...new Set(l.entries.filter((e) => e.kind === kind).map((e) => e.value))].sort();
}

/**
 * sha256 of what a project loosens; the order and repeats of entries do not matter. allow and defaultMode keep the
 * shape trust had before the other kinds existed, so a project trusted for rules alone stays trusted.
 */
export function fingerprintOf(loosening: Loosening): string {
  const canonical: Record<string, unknown> = { allow: valuesOf(loosening, 'allow'), defaultMode: valuesOf(loosening, 'defaultMode')[0] ?? null };
  for (const kind of KIND_ORDER.slice(2)) {
    const values = valuesOf(loosening, kind);
    if (values.length) canonical[kind] = values;
  }
  return 'sha256:' + createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export function loosens(l: Loosening): boolean {
  return l.entries.length > 0;
}

interface TrustEntry {
  fingerprint: string;
  trustedAt: string;
}

interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export function trustFilePath(configDir: string): string {
  return path.join(configDir, TRUST_FILE);
}

/** The trusted projects by absolute root. A missing, unreadable or corrupt file counts as empty. */
export function readTrustStore(configDir: string): Record<string, TrustEntry> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(trustFilePath(configDir), 'utf8'));
  } catch {
    return {};
  }
  const projects = (data as { projects?: unknown } | null)?.projects;
  if (!projects || typeof projects !== 'object' || Array.isArray(projects)) return {};
  const out: Record<string, TrustEntry> = Object.create(null) as Record<string, TrustEntry>;
  for (const [root, entry] of Object.entries(projects)) {
    const e = entry as Partial<TrustEntry> | null;
    if (e && typeof e.fingerprint === 'string') out[root] = { fingerprint: e.fingerprint, trustedAt: String(e.trustedAt ?? '') };
  }
  return out;
}

/** True when the user trusted this project root while its file loosened exactly what `fingerprint` says. */
export function isProjectTrusted(configDir: string, projectRoot: string, fingerprint: string): boolean {
  return readTrustStore(configDir)[path.resolve(projectRoot)]?.fingerprint === fingerprint;
}

/** Records trust for a project root (replacing an older fingerprint). Throws only when the file cannot be written. */
export function trustProject(configDir: string, projectRoot: string, fingerprint: string, now = new Date()): void {
  const projects = readTrustStore(configDir);
  projects[path.resolve(projectRoot)] = { fingerprint, trustedAt: now.toISOString() };
  writeStore(configDir, projects);
}

/** Removes a project's trust; false when it was not trusted. */
export function forgetProject(configDir: string, projectRoot: string): boolean {
  const projects = readTrustStore(configDir);
  const root = path.resolve(projectRoot);
  if (!(root in projects)) return false;
  delete projects[root];
  writeStore(configDir, projects);
  return true;
}

/** Atomic, so a crash or a second glm never leaves half a file. */
function writeStore(configDir: string, projects: Record<string, TrustEntry>): void {
  writeFileAtomicSync(trustFilePath(configDir), JSON.stringify({ projects }, null, 2) + '\n', 0o600);
}

/** "2 allow rules, defaultMode acceptEdits and baseUrl http://…" */
export function describeLoosening(l: Loosening): string {
  const parts = KIND_ORDER.flatMap((kind) => {
    const values = valuesOf(l, kind);
    const noun = KINDS[kind].noun;
    if (!values.length) return [];
    const summary = KINDS[kind].summary ?? ((v: string) => `${kind} ${v}`);
    return noun ? [`${values.length} ${values.length === 1 ? noun[0] : noun[1]}`] : values.map((v) => safeLine(summary(v)));
  });
  return parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The one stderr line of a headless run (glm -p, glm review) in an untrusted project, without "glm: ". */
export function untrustedNotice(u: Sourced, cwd: string): string {
  const shown = sourceFiles(u, cwd);
  return `not using ${describeLoosening(u)} from ${shown}: this project is not trusted (run "glm trust" in it to trust it)`;
}

/** A loosening and its project's settings file (`settingsFiles`: also .glm/settings.local.json, when it loosens). */
type Sourced = Loosening & { file: string; settingsFiles?: string[] };

/**
 * The files a loosening comes from, relative to `from`: `file` is the project's settings file (`settingsFiles` the
 * settings files when the local one is among them); .mcp.json servers come from the file beside its .glm folder.
 * "`.glm/settings.json and .mcp.json`".
 */
export function sourceFiles(u: Sourced, from: string): string {
  const root = path.dirname(path.dirname(u.file));
  const mcpFile = path.join(root, '.mcp.json');
  const isExt = (e: LooseningEntry): boolean => e.kind === 'agent' || e.kind === 'skill' || e.kind === 'command';
  // A hook's value names its file, relative to the project root (hookTrustValue).
  const hookFiles = [...new Set(u.entries.flatMap((e) => (e.kind === 'hook' ? [hookTrustFile(e.value)] : [])))].flatMap((f) => (f ? [path.resolve(root, f)] : []));
  // Agents, skills and commands by folder: `.claude/agents`, `.glm/skills`. A script comes with what runs it.
  const folders = u.entries.filter(isExt).map((e) => path.join(root, ...entryFile(e.value).split(/[\\/]/).slice(0, 2)));
  // glm's own settings files first (.glm/settings.json, then .local), whether for settings or for hooks.
  const own = [u.file, ...(u.settingsFiles ?? []).filter((f) => f !== u.file)];
  const settings = u.entries.some((e) => e.kind !== 'mcpServer' && e.kind !== 'hook' && e.kind !== 'script' && !isExt(e)) ? (u.settingsFiles ?? [u.file]) : [];
  const files = [
    ...own.filter((f) => settings.includes(f) || hookFiles.includes(f)),
    ...hookFiles.filter((f) => !own.includes(f)).sort(),
    ...(u.entries.some((e) => e.kind === 'mcpServer') ? [mcpFile] : []),
    ...new Set(folders),
  ];
  // Only scripts (glm review leaves out what runs them): the scripts themselves.
  if (!files.length) files.push(...u.entries.filter((e) => e.kind === 'script').map((e) => path.join(root, entryFile(e.value))));
  const shown = files.map((f) => path.relative(from, f) || f);
  return shown.length < 3 ? shown.join(' and ') : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/** What a project file would let glm do without asking, by group: a heading and its lines. */
export function looseningGroups(l: Loosening): { heading: string; lines: string[] }[] {
  return (Object.keys(GROUP_HEADINGS) as Group[]).flatMap((group) => {
    const lines = KIND_ORDER.filter((k) => KINDS[k].group === group).flatMap((k) => valuesOf(l, k).map((v) => safeLine(KINDS[k].line(v))));
    return lines.length ? [{ heading: GROUP_HEADINGS[group], lines }] : [];
  });
}

/** The indented lines under "This project's … would let glm:". */
export function looseningLines(l: Loosening): string[] {
  return looseningGroups(l).flatMap((g) => [`  ${g.heading}`, ...g.lines.map((line) => `    ${line}`)]);
}

/** What trust gates in the project's settings files, and elsewhere besides .mcp.json (`glm trust`'s lines). */
const SETTINGS_GATED = 'allow rules, defaultMode acceptEdits, provider, baseUrl, additionalDirectories, model, maxTokens and the other costly settings';
const OTHERS_GATED = 'the hooks of its .glm and .claude settings files, the agents, skills and commands of its .glm, .claude and .agents folders and the project scripts they run';

/**
 * `glm trust --forget`: needs only the trust store, not the project's settings, so a settings file glm refuses to
 * read (a bad rule, a hostile repository's) cannot keep an earlier trust in place. Exit 0 unless the store is unwritable.
 */
export function runForget(configDir: string, projectRoot: string, out: Output): number {
  try {
    if (!forgetProject(configDir, projectRoot)) out.stdout(`${projectRoot} is not trusted: nothing to forget.\n`);
    else out.stdout(`Forgot ${projectRoot}: what its ${path.join('.glm', 'settings.json')} and ${path.join('.glm', 'settings.local.json')} loosen (${SETTINGS_GATED}), the servers of its .mcp.json, ${OTHERS_GATED} no longer apply.\n`);
    return 0;
  } catch (err) {
    return cannotWrite(configDir, err, out);
  }
}

function cannotWrite(configDir: string, err: unknown, out: Output): number {
  const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
  out.stderr(`glm: cannot write ${trustFilePath(configDir)} (${code}): check that folder's permissions\n`);
  return 1;
}

/** `glm trust [--forget]`: prints what it trusts or forgets; exit 0 unless the trust file cannot be written. */
export function runTrust(opts: { forget?: boolean }, project: ProjectTrust, out: Output): number {
  const { configDir, projectRoot } = project;
  // .glm/settings.local.json is read beside .glm/settings.json (config-project.ts); both are gated alike.
  const settings = [project.file, path.join(path.dirname(project.file), 'settings.local.json')];
  if (opts.forget) return runForget(configDir, projectRoot, out);
  try {
    if (!loosens(project)) {
      const files = settings.filter((f) => existsSync(f));
      const others = `and there is no .mcp.json server, .claude hook, agent, skill or command with allowed-tools`;
      const line = files.length
        ? `${files.join(' and ')} ${files.length > 1 ? 'set' : 'sets'} nothing that needs trust (hooks, ${SETTINGS_GATED}), ${others}`
        : `neither ${settings.join(' nor ')} exists, ${others}`;
      out.stdout(`Nothing to trust: ${line}.\n`);
      return 0;
    }
    const sources = sourceFiles(project, projectRoot);
    const lines = [`This project's ${sources} ${sources.includes(' and ') ? 'let' : 'lets'} glm:`, ...looseningLines(project)];
    if (project.trusted) {
      out.stdout([...lines, `Already trusted: ${projectRoot}.`, ''].join('\n'));
      return 0;
    }
    trustProject(configDir, projectRoot, project.fingerprint);
    const scripts = project.entries.some((e) => e.kind === 'script') ? ' (or a file it runs changes)' : '';
    const note = `Trusted ${projectRoot}. If ${sources} later ${sources.includes(' and ') ? 'change' : 'changes'} any of this${scripts}, the project is untrusted again; "glm trust --forget" undoes this.`;
    out.stdout([...lines, note, ''].join('\n'));
    return 0;
  } catch (err) {
    return cannotWrite(configDir, err, out);
  }
}
