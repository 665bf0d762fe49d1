// Fits a diff into the model's context: files are packed into parts under a character budget; a file too big for
// one part is split at hunk boundaries, and a hunk too big is split into line ranges, each piece labelled so
// nothing is ever cut silently. Pure functions; imports only the diff types.
import type { FileDiff } from './diff.ts';

export interface Chunk {
  /** Paths whose diff (or part of it) is in this chunk. */
  files: string[];
  text: string;
}

/** Characters of diff per review request: ~40% of the context window at ~3 characters a token, at most 150k. */
export function diffBudget(contextWindowTokens: number): number {
  return Math.max(8_000, Math.min(150_000, Math.floor(contextWindowTokens * 3 * 0.4)));
}

interface Piece {
  file: string;
  text: string;
}

/** Packs every file's diff into chunks of at most `budget` characters (a piece is never larger than the budget). */
export function planChunks(files: FileDiff[], budget: number): Chunk[] {
  const pieces = files.flatMap((f) => (f.patch.length <= budget ? [{ file: f.path, text: f.patch }] : splitFile(f, budget)));
  const chunks: Chunk[] = [];
  let current: Chunk | undefined;
  for (const piece of pieces) {
    if (!current || current.text.length + piece.text.length > budget) {
      current = { files: [], text: '' };
      chunks.push(current);
    }
    if (!current.files.includes(piece.file)) current.files.push(piece.file);
    current.text += piece.text.endsWith('\n') ? piece.text : piece.text + '\n';
  }
  return chunks;
}

/** A file's diff in labelled parts: whole hunks where they fit, line ranges of a hunk where one does not. */
export function splitFile(file: FileDiff, budget: number): Piece[] {
  const lines = file.patch.replace(/\n+$/, '').split('\n');
  const firstHunk = lines.findIndex((l) => l.startsWith('@@'));
  const header = (firstHunk < 0 ? lines : lines.slice(0, firstHunk)).join('\n') + '\n';
  const hunks = firstHunk < 0 ? [] : splitHunks(lines.slice(firstHunk));
  const labelRoom = 120 + file.path.length;
  const room = Math.max(200, budget - header.length - labelRoom);
  const bodies: string[] = [];
  let body = '';
  for (const hunk of hunks.flatMap((h) => (h.length <= room ? [h] : splitHunk(h, room)))) {
    if (body && body.length + hunk.length > room) {
      bodies.push(body);
      body = '';
    }
    body += hunk;
  }
  if (body || bodies.length === 0) bodies.push(body);
  return bodies.map((b, i) => ({
    file: file.path,
    text: `[glm: part ${i + 1} of ${bodies.length} of the diff of ${file.path}]\n${header}${b}`,
  }));
}

function splitHunks(lines: string[]): string[] {
  const hunks: string[] = [];
  for (const line of lines) {
    if (line.startsWith('@@') || hunks.length === 0) hunks.push('');
    hunks[hunks.length - 1] += line + '\n';
  }
  return hunks.filter((h) => h.trim() !== '');
}

/**
 * A hunk bigger than the room: slices of whole lines, each a valid hunk with its own `@@` header (so line numbers
 * stay exact) and a note saying it is one slice of a split hunk.
 */
function splitHunk(hunk: string, room: number): string[] {
  const [head = '', ...rest] = hunk.replace(/\n+$/, '').split('\n');
  const m = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/.exec(head);
  let oldLine = m ? Number(m[1]) : 1;
  let newLine = m ? Number(m[2]) : 1;
  const context = m?.[3] ?? '';
  const slices: string[][] = [[]];
  let size = 0;
  for (const line of rest) {
    // A single line longer than the room is cut into labelled pieces rather than dropped.
    for (const part of line.length > room - 200 ? cutLine(line, room - 200) : [line]) {
      if (slices.at(-1)!.length && size + part.length + 1 > room - 160) {
        slices.push([]);
        size = 0;
      }
      slices.at(-1)!.push(part);
      size += part.length + 1;
    }
  }
  return slices.map((slice, i) => {
    const olds = slice.filter((l) => l[0] === ' ' || l[0] === '-').length;
    const news = slice.filter((l) => l[0] === ' ' || l[0] === '+').length;
    const text = `@@ -${oldLine},${olds} +${newLine},${news} @@${context}\n[glm: slice ${i + 1} of ${slices.length} of a hunk too large to show at once]\n${slice.join('\n')}\n`;
    oldLine += olds;
    newLine += news;
    return text;
  });
}

function cutLine(line: string, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < line.length; i += width) out.push((i ? line[0] + '[glm: line continues] ' : '') + line.slice(i, i + width));
  return out;
}
