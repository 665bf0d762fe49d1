// Recovers GLM tool calls written as text by servers without the right tool parser (GLM-4.5/4.6, 4.7+, 5.3-Flash
// JSON form, GLM-4-0414), including call markup leaked into reasoning (formats: ../shared/glm-protocol.md §7.2, §7.8).
// Pure functions; imports only ../types.ts and ./repair-arguments.ts, never the client, the loop or the UI.
//
// Content rules: text outside calls is content, including text between and after calls (vLLM drops text between
// calls in non-streaming mode but streams it; we keep it in both so they agree). Whitespace-only content is ''.
// A call to a tool that was not declared is dropped with its markup (as SGLang does). A `<tool_call>` that never
// closes is not a call: `parseRawToolCalls` keeps it in content; the stream scanner reports it as `unterminated`.

import type { ToolSchema } from '../types.ts';
import { repairArguments, typeArgValue } from './repair-arguments.ts';

export interface TextToolCall {
  name: string;
  /** Compact JSON object text. `{}` when `invalid` is set. */
  arguments: string;
  /** JSON-form arguments that could not be repaired: what the model sent and why it failed. */
  invalid?: { raw: string; error: string };
}

const TC_OPEN = '<tool_call>';
const TC_CLOSE = '</tool_call>';
const AK_OPEN = '<arg_key>';
const AK_CLOSE = '</arg_key>';
const AV_OPEN = '<arg_value>';
const AV_CLOSE = '</arg_value>';
/** A "name" longer than this is prose after a literal `<tool_call>`, not a call. */
const MAX_NAME = 256;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function partialSuffix(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) if (text.endsWith(tag.slice(0, n))) return n;
  return 0;
}

