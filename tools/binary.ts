// Tells text files from images and other binary files: by extension first, then by NUL bytes in the first 8 KB
// (a UTF-16 file with a BOM is text).
// Imports no loop, session or UI.
import type { FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import { openRegular } from './regular-file.ts';
import { bomEncoding } from './text-encoding.ts';

const IMAGE = new Set(['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp', 'ico', 'tif', 'tiff', 'avif', 'heic', 'psd']);
const BINARY = new Set([
  'pdf', 'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', '7z', 'rar', 'tar', 'jar', 'war', 'class', 'exe', 'dll', 'so',
  'dylib', 'o', 'a', 'lib', 'obj', 'wasm', 'pyc', 'pyo', 'bin', 'dat', 'db', 'sqlite', 'sqlite3', 'mp3', 'mp4',
  'm4a', 'wav', 'flac', 'ogg', 'mov', 'avi', 'mkv', 'webm', 'woff', 'woff2', 'ttf', 'otf', 'eot', 'node', 'dmg',
  'iso', 'deb', 'rpm', 'apk', 'ipa', 'parquet', 'npy', 'pkl', 'pt', 'onnx', 'safetensors', 'doc', 'docx', 'xls',
  'xlsx', 'ppt', 'pptx',
]);

const ext = (p: string): string => extname(p).slice(1).toLowerCase();

export type FileKind = 'text' | 'image' | 'binary';

export function kindByExtension(p: string): FileKind {
  const e = ext(p);
  if (IMAGE.has(e)) return 'image';
  if (BINARY.has(e)) return 'binary';
  return 'text';
}

export const hasNul = (buf: Uint8Array): boolean => buf.includes(0);

/** Reads at most the first 8 KB of a file (through `fh` when the caller has it open) and looks for NUL bytes. */
export async function looksBinary(abs: string, fh?: FileHandle): Promise<boolean> {
  const handle = fh ?? (await openRegular(abs));
  try {
    const buf = new Uint8Array(8192);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const bom = bomEncoding(buf);
    if (bom === 'utf16le' || bom === 'utf16be') return false; // its NUL bytes are the high halves of ASCII
    return hasNul(buf.subarray(0, bytesRead));
  } finally {
    if (!fh) await handle.close();
  }
}

export async function fileKind(abs: string, fh?: FileHandle): Promise<FileKind> {
  const byExt = kindByExtension(abs);
  if (byExt !== 'text') return byExt;
  return (await looksBinary(abs, fh)) ? 'binary' : 'text';
}
