// Memory files: the user's ~/.config/glm-code/AGENTS.md, then AGENTS.md (else GLM.md, else CLAUDE.md) in each
// folder from the git root down to the working directory, each followed by the files it mentions with @path;
// what /memory shows; and `# note` appends. Imports node built-ins and the token estimate only.
import { constants } from 'node:fs';
import { appendFile, open, readFile, realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { estimateTokens } from './context/tokens.ts';

/** Per folder, the first of these that exists is loaded. */
const MEMORY_FILES = ['AGENTS.md', 'GLM.md', 'CLAUDE.md'];
/** A larger memory file is cut: it would crowd out the conversation. */
export const MAX_MEMORY_BYTES = 40 * 1024;
/** @path mentions are followed this many levels deep. */
const MAX_IMPORT_DEPTH = 3;

export interface MemoryFile {
  /** How the prompt and /memory name it: relative to the project root, or ~/… outside it. */
  path: string;
  /** Absolute path. */
  file: string;
  content: string;
  kind: 'user' | 'project' | 'import';
  /** For imports: the `path` of the file that mentioned it. */
  includedBy?: string;
  /** Size on disk, bytes. */
  bytes: number;
  /** The content was cut to MAX_MEMORY_BYTES. */
  truncated?: boolean;
}

export interface MemoryOptions {
  /** Where glm runs; memory files are looked for here and in each parent up to `projectRoot`. */
  cwd: string;
  projectRoot: string;
  /** The user config folder (config.configDir): its AGENTS.md holds personal rules. */
  configDir?: string;
  /** For `~/` in @mentions and display paths (default: the OS home). */
  home?: string;
  /** Told in one line about each memory file left out, naming it and why (a link out of the project, a FIFO). */
  notice?: (text: string) => void;
}

/** All memory files in prompt order: personal first, then the git root down to cwd, imports after their file. */
export async function loadMemoryFiles(o: MemoryOptions): Promise<MemoryFile[]> {
  const home = o.home ?? os.homedir();
  const root = path.resolve(o.projectRoot);
  const seen = new Set<string>();
  const out: MemoryFile[] = [];
  // A project's memory file must really be in the project (or the user's own config folder): a cloned repository's
  // AGENTS.md linking to ~/.ssh/id_rsa would otherwise send the key with every request.
  const within = await Promise.all([root, ...(o.configDir ? [o.configDir] : [])].map((d) => realpath(d).catch(() => path.resolve(d))));
  const add = async (file: string, kind: MemoryFile['kind'], allowedRoot: string | undefined) => {
    const shown = display(file, root, home);
    const check: ReadCheck = { notice: o.notice, ...(kind === 'project' && { within, shownReal: (real: string) => display(real, root, home) }) };
    const loaded = await readMemory(file, kind, shown, seen, check);
    if (!loaded) return false;
    out.push(loaded);
    await addImports(loaded, { root, home, seen, out, allowedRoot, depth: 1 });
    return true;
  };
  // Personal rules may mention any file of the user's; project files only files inside the project
  // (a cloned repository must not be able to pull ~/.ssh or ~/.aws into a request).
  if (o.configDir) await add(path.join(o.configDir, 'AGENTS.md'), 'user', undefined);
  for (const dir of foldersDown(root, path.resolve(o.cwd))) {
    for (const name of MEMORY_FILES) if (await add(path.join(dir, name), 'project', root)) break;
  }
  return out;
}

/** The project root, then each folder below it on the way to cwd (just the root when cwd is outside it). */
function foldersDown(root: string, cwd: string): string[] {
  const rel = path.relative(root, cwd);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return [root];
  const dirs = [root];
  for (const part of rel.split(path.sep)) dirs.push(path.join(dirs.at(-1)!, part));
  return dirs;
}

function display(file: string, root: string, home: string): string {
  const rel = path.relative(root, file);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  const fromHome = path.relative(home, file);
  if (fromHome && !fromHome.startsWith('..') && !path.isAbsolute(fromHome)) return `~/${fromHome.split(path.sep).join('/')}`;
  return file;
}

interface ReadCheck {
  notice?: (text: string) => void;
  /** Real folders the file's real path must be inside (project files), and how to name a real path. */
  within?: string[];
  shownReal?: (real: string) => string;
}

async function readMemory(file: string, kind: MemoryFile['kind'], shown: string, seen: Set<string>, check: ReadCheck = {}): Promise<MemoryFile | undefined> {
  const real = await realpath(file).catch(() => undefined);
  if (!real || seen.has(real)) return undefined;
  // Imports are guessed from prose (@types/node may be a folder), so only the files glm looks for are reported.
  const skip = (why: string) => void (kind !== 'import' && check.notice?.(`${shown} not loaded: ${why}`));
  if (check.within && !check.within.some((dir) => isInside(real, dir))) {
    return skip(`it resolves to ${check.shownReal?.(real) ?? real}, outside the project`);
  }
  const info = await stat(real).catch(() => undefined);
  if (!info) return undefined;
  if (!info.isFile()) return skip(`it is not a regular file (${info.isFIFO() ? 'a FIFO' : info.isDirectory() ? 'a folder' : 'a device or socket'})`);
  const raw = await readCapped(real);
  if (!raw || raw.includes(0)) return undefined; // unreadable or binary
  seen.add(real);
  const truncated = raw.length > MAX_MEMORY_BYTES;
  let content = raw.subarray(0, MAX_MEMORY_BYTES).toString('utf8');
  if (truncated) content += `\n[… cut at ${MAX_MEMORY_BYTES / 1024} KB; the whole file is ${file}]`;
  return { path: shown, file, content, kind, bytes: info.size, ...(truncated && { truncated }) };
}

/**
 * Up to MAX_MEMORY_BYTES + 1 bytes of a regular file. Opened without blocking or following a final link and checked
 * again once open, so a file swapped for a FIFO or a link after the checks above neither hangs nor is followed.
 */
async function readCapped(real: string): Promise<Buffer | undefined> {
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
  const handle = await open(real, flags).catch(() => undefined);
  if (!handle) return undefined;
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    const buf = Buffer.alloc(MAX_MEMORY_BYTES + 1);
    let n = 0;
    for (let got = 1; got > 0 && n < buf.length; n += got) got = (await handle.read(buf, n, buf.length - n, n)).bytesRead;
    return buf.subarray(0, n);
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

interface ImportState {
  root: string;
  home: string;
  seen: Set<string>;
  out: MemoryFile[];
  allowedRoot: string | undefined;
  depth: number;
}

async function addImports(parent: MemoryFile, s: ImportState): Promise<void> {
  if (s.depth > MAX_IMPORT_DEPTH) return;
  for (const mention of mentions(parent.content)) {
    const target = mention.startsWith('~/') ? path.join(s.home, mention.slice(2)) : path.resolve(path.dirname(parent.file), mention);
    if (s.allowedRoot && !(await inside(target, s.allowedRoot))) continue;
    const loaded = await readMemory(target, 'import', display(target, s.root, s.home), s.seen);
    if (!loaded) continue; // not a file (an npm scope, a decorator, a handle): not a mention
    s.out.push({ ...loaded, includedBy: parent.path });
    await addImports(loaded, { ...s, depth: s.depth + 1 });
  }
}

async function inside(file: string, root: string): Promise<boolean> {
  const real = await realpath(file).catch(() => undefined);
  if (!real) return false;
  return isInside(real, await realpath(root).catch(() => root));
}

/** `@path` mentions outside code: at the start of a line or after a space or bracket, like Claude Code's imports. */
export function mentions(markdown: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const prose = line.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/(?:^|[\s(\[])@((?:~\/|\.{1,2}\/|\/)?[\w.\-/]+)/g)) {
      const p = m[1].replace(/[.,:;)]+$/, '');
      if (p && !out.includes(p)) out.push(p);
    }
  }
  return out;
}

