// The editor's files (ACP fs/read_text_file, fs/write_text_file) when it offers them: Read still does every check
// on disk (exists, text, permissions, "read before edit"), then shows the editor's buffer when it differs from the
// file, so the model sees unsaved changes. When the editor also offers writes, Write, Edit and MultiEdit start from
// its buffer and write through it (ToolContext.textFiles); permissions judged the same resolved path as always.
// The editor saving what the model knows (known-texts.ts) does not make the edit after it refuse.
import { readFile } from 'node:fs/promises';
import { MAX_OUTPUT_BYTES, READ_DEFAULT_LINES } from '../limits.ts';
import { resolveToolPath } from '../paths.ts';
import type { AnyToolDef, TextFiles, ToolContext, ToolSet } from '../tool.ts';
import { numberLine } from '../../tools/file-io.ts';
import { acceptKnownSave, knowTexts } from './known-texts.ts';

export interface ClientFiles {
  client: () => {
    request(method: 'fs/read_text_file', params: { sessionId: string; path: string }): Promise<{ content: string }>;
    request(method: 'fs/write_text_file', params: { sessionId: string; path: string; content: string }): Promise<unknown>;
  };
  read: boolean;
  write: boolean;
}

/** The tools that edit files: they get the editor's files in their context. */
const EDITING = new Set(['Write', 'Edit', 'MultiEdit']);

export function clientFileTools(tools: ToolSet, files: ClientFiles, sessionId: () => string): ToolSet {
  return {
    get names() {
      return tools.names;
    },
    get schemas() {
      return tools.schemas;
    },
    load: async () => {
      const editor = files.write ? editorTextFiles(files, sessionId) : undefined;
      return (await tools.load()).map((t) => (t.name === 'Read' ? readThroughClient(t, files, sessionId) : EDITING.has(t.name) ? editingThrough(t, editor) : t));
    },
  };
}

/** fs/read_text_file and fs/write_text_file as the tools' TextFiles. A buffer the editor cannot give is read from disk. */
function editorTextFiles(files: ClientFiles, sessionId: () => string): TextFiles {
  return {
    read: (abs) => files.client().request('fs/read_text_file', { sessionId: sessionId(), path: abs }).then((r) => r.content, () => undefined),
    write: async (abs, content) => {
      try {
        await files.client().request('fs/write_text_file', { sessionId: sessionId(), path: abs, content });
      } catch (err) {
        throw new Error(`The editor did not write ${abs}: ${err instanceof Error ? err.message : String(err)}. Nothing was changed.`);
      }
    },
  };
}

type Args = { file_path: string };

/**
 * An editing tool whose preview and run see (and write, when the editor writes) the editor's buffers. Before its
 * freshness check, a save by the editor of a text the model knows counts as read; after a change, the model knows
 * the file by what glm wrote through the editor and the buffer the editor then holds (its format-on-save), or, for a
 * change glm wrote to disk itself, by its mtime alone.
 */
function editingThrough(tool: AnyToolDef, editor: TextFiles | undefined): AnyToolDef {
  const accept = (args: Args, ctx: Pick<ToolContext, 'cwd' | 'state'>) => acceptKnownSave(ctx.state, resolveToolPath(ctx.cwd, args.file_path));
  return {
    ...tool,
    ...(tool.preview && { preview: async (args: Args, ctx) => (await accept(args, ctx), tool.preview!(args, { ...ctx, textFiles: editor })) }),
    execute: async (args: Args, ctx) => {
      await accept(args, ctx);
      const wrote: { abs?: string; texts: Array<string | undefined> } = { texts: [] };
      const textFiles: TextFiles | undefined = editor && {
        read: editor.read,
        write: async (abs, content) => {
          await editor.write(abs, content);
          Object.assign(wrote, { abs, texts: [content, await editor.read(abs)] });
        },
      };
      const result = await tool.execute(args, { ...ctx, textFiles });
      if (!result.isError) knowTexts(ctx.state, wrote.abs ?? resolveToolPath(ctx.cwd, args.file_path), wrote.texts);
      return result;
    },
  };
}

function readThroughClient(read: AnyToolDef, files: ClientFiles, sessionId: () => string): AnyToolDef {
  return {
    ...read,
    execute: async (args: { file_path: string; offset?: number; limit?: number }, ctx) => {
      const result = await read.execute(args, ctx);
      if (result.isError) return result;
      const abs = resolveToolPath(ctx.cwd, args.file_path); // the path Read and its permission check used
      const [bytes, buffer] = await Promise.all([
        readFile(abs).catch(() => undefined),
        files.client().request('fs/read_text_file', { sessionId: sessionId(), path: abs }).then((r) => r.content, () => undefined),
      ]);
      knowTexts(ctx.state, abs, [bytes, buffer]);
      if (buffer === undefined || buffer === bytes?.toString('utf8')) return result;
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
