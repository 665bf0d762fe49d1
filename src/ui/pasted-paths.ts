// A paste that is only image file paths (a dragged file, a copied path): terminals paste them quoted ('a b.png'),
// with escaped spaces (a\ b.png), or as file:// URIs, one or several. Pure except for the check that each file
// exists; imports no ink/react. The REPL attaches such a paste as images instead of inserting the text.
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const IMAGE_NAME = /\.(png|jpe?g|gif|webp)$/i;

/** Whether glm sends this file as an image (by its name; the host checks the bytes). */
export const isImageName = (name: string): boolean => IMAGE_NAME.test(name);

/** Shell-like words: single and double quotes, backslash escapes; undefined when a quote is left open. */
function words(text: string): string[] | undefined {
  const out: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && /["\\$`]/.test(text[i + 1] ?? '')) word += text[++i]!;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i]!;
    } else if (/\s/.test(c)) {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) return undefined;
  if (word !== undefined) out.push(word);
  return out;
}

function toPath(word: string, cwd: string): string | undefined {
  let p = word;
  if (p.startsWith('file://')) {
    try {
      p = decodeURIComponent(new URL(p).pathname);
    } catch {
      return undefined;
    }
  }
  if (p === '~' || p.startsWith('~/')) p = path.join(os.homedir(), p.slice(1));
  return path.resolve(cwd, p);
}

const isFile = (p: string): boolean => statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;

/** The absolute paths when every word of `text` is an existing image file (at most 10), else undefined. */
export function pastedImagePaths(text: string, cwd: string): string[] | undefined {
  if (text.length > 10_000) return undefined; // a big paste is text: not worth splitting into words
  const list = words(text.trim());
  if (!list?.length || list.length > 10) return undefined;
  const paths: string[] = [];
  for (const word of list) {
    if (!isImageName(word)) return undefined;
    const p = toPath(word, cwd);
    if (!p || !isFile(p)) return undefined;
    paths.push(p);
  }
  return paths;
}
