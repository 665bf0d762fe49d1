// Project trust: which projects may loosen permissions from their .glm/settings.json (allow rules, defaultMode
// acceptEdits), kept in <configDir>/trusted-projects.json as project root → fingerprint of what it loosens;
// plus `glm trust` and the one-line notice front ends print. Imports node built-ins and atomic-file.ts only
// (config.ts imports this).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from './atomic-file.ts';

export const TRUST_FILE = 'trusted-projects.json';

/** What a project file loosens: its allow rules and, when it sets it, defaultMode acceptEdits. */
export interface Loosening {
  allow: string[];
  defaultMode?: 'acceptEdits';
}

/** A project's trust as `glm trust` sees it; config.ts builds it (projectTrust). */
export interface ProjectTrust extends Loosening {
  configDir: string;
  projectRoot: string;
  /** The project's settings file (which may not exist). */
  file: string;
  fingerprint: string;
  trusted: boolean;
}

interface TrustEntry {
  fingerprint: string;
  trustedAt: string;
}

interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** sha256 of what a project loosens; the order and repeats of its allow rules do not matter. */
export function fingerprintOf(loosening: Loosening): string {
  const allow = [...new Set(loosening.allow)].sort();
  const canonical = JSON.stringify({ allow, defaultMode: loosening.defaultMode ?? null });
  return 'sha256:' + createHash('sha256').update(canonical).digest('hex');
}

export function loosens(l: Loosening): boolean {
  return l.allow.length > 0 || l.defaultMode !== undefined;
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

/** "2 allow rules and defaultMode acceptEdits" */
export function describeLoosening(l: Loosening): string {
  const parts: string[] = [];
  if (l.allow.length) parts.push(`${l.allow.length} allow rule${l.allow.length === 1 ? '' : 's'}`);
  if (l.defaultMode) parts.push(`defaultMode ${l.defaultMode}`);
  return parts.join(' and ');
}

/** The one stderr line of a headless run (glm -p, glm review) in an untrusted project, without "glm: ". */
export function untrustedNotice(u: Loosening & { file: string }, cwd: string): string {
  const shown = path.relative(cwd, u.file) || u.file;
  return `not using ${describeLoosening(u)} from ${shown}: this project is not trusted (run "glm trust" in it to trust it)`;
}

/** The lines that say what a project file would let glm do without asking. */
export function looseningLines(l: Loosening): string[] {
  return [
    ...l.allow.map((rule) => `  ${rule}`),
    ...(l.defaultMode ? ['  every edit of a file inside the project (defaultMode acceptEdits)'] : []),
  ];
}

/** `glm trust [--forget]`: prints what it trusts or forgets; exit 0 unless the trust file cannot be written. */
export function runTrust(opts: { forget?: boolean }, project: ProjectTrust, out: Output): number {
  const { configDir, projectRoot } = project;
  const shown = path.relative(projectRoot, project.file);
  try {
    if (opts.forget) {
      if (!forgetProject(configDir, projectRoot)) out.stdout(`${projectRoot} is not trusted: nothing to forget.\n`);
      else out.stdout(`Forgot ${projectRoot}: the allow rules and acceptEdits mode of its ${shown} no longer apply.\n`);
      return 0;
    }
    if (!loosens(project)) {
      const why = existsSync(project.file) ? 'has no allow rules and does not set defaultMode acceptEdits' : 'does not exist';
      out.stdout(`Nothing to trust: ${project.file} ${why}.\n`);
      return 0;
    }
    const lines = [`This project's ${shown} lets glm run these without asking:`, ...looseningLines(project)];
    if (project.trusted) {
      out.stdout([...lines, `Already trusted: ${projectRoot}.`, ''].join('\n'));
      return 0;
    }
    trustProject(configDir, projectRoot, project.fingerprint);
    const note = `Trusted ${projectRoot}. If ${shown} later changes what it allows, the project is untrusted again; "glm trust --forget" undoes this.`;
    out.stdout([...lines, note, ''].join('\n'));
    return 0;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    out.stderr(`glm: cannot write ${trustFilePath(configDir)} (${code}): check that folder's permissions\n`);
    return 1;
  }
}
