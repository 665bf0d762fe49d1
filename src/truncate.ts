// The one truncate-and-spill rule for tool output: too many lines or bytes → keep the head (reads) or the tail
// (commands), cut very long lines, and save the full text to a file the model is told about.
// Imports only limits.ts and node built-ins.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MAX_LINE_CHARS, MAX_OUTPUT_BYTES, MAX_OUTPUT_LINES } from './limits.ts';

export interface TruncateResult {
  text: string;
  truncated: boolean;
  spillPath?: string;
}

/** Room kept for the note line so the result itself stays within the limits. */
const NOTE_RESERVE_BYTES = 512;

/** Cuts a line to at most `max` characters, saying how much was dropped. Lines within the limit are returned as is. */
export function cutLine(line: string, max = MAX_LINE_CHARS): string {
  if (line.length <= max) return line;
  const marker = ` … [line cut, ${line.length - max} more chars]`;
  return line.slice(0, Math.max(0, max - marker.length)) + marker;
}

function overLimits(text: string, lines: string[]): boolean {
  if (lines.length > MAX_OUTPUT_LINES) return true;
  if (Buffer.byteLength(text) > MAX_OUTPUT_BYTES) return true;
  return lines.some((l) => l.length > MAX_LINE_CHARS);
}

function spill(text: string, spillDir: string): string | undefined {
  try {
    mkdirSync(spillDir, { recursive: true });
    const file = join(spillDir, `output-${Date.now()}-${randomBytes(4).toString('hex')}.txt`);
    writeFileSync(file, text, { flag: 'wx' });
    return file;
  } catch {
    return undefined;
  }
}

/** Picks whole lines from one end until the line or byte budget is used up. */
function pick(lines: string[], keep: 'head' | 'tail'): string[] {
  const budget = MAX_OUTPUT_BYTES - NOTE_RESERVE_BYTES;
  const maxLines = MAX_OUTPUT_LINES - 1;
  const kept: string[] = [];
  let bytes = 0;
  for (let i = 0; i < lines.length && kept.length < maxLines; i++) {
    const line = cutLine(lines[keep === 'head' ? i : lines.length - 1 - i]!);
    const size = Buffer.byteLength(line) + 1;
    if (bytes + size > budget) break;
    bytes += size;
    kept.push(line);
  }
  return keep === 'head' ? kept : kept.reverse();
}

export function truncateOutput(text: string, keep: 'head' | 'tail', spillDir: string): TruncateResult {
  const lines = text.split('\n');
  if (!overLimits(text, lines)) return { text, truncated: false };

  const kept = pick(lines, keep);
  const spillPath = spill(text, spillDir);
  const total = lines.length;
  const shown = keep === 'head' ? `lines 1–${kept.length}` : `the last ${kept.length} lines`;
  const where = spillPath
    ? `Full output (${total} lines) saved to ${spillPath}; read parts of it with Read (offset/limit) or search it with Grep.`
    : `The full output (${total} lines) could not be saved.`;
  const note = `[Output truncated: showing ${shown} of ${total}, long lines cut. ${where}]`;
  const body = kept.join('\n');
  return { text: keep === 'head' ? `${body}\n${note}` : `${note}\n${body}`, truncated: true, spillPath };
}
