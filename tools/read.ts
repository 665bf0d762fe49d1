// Read: numbered lines of a text file (cat -n style), a window at a time, or an image (read-image.ts);
// records the read for the read-before-write rule. Imports no loop, session or UI.
import type { FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { defineTool, type ToolContext, type ToolResult } from '../src/tool.ts';
import { MAX_LINE_CHARS, MAX_OUTPUT_BYTES, MAX_OUTPUT_LINES, READ_DEFAULT_LINES } from '../src/limits.ts';
import { renderTemplate } from '../src/template.ts';
import { fileKind } from './binary.ts';
import { readImage } from './read-image.ts';
import { displayPath, numberLine, resolvePath, statOrUndefined, titlePath } from './file-io.ts';
import { NotRegularFileError, notRegular, openRegular, specialKind } from './regular-file.ts';
import { bomEncoding, decodeText } from './text-encoding.ts';
import { didYouMean } from './suggest.ts';
import template from './read.md';

const schema = z.object({
  file_path: z.string().describe('Path of the file (absolute, or relative to the working directory)'),
  offset: z.number().int().optional().describe('Line number to start at (1-based). Use for long files'),
  limit: z.number().int().optional().describe(`Number of lines to read (default ${READ_DEFAULT_LINES})`),
});

/** Leaves room for the note line so Read's output never trips the loop's truncation. */
const MAX_SHOWN_LINES = Math.min(READ_DEFAULT_LINES, MAX_OUTPUT_LINES - 2);
const BYTE_BUDGET = MAX_OUTPUT_BYTES - 512;

interface Window {
  text: string[];
  firstLine: number;
  lastLine: number;
  total: number;
  cutByBytes: boolean;
}

/** Files up to this size are read whole to find their encoding; bigger ones stream as UTF-8 (or UTF-16 LE). */
const DETECT_MAX_BYTES = 64 * 1024 * 1024;

/** The file's text as a stream, decoded in its own encoding (text-encoding.ts), without a BOM. */
async function textStream(fh: FileHandle, size: number, signal: AbortSignal): Promise<Readable> {
  if (size <= DETECT_MAX_BYTES) return Readable.from([decodeText(await fh.readFile({ signal })).text]);
  const head = new Uint8Array(4);
  await fh.read(head, 0, 4, 0);
  const bom = bomEncoding(head);
  if (bom === 'utf16le') return fh.createReadStream({ encoding: 'utf16le', start: 2, autoClose: false, signal });
  return fh.createReadStream({ encoding: 'utf8', start: bom === 'utf8-bom' ? 3 : 0, autoClose: false, signal });
}

async function readWindow(fh: FileHandle, first: number, limit: number, signal: AbortSignal): Promise<Window> {
  const input = await textStream(fh, (await fh.stat()).size, signal);
  const rl = createInterface({ input, crlfDelay: Infinity });
  const text: string[] = [];
  let n = 0;
  let bytes = 0;
  let cutByBytes = false;
  for await (const line of rl) {
    n++;
    if (n < first || text.length >= limit || cutByBytes) continue;
    const shown = numberLine(n, line);
    const size = Buffer.byteLength(shown) + 1;
    if (bytes + size > BYTE_BUDGET) {
      cutByBytes = true;
      continue;
    }
    bytes += size;
    text.push(shown);
  }
  return { text, firstLine: first, lastLine: first + text.length - 1, total: n, cutByBytes };
}

export const readTool = defineTool({
  name: 'Read',
  kind: 'read',
  // Read-only: consecutive calls of one message run at the same time (their results keep the model's order).
  parallel: true,
  keep: 'head',
  description: renderTemplate(template, { lines: READ_DEFAULT_LINES, line_chars: MAX_LINE_CHARS }),
  schema,
  title: (a) => `Read ${titlePath(a.file_path)}`,
  target: (a) => a.file_path,
  async execute(args, ctx) {
    const abs = resolvePath(ctx.cwd, args.file_path);
    const shown = displayPath(abs, ctx.cwd);
    const st = await statOrUndefined(abs);
    if (!st) return { output: `File not found: ${shown}.${await didYouMean(abs, ctx.cwd, ctx.readDenied)}`, isError: true };
    if (st.isDirectory()) return { output: `${shown} is a directory, not a file. Use LS to list it.`, isError: true };
    const special = specialKind(st);
    if (special) return { output: notRegular(shown, special), isError: true };
    let fh: FileHandle;
    try {
      fh = await openRegular(abs);
    } catch (err) {
      if (err instanceof NotRegularFileError) return { output: notRegular(shown, err.kind), isError: true };
      throw err;
    }
    try {
      return await readOpen(fh, abs, shown, args, ctx);
    } finally {
      await fh.close();
    }
  },
});

async function readOpen(fh: FileHandle, abs: string, shown: string, args: z.infer<typeof schema>, ctx: ToolContext): Promise<ToolResult> {
  const st = await fh.stat();
  const kind = await fileKind(abs, fh);
  if (kind === 'image') {
    ctx.state.readFiles.set(abs, st.mtimeMs);
    return readImage(abs, shown);
  }
  if (kind === 'binary') {
    return { output: `${shown} is a binary file (${st.size} bytes); Read only shows text. Inspect it with Bash (e.g. file, xxd | head, unzip -l).`, isError: true };
  }
  ctx.state.readFiles.set(abs, st.mtimeMs);
  if (st.size === 0) return { output: `${shown} is empty (0 lines).`, display: { summary: 'empty' } };

  const first = Math.max(1, args.offset ?? 1);
  const limit = Math.max(1, Math.min(args.limit ?? READ_DEFAULT_LINES, MAX_SHOWN_LINES));
  const w = await readWindow(fh, first, limit, ctx.signal);
  if (w.text.length === 0) {
    return { output: `${shown} has ${w.total} lines; offset ${first} is past the end. Use an offset from 1 to ${w.total}.`, isError: true };
  }
  let output = w.text.join('\n');
  if (w.lastLine < w.total) {
    const why = w.cutByBytes ? ` (output size limit reached)` : '';
    output += `\n\n(Showing lines ${w.firstLine}–${w.lastLine} of ${w.total}${why}. Use offset=${w.lastLine + 1} to read more.)`;
  }
  // The tool line's title shows the path already.
  const whole = w.firstLine === 1 && w.lastLine === w.total;
  return { output, display: { summary: whole ? `${w.total} line${w.total === 1 ? '' : 's'}` : `lines ${w.firstLine}–${w.lastLine} of ${w.total}` } };
}
