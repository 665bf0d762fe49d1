// The walk of the project's folders before each sandboxed command: the paths Read deny patterns match (hidden inside)
// and the nested git repositories (folders with a `.git` folder of their own, whose hooks and config stay read-only).
// One walk per session: each folder's listing is kept with its stat, and only a folder whose mtime, ctime or inode
// changed is read again (a new, removed or renamed entry changes its folder's times), so a later command in a large
// project costs one stat per folder. Fail closed: a folder changed too recently to tell a later change apart, or on a
// file system whose times glm does not know to be exact (NFS, FUSE, SMB), is read again every time. Bounded: past
// MAX_ENTRIES looked at, MAX_MATCHES found or MAX_REPOS nested repositories, commands are refused with a line saying why.
// Imports permissions.ts (matching), paths.ts and node built-ins only.
import { lstatSync, readdirSync, statfsSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { pathMatcher } from '../permissions.ts';
import { isWithin } from '../paths.ts';

/** Files and folders looked at per command (outside .git and node_modules): the first walk of a million takes seconds. */
export const MAX_ENTRIES = 1_000_000;
/** Paths hidden: each is a mount for bwrap to make at every launch. */
export const MAX_MATCHES = 1_000;
/** Nested repositories: each pins a few folders (mounts) at every launch. */
export const MAX_REPOS = 200;
/** A folder changed more recently than this before it was read is read again next time (times have a granularity). */
export const SETTLE_MS = 2_000;

/** Folders never walked: git's own (read-only inside anyway) and installed dependencies (not the user's files). */
const SKIPPED = new Set(['.git', 'node_modules']);

/** File systems whose folder times change with every entry, at fine granularity (statfs f_type). */
const EXACT_TIMES = new Set([
  0xef53 /* ext2/3/4 */, 0x58465342 /* xfs */, 0x9123683e /* btrfs */, 0x01021994 /* tmpfs */, 0x794c7630 /* overlay */,
  0x2fc12fc1 /* zfs */, 0xf2f52010 /* f2fs */, 0xca451a4e /* bcachefs */,
]); // prettier-ignore

export interface WalkRule {
  text: string;
  content: string;
}

export interface WalkLimits {
  entries?: number;
  matches?: number;
  repos?: number;
  settleMs?: number;
}

export interface ProjectScan {
  hidden: { path: string; dir: boolean }[];
  /** Folders under the roots (not the roots) holding a `.git` folder of their own. */
  repos: string[];
  /** Why commands cannot run: the walk hit a bound. */
  refused?: string;
}

interface Listing {
  ino: number;
  dev: number;
  mtimeMs: number;
  ctimeMs: number;
  /** Its times were settled when it was read: unchanged times mean unchanged entries. */
  trusted: boolean;
  entries: number;
  subdirs: string[];
  matched: { path: string; link: boolean; dir: boolean }[];
  repo: boolean;
}

export class ProjectWalk {
  private listings = new Map<string, Listing>();
  private key = '';
  private exact = new Map<number, boolean>();
  /** Folders read (not taken from the last walk) by the last scan. */
  reads = 0;

  scan(rules: readonly WalkRule[], roots: string[], projectRoot: string, home: string, limits: WalkLimits = {}): ProjectScan {
    const max = limits.entries ?? MAX_ENTRIES;
    const maxMatches = limits.matches ?? MAX_MATCHES;
    const maxRepos = limits.repos ?? MAX_REPOS;
    const settle = limits.settleMs ?? SETTLE_MS;
    const key = JSON.stringify([rules.map((r) => r.content), projectRoot, home]);
    if (key !== this.key) [this.listings, this.key] = [new Map(), key];
    const matchers = rules.map((r) => pathMatcher(r.content, projectRoot, home));
    const names = () => rules.map((r) => r.text).join(', ');
    const top = roots.filter((r) => !roots.some((o) => o !== r && isWithin(o, r)));
    const stack = [...top];
    const next = new Map<string, Listing>();
    const out: ProjectScan = { hidden: [], repos: [] };
    let seen = 0;
    this.reads = 0;
    try {
      while (stack.length) {
        const dir = stack.pop()!;
        const listing = this.listing(dir, matchers, settle);
        if (!listing) continue; // gone or unreadable here: unreadable inside too
        next.set(dir, listing);
        seen += listing.entries;
        if (seen > max) {
          const what = rules.length ? `enforce ${names()}` : 'look for nested git repositories (whose hooks it keeps read-only)';
          const how = rules.length ? 'Anchor the rule to a folder, like Read(./config/**/.env), or list the files' : 'Start glm in a smaller folder, or turn the sandbox off (--sandbox off)';
          return { ...out, refused: `The sandbox cannot ${what}: the project has more than ${max} files and folders to check (outside .git and node_modules). ${how}; until then no command runs sandboxed.` };
        }
        for (const m of listing.matched) {
          const isDirectory = m.link ? linkIsDir(m.path) : m.dir; // a link is hidden where it points, now
          if (isDirectory !== undefined) out.hidden.push({ path: m.path, dir: isDirectory });
        }
        if (out.hidden.length > maxMatches) {
          return { ...out, refused: `The sandbox cannot enforce ${names()}: it matches more than ${maxMatches} files and folders, each hidden by a mount at every command. Deny a folder that holds them instead, like Read(./secrets/**); until then no command runs sandboxed.` };
        }
        if (listing.repo && !top.includes(dir)) out.repos.push(dir);
        if (out.repos.length > maxRepos) {
          return { ...out, refused: `The sandbox cannot protect the project's nested git repositories: there are more than ${maxRepos}, each pinned by mounts at every command. Start glm in a smaller folder, or turn the sandbox off (--sandbox off); until then no command runs sandboxed.` };
        }
        stack.push(...listing.subdirs);
      }
      return out;
    } finally {
      // What this walk saw (a refused walk keeps its part: the next one reads only the rest).
      for (const [d, l] of next) this.listings.set(d, l);
      if (!out.refused && !stack.length) this.listings = next;
    }
  }

  /** A folder's listing: the last walk's when its stat says nothing changed since, else read now. */
  private listing(dir: string, matchers: ((p: string) => boolean)[], settle: number): Listing | undefined {
    let st: Stats;
    try {
      st = lstatSync(dir);
    } catch {
      return undefined;
    }
    if (!st.isDirectory()) return undefined; // replaced by a link or a file since it was listed: not followed
    const kept = this.listings.get(dir);
    if (kept?.trusted && kept.ino === st.ino && kept.dev === st.dev && kept.mtimeMs === st.mtimeMs && kept.ctimeMs === st.ctimeMs) return kept;
    const started = Date.now();
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return undefined;
    }
    this.reads++;
    const listing: Listing = {
      ino: st.ino, dev: st.dev, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, entries: entries.length, subdirs: [], matched: [], repo: false,
      trusted: Math.max(st.mtimeMs, st.ctimeMs) < started - settle && this.exactTimes(dir, st.dev),
    }; // prettier-ignore
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      if (matchers.some((m) => m(abs))) listing.matched.push({ path: abs, link: e.isSymbolicLink(), dir: e.isDirectory() });
      else if (e.isDirectory() && !SKIPPED.has(e.name)) listing.subdirs.push(abs);
      if (e.name === '.git' && e.isDirectory()) listing.repo = true;
    }
    return listing;
  }

  /** Whether the file system holding `dir` keeps exact folder times (asked once per device). */
  private exactTimes(dir: string, dev: number): boolean {
    let known = this.exact.get(dev);
    if (known === undefined) {
      try {
        known = EXACT_TIMES.has(Number(statfsSync(dir).type));
      } catch {
        known = false;
      }
      this.exact.set(dev, known);
    }
    return known;
  }
}

/** Whether a link points to a folder; undefined when it points nowhere. */
function linkIsDir(p: string): boolean | undefined {
  try {
    return statSync(p).isDirectory();
  } catch {
    return undefined;
  }
}