function skipWs(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** Declared tool for a written name: exact, then a `/`-separated part (GLM-5.3-Flash `Ns/name`), then any case. */
function resolveTool(rawName: string, tools: ToolSchema[]): ToolSchema | undefined {
  const name = rawName.trim();
  if (!name) return undefined;
  const exact = tools.find((t) => t.name === name);
  if (exact) return exact;
  const parts = name.split('/').map((p) => p.trim()).reverse();
  for (const part of parts.length > 1 ? parts : []) {
    const tool = tools.find((t) => t.name === part);
    if (tool) return tool;
  }
  const lower = name.toLowerCase();
  return tools.find((t) => t.name.toLowerCase() === lower);
}

function tagCall(rawName: string, pairs: [string, string][], tools: ToolSchema[]): TextToolCall | undefined {
  const tool = resolveTool(rawName, tools);
  if (!tool) return undefined;
  const properties = isObject(tool.parameters.properties) ? tool.parameters.properties : {};
  const args = Object.fromEntries(pairs.map(([key, value]) => [key, typeArgValue(value, properties[key])]));
  return { name: tool.name, arguments: JSON.stringify(args) };
}

function jsonCall(rawName: string, jsonText: string, tools: ToolSchema[]): TextToolCall | undefined {
  const tool = resolveTool(rawName, tools);
  if (!tool) return undefined;
  const result = repairArguments(jsonText);
  if ('error' in result) return { name: tool.name, arguments: '{}', invalid: { raw: jsonText, error: result.error } };
  return { name: tool.name, arguments: JSON.stringify(JSON.parse(result.json)) };
}

// ---- Scanning one call that starts at index 0 of `buf` (which begins with `<tool_call>`) ----

interface Header {
  name: string;
  form: 'tags' | 'json';
  /** Where the argument part starts (for JSON, the `{`). */
  body: number;
}

type HeaderResult = Header | 'wait' | 'not-a-call';

function readHeader(buf: string, final: boolean): HeaderResult {
  const start = TC_OPEN.length;
  let i = start;
  while (i < buf.length && i - start <= MAX_NAME && !'\n<>'.includes(buf[i]!)) i++;
  if (i - start > MAX_NAME) return 'not-a-call';
  if (i >= buf.length) return final ? { name: buf.slice(start), form: 'tags', body: buf.length } : 'wait';
  const name = buf.slice(start, i);
  if (buf[i] === '>') return { name, form: 'json', body: skipWs(buf, i + 1) };
  if (buf[i] === '\n') {
    const j = skipWs(buf, i);
    if (j >= buf.length && !final) return 'wait';
    if (buf[j] === '{') return { name, form: 'json', body: j };
  }
  return { name, form: 'tags', body: i };
}

/** `inValue`: stopped inside an `<arg_value>`, so nothing can complete before an `</arg_value>` arrives. */
type Scan = { kind: 'partial'; inValue?: boolean } | { kind: 'malformed' } | { kind: 'done'; end: number; call?: TextToolCall };

/** Strict structural scan of the tag form: pairs, then `</tool_call>`. Values may contain any text but `</arg_value>`. */
function scanTags(buf: string, header: Header, tools: ToolSchema[]): Scan {
  const pairs: [string, string][] = [];
  let pos = header.body;
  for (;;) {
    pos = skipWs(buf, pos);
    if (buf.startsWith(TC_CLOSE, pos)) return { kind: 'done', end: pos + TC_CLOSE.length, call: tagCall(header.name, pairs, tools) };
    if (buf.startsWith(AK_OPEN, pos)) {
      const keyEnd = buf.indexOf(AK_CLOSE, pos);
      if (keyEnd < 0) return buf.includes(TC_CLOSE, pos) ? { kind: 'malformed' } : { kind: 'partial' };
      const valueOpen = skipWs(buf, keyEnd + AK_CLOSE.length);
      const rest = buf.slice(valueOpen, valueOpen + AV_OPEN.length);
      if (!buf.startsWith(AV_OPEN, valueOpen)) return AV_OPEN.startsWith(rest) ? { kind: 'partial' } : { kind: 'malformed' };
      const valueEnd = buf.indexOf(AV_CLOSE, valueOpen + AV_OPEN.length);
      if (valueEnd < 0) return { kind: 'partial', inValue: true };
      pairs.push([buf.slice(pos + AK_OPEN.length, keyEnd).trim(), buf.slice(valueOpen + AV_OPEN.length, valueEnd)]);
      pos = valueEnd + AV_CLOSE.length;
      continue;
    }
    const rest = buf.slice(pos, pos + TC_CLOSE.length);
    return TC_CLOSE.startsWith(rest) || AK_OPEN.startsWith(rest) ? { kind: 'partial' } : { kind: 'malformed' };
  }
}

/** Chunk-fed scan for the end of a JSON object, so a long JSON-form call is read once however it is split. */
interface ObjectScan {
  depth: number;
  inString: boolean;
  escaped: boolean;
  /** Characters fed so far. */
  seen: number;
  /** Offset just past the closing `}` (from the `{`); -1 not closed yet; -2 not an object. */
  end: number;
}

const newObjectScan = (): ObjectScan => ({ depth: 0, inString: false, escaped: false, seen: 0, end: -1 });

/** Feeds the next piece of text; the first piece starts at the `{`. */
function feedObjectScan(scan: ObjectScan, chunk: string): void {
  for (let i = 0; i < chunk.length && scan.end === -1; i++) {
    const ch = chunk[i];
    if (scan.escaped) scan.escaped = false;
    else if (scan.inString) {
      if (ch === '\\') scan.escaped = true;
      else if (ch === '"') scan.inString = false;
    } else if (ch === '"') scan.inString = true;
    else if (ch === '{' || ch === '[') scan.depth++;
    else if (ch === '}' || ch === ']') {
      scan.depth--;
      if (scan.depth <= 0) scan.end = scan.depth === 0 && ch === '}' ? scan.seen + i + 1 : -2;
    }
  }
  scan.seen += chunk.length;
}

/** Index just past the `}` that closes the object at `start`; -1 if not closed yet; -2 if not an object. */
export function objectEnd(text: string, start: number): number {
  const scan = newObjectScan();
  feedObjectScan(scan, text.slice(start));
  return scan.end < 0 ? scan.end : start + scan.end;
}

/**
 * JSON form (GLM-5.3-Flash, as SGLang reads it): after `name>` the arguments run, past a balanced `{…}`, to the next
 * `</tool_call>` (consumed) or `<tool_call>`. With neither by the end of the text, the call ends with the object and
 * what follows is content. Arguments go through repairArguments.
 */
function scanJson(buf: string, header: Header, tools: ToolSchema[], final: boolean): Scan {
  const start = skipWs(buf, header.body); // whitespace after `name>` may have arrived after the header was read
  if (start >= buf.length) return { kind: 'partial' };
  if (buf[start] !== '{') return { kind: 'malformed' };
  const objectClose = objectEnd(buf, start);
  if (objectClose === -2) return { kind: 'malformed' };
  if (objectClose < 0) return { kind: 'partial' };
  const close = buf.indexOf(TC_CLOSE, objectClose);
  const next = buf.indexOf(TC_OPEN, objectClose);
  const done = (argsEnd: number, end: number): Scan => ({ kind: 'done', end, call: jsonCall(header.name, buf.slice(start, argsEnd), tools) });
  if (close >= 0 && (next < 0 || close < next)) return done(close, close + TC_CLOSE.length);
  if (next >= 0) return done(next, next);
  return final ? done(objectClose, objectClose) : { kind: 'partial' };
}

/** Lenient parse of a closed block whose inside broke the strict grammar (missing `</arg_value>`, stray text). */
function lenientBlock(inner: string, tools: ToolSchema[]): TextToolCall | undefined {
  const header = readHeader(TC_OPEN + inner, true);
  if (typeof header === 'string') return undefined;
  if (header.form === 'json') {
    const text = inner.slice(header.body - TC_OPEN.length).trim();
    return text ? jsonCall(header.name, text, tools) : undefined;
  }
  const pairs: [string, string][] = [];
  const pair = /<arg_key>([\s\S]*?)(?:<\/arg_key>)?\s*<arg_value>([\s\S]*?)(?:<\/arg_value>|(?=<arg_key>)|$)/g;
  for (const m of inner.matchAll(pair)) pairs.push([m[1]!.trim(), m[2]!]);
  return tagCall(header.name, pairs, tools);
}

// ---- Streaming scanner ----

export interface RawToolCallScanner {
  /** Feeds content text; returns the content that is safe to show (never call markup or a partial `<tool_call>`). */
  push(delta: string): { content: string };
  /**
   * Flushes. `calls` are all calls found, in order. `unterminated` is a `<tool_call>…` that never closed
   * (e.g. the output hit the token limit); it is not part of `content`, the caller decides what to do with it.
   */
  end(): { content: string; calls: TextToolCall[]; unterminated?: string };
}

export function createRawToolCallScanner(tools: ToolSchema[]): RawToolCallScanner {
  const calls: TextToolCall[] = [];
  /** Outside a call: text held back (a possible partial `<tool_call>`). Inside: the call's text so far. */
  let buf = '';
  /** Inside a call: pieces pushed since `buf` was last joined (joining on every push would be O(n²)). */
  let fresh: string[] = [];
  let inCall = false;
  let header: Header | undefined;
  /** Tag form: the closing tag that could complete the call, and the end of the text already searched for it. */
  let waitFor = TC_CLOSE;
  let carry = '';
  /** JSON form: where the object ends, found incrementally; after it, the window looks for a call tag. */
  let object: ObjectScan | undefined;

  function callText(): string {
    if (fresh.length > 0) {
      buf += fresh.join('');
      fresh = [];
    }
    return buf;
  }

  /** Cheap check of the new text only, before a full scan of the call. */
  function worthScanning(newText: string): boolean {
    const window = carry + newText;
    carry = window.slice(-(TC_CLOSE.length - 1));
    if (header!.form === 'tags') return window.includes(waitFor);
    if (object && object.end !== -1) return window.includes(TC_CLOSE) || window.includes(TC_OPEN);
    object ??= newObjectScan();
    feedObjectScan(object, newText);
    return object.end !== -1; // the object just closed: scan (its closing tag may be in this same text)
  }

  /** The call at the start of the call text: consumed (true), waiting for more (false), or not a call. */
  function takeCall(final: boolean, delta: string): boolean | 'not-a-call' {
    let newText = delta;
    if (!header) {
      const read = readHeader(callText(), final);
      if (read === 'wait' || read === 'not-a-call') return read === 'wait' ? false : read;
      header = read;
      newText = buf.slice(header.body); // first check covers everything after the name
    }
    if (!final && !worthScanning(newText)) return false;
    const text = callText();
    let scan = header.form === 'json' ? scanJson(text, header, tools, final) : scanTags(text, header, tools);
    if (scan.kind === 'malformed' || (scan.kind === 'partial' && final)) {
      const close = text.indexOf(TC_CLOSE, TC_OPEN.length);
      if (close >= 0) scan = { kind: 'done', end: close + TC_CLOSE.length, call: lenientBlock(text.slice(TC_OPEN.length, close), tools) };
    }
    if (scan.kind !== 'done') {
      waitFor = scan.kind === 'partial' && scan.inValue ? AV_CLOSE : TC_CLOSE;
      return false;
    }
    if (scan.call) calls.push(scan.call);
    buf = text.slice(scan.end);
    inCall = false;
    return true;
  }

  function drain(final: boolean, delta: string): string {
    let content = '';
    for (;;) {
      if (!inCall) {
        const open = buf.indexOf(TC_OPEN);
        if (open < 0) {
          const keep = final ? 0 : partialSuffix(buf, TC_OPEN);
          content += buf.slice(0, buf.length - keep);
          buf = buf.slice(buf.length - keep);
          return content;
        }
        content += buf.slice(0, open);
        buf = buf.slice(open);
        inCall = true;
        header = undefined;
        object = undefined;
        waitFor = TC_CLOSE;
        carry = '';
      }
      const taken = takeCall(final, delta);
      if (taken === 'not-a-call') {
        content += TC_OPEN; // a literal `<tool_call>` followed by prose: keep the text
        buf = callText().slice(TC_OPEN.length);
        inCall = false;
      } else if (!taken) return content;
    }
  }

  return {
    push(delta) {
      if (inCall) fresh.push(delta);
      else buf += delta;
      return { content: drain(false, delta) };
    },
    end() {
      const content = drain(true, '');
      const unterminated = inCall ? callText() : undefined;
      buf = '';
      inCall = false;
      return unterminated === undefined ? { content, calls: [...calls] } : { content, calls: [...calls], unterminated };
    },
  };
}

/** Whole-text parse. An unterminated `<tool_call>` stays in `content`; whitespace-only content becomes ''. */
export function parseRawToolCalls(text: string, tools: ToolSchema[]): { content: string; calls: TextToolCall[] } {
  const scanner = createRawToolCallScanner(tools);
  const first = scanner.push(text).content;
  const last = scanner.end();
  const content = first + last.content + (last.unterminated ?? '');
  return { content: content.trim() === '' ? '' : content, calls: last.calls };
}

/**
 * GLM-4-0414 / GLM-Z1 calls: the whole text is a declared tool name on the first line and a JSON object after it
 * (a trailing `<|observation|>` is ignored). Undefined for anything else, so plain answers are never taken as calls.
 */
export function parseLegacyGlm4Call(text: string, tools: ToolSchema[]): TextToolCall | undefined {
  const trimmed = text.trim().replace(/<\|observation\|>$/, '').trim();
  const newline = trimmed.indexOf('\n');
  if (newline < 0) return undefined;
  const tool = tools.find((t) => t.name === trimmed.slice(0, newline).trim());
  const rest = trimmed.slice(newline + 1).trim();
  if (!tool || !rest.startsWith('{')) return undefined;
  const result = repairArguments(rest);
  if ('error' in result) return undefined;
  return { name: tool.name, arguments: JSON.stringify(JSON.parse(result.json)) };
}

/**
 * Calls that leaked into reasoning text: whole `<tool_call>…</tool_call>` blocks, and bodies whose `<tool_call>`
 * special token was stripped (`bash<arg_key>command</arg_key><arg_value>ls</arg_value></tool_call>`, vLLM
 * test_glm45_fix). A headless body counts only if its name is a declared tool standing at the start of the text,
 * a line or a tag. Returns the reasoning without the recovered markup, and the calls in order.
 */
export function recoverCallsFromReasoning(reasoning: string, tools: ToolSchema[]): { reasoning: string; calls: TextToolCall[] } {
  const calls: TextToolCall[] = [];
  let kept = '';
  let pos = 0;
  while (pos < reasoning.length) {
    const open = reasoning.indexOf(TC_OPEN, pos);
    const close = reasoning.indexOf(TC_CLOSE, pos);
    if (open < 0 && close < 0) break;
    if (open >= 0 && (close < 0 || open < close)) {
      const end = nextCallEnd(reasoning, open);
      const scanner = createRawToolCallScanner(tools);
      scanner.push(reasoning.slice(open, end));
      const result = scanner.end();
      if (result.unterminated !== undefined || result.content.trim() !== '') break;
      kept += reasoning.slice(pos, open);
      calls.push(...result.calls);
      pos = end;
      continue;
    }
    const headless = headlessCall(reasoning, pos, close, tools);
    kept += reasoning.slice(pos, headless ? headless.start : close + TC_CLOSE.length);
    if (headless) calls.push(headless.call);
    pos = close + TC_CLOSE.length;
  }
  kept += reasoning.slice(pos);
  return { reasoning: calls.length > 0 ? kept.trimEnd() : reasoning, calls };
}

/** End of the call block opened at `open`: past its `</tool_call>` (structurally, so values may contain one). */
function nextCallEnd(text: string, open: number): number {
  const buf = text.slice(open);
  const header = readHeader(buf, true);
  if (typeof header !== 'string') {
    const scan = header.form === 'json' ? scanJson(buf, header, [], true) : scanTags(buf, header, []);
    if (scan.kind === 'done') return open + scan.end;
  }
  const close = text.indexOf(TC_CLOSE, open);
  return close < 0 ? text.length : close + TC_CLOSE.length;
}

function headlessCall(
  text: string,
  from: number,
  close: number,
  tools: ToolSchema[],
): { start: number; call: TextToolCall } | undefined {
  const segment = text.slice(from, close);
  const firstKey = segment.indexOf(AK_OPEN);
  const head = firstKey < 0 ? segment : segment.slice(0, firstKey);
  const match = /(^|[\s>])([A-Za-z_][\w.\-/]*)\s*$/.exec(head);
  if (!match) return undefined;
  const start = from + match.index + match[1]!.length;
  const body = text.slice(start, close + TC_CLOSE.length);
  const { calls, content } = parseRawToolCalls(TC_OPEN + body, tools);
  const call = calls[0];
  return call && calls.length === 1 && content === '' ? { start, call } : undefined;
}
