// Reading through the editor (ACP fs/read_text_file) when it offers to: Read still does every check on disk
// (exists, text, permissions, "read before edit"), then shows the editor's buffer when it differs from the
// file, so the model sees unsaved changes. Writes go to disk as always; the editor reloads them.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_OUTPUT_BYTES, READ_DEFAULT_LINES } from '../limits.ts';
import type { AnyToolDef, ToolSet } from '../tool.ts';
import { numberLine } from '../../tools/file-io.ts';

export interface ClientFiles {
  client: () => { request(method: 'fs/read_text_file', params: { sessionId: string; path: string }): Promise<{ content: string }> };
  read: boolean;
  write: boolean;
}

export function clientFileTools(tools: ToolSet, files: ClientFiles, sessionId: () => string): ToolSet {
  return {
    get names() {
      return tools.names;
    },
    get schemas() {
      return tools.schemas;
    },
    load: async () => (await tools.load()).map((t) => (t.name === 'Read' ? readThroughClient(t, files, sessionId) : t)),
  };
}

function readThroughClient(read: AnyToolDef, files: ClientFiles, sessionId: () => string): AnyToolDef {
  return {
    ...read,
    execute: async (args: { file_path: string; offset?: number; limit?: number }, ctx) => {
      const result = await read.execute(args, ctx);
      if (result.isError) return result;
      const abs = path.resolve(ctx.cwd, args.file_path);
      const [disk, buffer] = await Promise.all([
        readFile(abs, 'utf8').catch(() => undefined),
        files.client().request('fs/read_text_file', { sessionId: sessionId(), path: abs }).then((r) => r.content, () => undefined),
      ]);
      if (buffer === undefined || buffer === disk) return result;
      return { output: renderWindow(buffer, args.offset, args.limit), display: { summary: 'unsaved editor buffer' } };
    },
  };
}

/** The buffer's lines as Read numbers them, with the same note when more lines follow. */
function renderWindow(text: string, offset = 1, limit = READ_DEFAULT_LINES): string {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const first = Math.max(1, offset);
  const shown: string[] = [];
  let bytes = 0;
  for (let n = first; n <= lines.length && shown.length < limit; n++) {
    const line = numberLine(n, lines[n - 1]!);
    bytes += Buffer.byteLength(line) + 1;
    if (bytes > MAX_OUTPUT_BYTES - 512) break;
    shown.push(line);
  }
  const last = first + shown.length - 1;
  const note = last < lines.length ? `\n\n(Showing lines ${first}–${last} of ${lines.length}. Use offset=${last + 1} to read more.)` : '';
  return `(The editor has unsaved changes to this file; this is its buffer.)\n${shown.join('\n')}${note}`;
}
