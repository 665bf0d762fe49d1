// `@path` mentions: on submit, each mentioned file's content (or a folder's listing) is attached to the
// message so the model need not read it first. Reads files only; imports no ink/react and no agent code.
import { realpathSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { MAX_OUTPUT_BYTES, MAX_OUTPUT_LINES } from '../limits.ts';

const MENTION = /(?:^|\s)@((?:[^\s\\]|\\ )+)/g;
const MAX_ATTACHMENTS = 10;

export function mentionedPaths(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(MENTION)) {
    const p = m[1]!.replace(/\\ /g, ' ').replace(/[.,;:!?)]+$/, '');
    if (p) found.add(p);
  }
  return [...found].slice(0, MAX_ATTACHMENTS);
}

/** Whether a Read deny rule hides this absolute path (the permission layer's, injected by the host). */
export type ReadDenied = (abs: string) => boolean;

const inside = (dir: string, abs: string): boolean => {
  const rel = path.relative(dir, abs);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
};

/**
 * Whether a mentioned path may be attached: inside `cwd` as written and really (a repository can ship a
 * harmless-looking symlink to ~/.ssh/id_rsa), and neither path hidden by a Read deny rule. Missing: no.
 */
function attachable(abs: string, cwd: string, denied?: ReadDenied): boolean {
  if (!inside(cwd, abs)) return false;
  let real: string;
  let realCwd: string;
  try {
    real = realpathSync.native(abs);
    realCwd = realpathSync.native(cwd);
  } catch {
    return false;
  }
  return inside(realCwd, real) && !denied?.(abs) && !denied?.(real);
}

/** Mentioned paths inside `cwd` (absolute), for those a caller handles itself (images). */
export function mentionedInside(text: string, cwd: string, keep: (p: string) => boolean, denied?: ReadDenied): string[] {
  return mentionedPaths(text)
    .filter(keep)
    .map((p) => path.resolve(cwd, p))
    .filter((abs) => attachable(abs, cwd, denied));
}

/** The message with an attachment per mentioned file or folder that exists inside `cwd` (but those `skip` names). */
export async function expandMentions(text: string, cwd: string, skip: (p: string) => boolean = () => false, denied?: ReadDenied): Promise<string> {
  const blocks: string[] = [];
  for (const p of mentionedPaths(text).filter((m) => !skip(m))) {
    const block = await attachment(p, cwd, denied);
    if (block) blocks.push(block);
  }
  return blocks.length ? `${text}\n\n${blocks.join('\n\n')}` : text;
}

async function attachment(p: string, cwd: string, denied?: ReadDenied): Promise<string | undefined> {
  const abs = path.resolve(cwd, p);
  const rel = path.relative(cwd, abs);
  if (!attachable(abs, cwd, denied)) return undefined;
  const info = await stat(abs).catch(() => undefined);
  if (!info) return undefined;
  if (info.isDirectory()) {
    const entries = await readdir(abs, { withFileTypes: true });
    const names = entries.slice(0, 200).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
    return `<folder path="${rel}/">\n${names.join('\n')}\n</folder>`;
  }
  if (!info.isFile()) return undefined;
  const buf = await readFile(abs);
  if (buf.subarray(0, 8000).includes(0)) return `<file path="${rel}">(binary file, ${info.size} bytes, not attached)</file>`;
  let content = buf.subarray(0, MAX_OUTPUT_BYTES).toString('utf8');
  const lines = content.split('\n');
  let note = '';
  if (buf.length > MAX_OUTPUT_BYTES || lines.length > MAX_OUTPUT_LINES) {
    content = lines.slice(0, MAX_OUTPUT_LINES).join('\n');
    note = `\n(truncated: the file has ${info.size} bytes; use Read with an offset for the rest)`;
  }
  return `<file path="${rel}">\n${content}${content.endsWith('\n') ? '' : '\n'}</file>${note}`;
}
