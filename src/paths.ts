// The one way a path the model wrote becomes the absolute path a tool acts on and the permission check judges
// (`~`, `~/`, relative, `..`), plus its real path through symlinks, and file names that are not UTF-8 (shown with
// \xNN escapes, turned back into their bytes for fs). Imports only node built-ins.
import { isUtf8 } from 'node:buffer';
import { existsSync, readdirSync, readlinkSync, realpathSync, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The absolute path a tool acts on: `~` and `~/…` are the home folder, anything else resolves against cwd. */
export function resolveToolPath(cwd: string, p: string, home: string = homedir()): string {
  if (p === '~' || p.startsWith('~/')) return path.join(home, p.slice(1));
  return path.resolve(cwd, p);
}

/**
 * Where a path really lands: symlinks resolved, also a dangling one (a link to a file that does not exist yet is
 * where a write through it goes), and a path that does not exist yet under its real parent.
 */
export function realPathOf(abs: string, hops = 0): string {
  try {
    return realpathSync.native(abs);
  } catch {
    // Missing, or a link whose target is missing.
  }
  const parent = path.dirname(abs);
  if (parent === abs) return abs;
  const realParent = realPathOf(parent, hops);
  if (hops < 40) {
    try {
      return realPathOf(path.resolve(realParent, readlinkSync(path.join(realParent, path.basename(abs)))), hops + 1);
    } catch {
      // Not a link.
    }
  }
  return path.join(realParent, path.basename(abs));
}

/** Whether `rel` (from path.relative) leaves its base. */
export const leavesBase = (rel: string): boolean => rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel);

/** Whether abs is dir itself or inside it. */
export const isWithin = (dir: string, abs: string): boolean => !leavesBase(path.relative(dir, abs));

/**
 * A file name as text: UTF-8 as is; a name that is not valid UTF-8 shows each byte that does not decode as `\xNN`
 * (`caf\xE9.txt`), so it can be shown to the model and passed back (diskPath turns it into the same bytes).
 */
export function nameText(name: Buffer): string {
  if (isUtf8(name)) return name.toString('utf8');
  let out = '';
  for (let i = 0; i < name.length; ) {
    const b = name[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    const seq = len ? name.subarray(i, i + len) : undefined;
    if (seq && seq.length === len && isUtf8(seq)) {
      out += seq.toString('utf8');
      i += len;
    } else {
      out += `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

const BYTE_ESCAPE = /\\x([0-9A-Fa-f]{2})/g;

/**
 * What to hand to fs for a path a tool was given: the path itself, or, when it holds `\xNN` escapes (nameText) and
 * does not exist as written, the bytes it stands for.
 */
export function diskPath(p: string): string | Buffer {
  if (!p.includes('\\x') || !BYTE_ESCAPE.test(p)) return p;
  BYTE_ESCAPE.lastIndex = 0;
  if (existsSync(p)) return p;
  const parts: Buffer[] = [];
  let at = 0;
  for (const m of p.matchAll(BYTE_ESCAPE)) {
    parts.push(Buffer.from(p.slice(at, m.index), 'utf8'), Buffer.from([parseInt(m[1]!, 16)]));
    at = m.index + m[0].length;
  }
  parts.push(Buffer.from(p.slice(at), 'utf8'));
  return Buffer.concat(parts);
}

/** A folder's entries with their names as text (nameText): read as bytes only when some name is not UTF-8. */
export function readDirNames(dir: string): Dirent[] {
  const entries = readdirSync(diskPath(dir), { withFileTypes: true }) as Dirent[];
  if (!entries.some((e) => e.name.includes('\uFFFD'))) return entries;
  const raw = readdirSync(diskPath(dir), { withFileTypes: true, encoding: 'buffer' });
  return raw.map((e) => Object.assign(e, { name: nameText(e.name as unknown as Buffer) }) as unknown as Dirent);
}
