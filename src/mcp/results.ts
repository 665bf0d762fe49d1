// An MCP tools/call result as the text the model reads: text, structuredContent (as JSON), resource links and
// embedded text resources; images, audio and binary resources as one placeholder line naming type and size (an
// image glm sends along, result-images.ts, says so). Pure: imports types only (the shapes are the protocol's,
// checked loosely: servers send what they send).
import type { ImageData } from '../types.ts';

type Json = Record<string, unknown>;

export interface McpCallResult {
  content?: unknown[];
  structuredContent?: unknown;
  isError?: boolean;
  /** Old servers (protocol 2024-10-07) answer with `toolResult`. */
  toolResult?: unknown;
}

/** Bytes of base64 data, without decoding it. */
const base64Bytes = (data: unknown) => (typeof data === 'string' ? Math.floor((data.replace(/=+$/, '').length * 3) / 4) : 0);

function sizeText(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function resourceText(r: Json): string {
  const uri = String(r.uri ?? '');
  if (typeof r.text === 'string') return `[resource ${uri}${r.mimeType ? ` (${String(r.mimeType)})` : ''}]\n${r.text}`;
  return `[binary resource ${uri}: ${String(r.mimeType ?? 'unknown type')}, ${sizeText(base64Bytes(r.blob))}; not shown]`;
}

/** Image blocks of a result, by block: the image glm sends to the model, or why it does not. */
export type SentImages = ReadonlyMap<unknown, ImageData | string>;

function mediaText(b: Json, sent: ImageData | string | undefined): string {
  const about = `${String(b.mimeType ?? 'unknown type')}, ${sizeText(base64Bytes(b.data))}`;
  if (typeof sent === 'object') return `[image: ${about}, ${sent.width}×${sent.height}; it follows in the next message as "${sent.name}"]`;
  if (b.type === 'image') return `[image: ${about}; not sent: ${sent ?? 'not a PNG, JPEG, GIF or WebP image glm could read'}]`;
  return `[${String(b.type)}: ${about}; glm does not pass ${String(b.type)} to the model]`;
}

/** One content block as text. */
export function contentText(block: unknown, sent?: SentImages): string {
  const b = (block ?? {}) as Json;
  switch (b.type) {
    case 'text':
      return String(b.text ?? '');
    case 'image':
    case 'audio':
      return mediaText(b, sent?.get(block));
    case 'resource_link': {
      const about = [b.title ?? b.name, b.mimeType, b.description].filter((x) => typeof x === 'string' && x).join(' · ');
      return `[resource link ${String(b.uri ?? '')}${about ? `: ${about}` : ''}]`;
    }
    case 'resource':
      return resourceText((b.resource ?? {}) as Json);
    default:
      return `[${String(b.type ?? 'unknown')} content; not shown]`;
  }
}

/** Whether some text block already holds this structured content as JSON (servers should send both). */
function alreadyInText(blocks: unknown[], structured: unknown): boolean {
  const want = JSON.stringify(structured);
  return blocks.some((b) => {
    const x = b as Json;
    if (x?.type !== 'text' || typeof x.text !== 'string') return false;
    try {
      return JSON.stringify(JSON.parse(x.text)) === want;
    } catch {
      return false;
    }
  });
}

/** The tool result: the output text and whether the server flagged it as an error. */
export function resultText(result: McpCallResult, sent?: SentImages): { output: string; isError: boolean } {
  if (result.toolResult !== undefined && result.content === undefined) {
    return { output: typeof result.toolResult === 'string' ? result.toolResult : JSON.stringify(result.toolResult), isError: false };
  }
  const blocks = Array.isArray(result.content) ? result.content : [];
  const parts = blocks.map((b) => contentText(b, sent));
  if (result.structuredContent !== undefined && !alreadyInText(blocks, result.structuredContent)) parts.push(JSON.stringify(result.structuredContent, null, 2));
  const output = parts.join('\n\n').trim();
  return { output: output || (result.isError ? 'The tool failed and said nothing more.' : '(no output)'), isError: result.isError === true };
}
