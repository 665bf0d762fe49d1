// stream-json input: NDJSON lines on stdin, handled as they arrive (the Agent SDK closes stdin only after it has
// seen a result, so nothing may wait for the end). Turns a `user` line's content (a string, or text and image
// blocks) into the prompt text and the images' base64 data glm sends. Pure apart from reading the stream it is given.
import type { ReceivedImage } from '../received-images.ts';
import { isObject } from './control.ts';

export type InputLine = Record<string, unknown> & { type: string };

/**
 * Calls `onLine` with each JSON object line, `onBadLine` with a one-line complaint for anything else, then
 * resolves once the stream ends. Blank lines are skipped.
 */
export async function readLines(stream: NodeJS.ReadableStream, onLine: (line: InputLine) => void, onBadLine: (problem: string) => void): Promise<void> {
  // node:readline only now: a -p run without --input-format stream-json never loads it (test/e2e/lazy-loads.test.ts).
  const { createInterface } = process.getBuiltinModule('node:readline');
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n++;
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      onBadLine(`stdin line ${n} is not JSON; with --input-format stream-json every line is one JSON message`);
      continue;
    }
    if (!isObject(value) || typeof value.type !== 'string') {
      onBadLine(`stdin line ${n} has no "type"; expected a user, control_request, control_response or keep_alive message`);
      continue;
    }
    onLine(value as InputLine);
  }
}

export interface UserPrompt {
  text: string;
  /** The prompt's image blocks in order: base64 data, or the address of a URL source (which glm refuses). */
  images: ReceivedImage[];
}

/** The prompt of a `user` line: `message.content` as a string, or its text blocks joined and its image blocks. */
export function userPrompt(line: InputLine): UserPrompt | undefined {
  const message = line.message;
  if (!isObject(message)) return undefined;
  const content = message.content;
  if (typeof content === 'string') return { text: content, images: [] };
  if (!Array.isArray(content)) return undefined;
  const texts: string[] = [];
  const images: ReceivedImage[] = [];
  for (const block of content) {
    if (!isObject(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
    else if (block.type === 'image') {
      const source = block.source;
      if (isObject(source) && source.type === 'base64' && typeof source.data === 'string' && source.data) images.push({ data: source.data });
      else images.push({ url: isObject(source) && typeof source.url === 'string' ? source.url : '(no data)' });
    }
  }
  return { text: texts.join('\n\n'), images };
}
