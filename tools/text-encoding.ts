// The encoding of a text file, so that Read shows it and Edit and Write put it back byte for byte: UTF-8 (with or
// without a BOM), UTF-16 LE/BE with a BOM, and any other 8-bit file as Latin-1 (which maps every byte to one
// character and back, so bytes an edit does not touch never change). Imports no loop, session or UI.
import { isUtf8 } from 'node:buffer';

export type TextEncoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be' | 'latin1';

const NAMES: Record<TextEncoding, string> = {
  utf8: 'UTF-8',
  'utf8-bom': 'UTF-8 with a BOM',
  utf16le: 'UTF-16 LE',
  utf16be: 'UTF-16 BE',
  latin1: 'Latin-1 (8-bit)',
};
export const encodingName = (e: TextEncoding): string => NAMES[e];

/** The encoding a BOM announces, or undefined. */
export function bomEncoding(head: Uint8Array): TextEncoding | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8-bom';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  return undefined;
}

export function detectEncoding(buf: Buffer): TextEncoding {
  return bomEncoding(buf) ?? (isUtf8(buf) ? 'utf8' : 'latin1');
}

/** The text of a file's bytes (without its BOM), and the encoding to write it back in. */
export function decodeText(buf: Buffer): { text: string; encoding: TextEncoding } {
  const encoding = detectEncoding(buf);
  return { text: decodeAs(buf, encoding), encoding };
}

export function decodeAs(buf: Buffer, encoding: TextEncoding): string {
  switch (encoding) {
    case 'utf8':
      return buf.toString('utf8');
    case 'utf8-bom':
      return buf.subarray(3).toString('utf8');
    case 'utf16le':
      return buf.subarray(2).toString('utf16le');
    case 'utf16be':
      return Buffer.from(buf.subarray(2, buf.length - (buf.length % 2))).swap16().toString('utf16le');
    case 'latin1':
      return buf.toString('latin1');
  }
}

/** The bytes of `text` in `encoding` (BOM included), or the characters it cannot hold (Latin-1 only). */
export function encodeText(text: string, encoding: TextEncoding): { bytes: Buffer } | { unencodable: string } {
  switch (encoding) {
    case 'utf8':
      return { bytes: Buffer.from(text, 'utf8') };
    case 'utf8-bom':
      return { bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]) };
    case 'utf16le':
      return { bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) };
    case 'utf16be':
      return { bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]) };
    case 'latin1': {
      const outside = [...new Set(text.match(/[^\u0000-\u00ff]/gu) ?? [])];
      if (outside.length) return { unencodable: outside.slice(0, 5).join(' ') };
      return { bytes: Buffer.from(text, 'latin1') };
    }
  }
}

/** The refusal the model reads when an edit needs characters a Latin-1 file cannot hold. */
export const unencodableMessage = (shown: string, chars: string): string =>
  `${shown} is a Latin-1 (8-bit) file, and the new text has characters it cannot hold (${chars}); nothing was written. Use characters of Latin-1 only (e.g. ASCII), or convert the file to UTF-8 first (iconv -f latin1 -t utf-8).`;