export interface MemorySummaryLine {
  path: string;
  file: string;
  kind: MemoryFile['kind'];
  includedBy?: string;
  bytes: number;
  /** Estimated tokens it adds to every request. */
  tokens: number;
  truncated: boolean;
}

/** For /memory: what was loaded, in prompt order, with sizes. */
export function memorySummary(files: readonly MemoryFile[]): MemorySummaryLine[] {
  return files.map((f) => ({
    path: f.path,
    file: f.file,
    kind: f.kind,
    ...(f.includedBy !== undefined && { includedBy: f.includedBy }),
    bytes: f.bytes,
    tokens: estimateTokens(f.content),
    truncated: Boolean(f.truncated),
  }));
}

/** /memory as plain text, one file a line. */
export function formatMemorySummary(files: readonly MemoryFile[]): string {
  if (files.length === 0) return `No memory files loaded. Add an AGENTS.md at the project root (/init writes one), or ~/.config/glm-code/AGENTS.md for rules of your own.`;
  const summary = memorySummary(files);
  const lines = summary.map((f) => {
    const size = f.bytes < 1024 ? `${f.bytes} B` : `${(f.bytes / 1024).toFixed(1)} KB`;
    const what = f.kind === 'user' ? 'personal' : f.kind === 'import' ? `included by ${f.includedBy}` : 'project';
    return `${f.path}  ${size}, ~${f.tokens} tokens (${what}${f.truncated ? ', cut' : ''})`;
  });
  const total = summary.reduce((n, f) => n + f.tokens, 0);
  return [...lines, `${files.length} file${files.length === 1 ? '' : 's'}, ~${total} tokens in every request.`].join('\n');
}

/**
 * `# note` at the prompt: appends the note as a bullet to the project's memory file — the one in use
 * (AGENTS.md, else GLM.md, else CLAUDE.md), or a new AGENTS.md. Returns the file written.
 */
export async function appendNote(projectRoot: string, text: string): Promise<string> {
  const note = text.replace(/^\s*#\s*/, '').trim();
  if (!note) throw new Error('The note is empty: type # followed by what to remember.');
  let target = path.join(projectRoot, MEMORY_FILES[0]);
  let existing = '';
  for (const name of MEMORY_FILES) {
    const content = await readFile(path.join(projectRoot, name), 'utf8').catch(() => undefined);
    if (content === undefined) continue;
    target = path.join(projectRoot, name);
    existing = content;
    break;
  }
  const lead = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await appendFile(target, `${lead}- ${note.replace(/\n/g, '\n  ')}\n`);
  return target;
}
