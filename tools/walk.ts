// .gitignore-aware directory walking for Grep (built-in search), Glob, LS and path suggestions.
// Honours nested .gitignore files from the git root down, always skips .git. Imports no loop, session or UI.
import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

const ALWAYS_SKIP = new Set(['.git']);

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** The nearest folder at or above `dir` that holds `.git`, or undefined. */
export async function findGitRoot(dir: string): Promise<string | undefined> {
  for (let d = dir; ; d = dirname(d)) {
    if (await exists(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

const toPosix = (p: string): string => (sep === '/' ? p : p.split(sep).join('/'));

/** Answers "is this path ignored?" using every .gitignore between the top folder and the path. */
export class IgnoreFilter {
  private cache = new Map<string, Promise<Ignore | null>>();

  private constructor(private readonly top: string) {}

  /**
   * `root` is where the search starts. Rules are read from the git root above it; outside git, from `cwd`
   * when root is inside it (so the project's .gitignore applies to subfolder searches), else from root.
   * `.git` is always skipped.
   */
  static async create(root: string, cwd?: string): Promise<IgnoreFilter> {
    const inside = cwd && !relative(cwd, root).startsWith('..') && !isAbsolute(relative(cwd, root));
    const filter = new IgnoreFilter((await findGitRoot(root)) ?? (inside ? cwd : root));
    // Asked to search an ignored folder itself (e.g. node_modules/lib): like rg, search it, using only its own rules.
    return (await filter.ignoredPath(root, true)) ? new IgnoreFilter(root) : filter;
  }

  private syncCache = new Map<string, Ignore | null>();

  /** The rules of one folder, read synchronously (the built-in Grep walks without a promise per entry). */
  private rulesSync(dir: string): Ignore | null {
    let hit = this.syncCache.get(dir);
    if (hit === undefined) {
      try {
        hit = ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8'));
      } catch {
        hit = null;
      }
      this.syncCache.set(dir, hit);
    }
    return hit;
  }

  /** ignoredEntry without awaiting: the same verdict, with .gitignore files read synchronously. */
  ignoredEntrySync(abs: string, isDir: boolean): boolean {
    const rel = relative(this.top, abs);
    if (rel === '' || rel.startsWith('..')) return false;
    const parts = toPosix(rel).split('/');
    if (parts.some((p) => ALWAYS_SKIP.has(p))) return true;
    for (let depth = parts.length - 1; depth >= 0; depth--) {
      const ig = this.rulesSync(depth === 0 ? this.top : join(this.top, ...parts.slice(0, depth)));
      if (!ig) continue;
      const verdict = ig.test(parts.slice(depth).join('/') + (isDir ? '/' : ''));
      if (verdict.ignored) return true;
      if (verdict.unignored) return false;
    }
    return false;
  }

  private rules(dir: string): Promise<Ignore | null> {
    let hit = this.cache.get(dir);
    if (!hit) {
      hit = readFile(join(dir, '.gitignore'), 'utf8').then(
        (text) => ignore().add(text),
        () => null,
      );
      this.cache.set(dir, hit);
    }
    return hit;
  }

  /** Checks one entry against the rules of its own ancestors only (callers prune ignored folders while walking). */
  async ignoredEntry(abs: string, isDir: boolean): Promise<boolean> {
    const rel = relative(this.top, abs);
    if (rel === '' || rel.startsWith('..')) return false;
    const parts = toPosix(rel).split('/');
    if (parts.some((p) => ALWAYS_SKIP.has(p))) return true;
    // The deepest .gitignore with an opinion wins (negations in sub-folders re-include files).
    for (let depth = parts.length - 1; depth >= 0; depth--) {
      const dir = join(this.top, ...parts.slice(0, depth));
      const ig = await this.rules(dir);
      if (!ig) continue;
      const sub = parts.slice(depth).join('/') + (isDir ? '/' : '');
      const verdict = ig.test(sub);
      if (verdict.ignored) return true;
      if (verdict.unignored) return false;
    }
    return false;
  }

  /** Checks a path and every folder above it (for results of a glob that did not prune while walking). */
  async ignoredPath(abs: string, isDir = false): Promise<boolean> {
    const rel = relative(this.top, abs);
    if (rel === '' || rel.startsWith('..')) return false;
    const parts = toPosix(rel).split('/');
    for (let i = 1; i <= parts.length; i++) {
      if (await this.ignoredEntry(join(this.top, ...parts.slice(0, i)), i < parts.length || isDir)) return true;
    }
    return false;
  }
}

export interface WalkEntry {
  abs: string;
  isDir: boolean;
}

export interface WalkOptions {
  signal?: AbortSignal;
  /** Folder names never entered (besides .git), e.g. node_modules. */
  skipDirs?: ReadonlySet<string>;
  /** Stop after visiting this many entries. */
  maxEntries?: number;
}

/**
 * Depth-first walk below `root` in path order (a folder's contents come right after the folder), pruning
 * ignored folders. Symlinks are not followed. Yields files and folders.
 */
export async function* walk(root: string, filter: IgnoreFilter, opts: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  let visited = 0;
  const max = opts.maxEntries ?? Infinity;
  async function* dirEntries(dir: string): AsyncGenerator<WalkEntry> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (opts.signal?.aborted || ++visited > max) return;
      const abs = join(dir, e.name);
      const isDir = e.isDirectory();
      if (!isDir && !e.isFile()) continue;
      if (isDir && (ALWAYS_SKIP.has(e.name) || opts.skipDirs?.has(e.name))) continue;
      if (await filter.ignoredEntry(abs, isDir)) continue;
      yield { abs, isDir };
      if (isDir) yield* dirEntries(abs);
    }
  }
  yield* dirEntries(root);
}
