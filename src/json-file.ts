// Reading a JSON object from a settings-like file or text: a missing file is undefined; anything else wrong is one
// line naming where (a syntax error by line and column, never the text). Imports node:fs only.
import { readFileSync } from 'node:fs';

/**
 * A file's JSON object; undefined when the file does not exist. Anything else wrong is one `fail` line naming the
 * file (a syntax error by line and column: the text could hold a secret); `example` shows the shape it wants.
 */
export function readJsonObjectFile(file: string, fail: (message: string) => Error, example: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw fail(`Cannot read ${file} (${code ?? 'unknown error'}): fix its permissions or remove it`);
  }
  return parseJsonObject(text, file, fail, example);
}

/** A JSON text that must hold an object; `where` names it in the message (a file, or --mcp-config). */
export function parseJsonObject(raw: string, where: string, fail: (message: string) => Error, example: string): Record<string, unknown> {
  const text = raw.replace(/^\uFEFF/, '');
  if (text.trim() === '') return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // JSON.parse messages can quote the file's text (and so a key); report only the position.
    const offset = jsonErrorOffset(text);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const what = offset >= text.length ? 'unexpected end of file' : 'unexpected character';
    throw fail(
      `Invalid JSON in ${where} at line ${line}, column ${column} (${what}): fix it (JSON allows no comments or trailing commas)`,
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw fail(`${where} must hold a JSON object, like ${example}`);
  }
  return data as Record<string, unknown>;
}

/** Offset of the first JSON syntax error in `text` (text.length when it ends too early). */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const expect = (c: string) => {
    ws();
    if (text[i] !== c) throw i;
    i++;
  };
  const str = () => {
    expect('"');
    for (; i < text.length; i++) {
      if (text[i] === '"') return void i++;
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) throw i;
    }
    throw i;
  };
  const value = (): void => {
    ws();
    const open = text[i];
    if (open === '"') return str();
    if (open === '{' || open === '[') {
      const close = open === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (open === '{') {
          str();
          expect(':');
        }
        value();
        ws();
        if (text[i] === close) return void i++;
        expect(',');
        ws();
      }
    }
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (!m) throw i;
    i += m[0].length;
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, text.length);
    throw at;
  }
}
