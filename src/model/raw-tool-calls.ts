// Recovers GLM tool calls written as text by servers without (or with the wrong) tool parser: GLM-4.5/4.6
// `<tool_call>name\n<arg_key>k</arg_key>\n<arg_value>v</arg_value>\n</tool_call>`, GLM-4.7+ (no separators,
// `<tool_call>name</tool_call>`), GLM-5.3-Flash `<tool_call>Ns/name>{json}`, GLM-4-0414 `name\n{json}`, and call
// markup that leaked into reasoning. Pure functions; imports only src/types.ts and its sibling repair-arguments.ts.
//
// Content rules: text outside calls is content, including text between and after calls (vLLM drops text between
// calls in non-streaming mode but streams it; we keep it in both so they agree). Whitespace-only content is ''.
// A call to a tool that was not declared is dropped with its markup (as SGLang does). A `<tool_call>` that never
// closes is not a call: `parseRawToolCalls` keeps it in content; the stream scanner reports it as `unterminated`.

import type { ToolSchema } from '../types.ts';
import { coerceString, matchesTypes, repairArguments, schemaTypes } from './repair-arguments.ts';

export interface RawToolCall {
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

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** An untyped value: JSON if it parses; a quoted string with non-JSON escapes (`"\C"`) read like Python; else verbatim. */
function untypedValue(raw: string): unknown {
  const text = raw.trim();
  const parsed = tryJson(text);
  if (parsed.ok) return parsed.value;
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    const lenient = tryJson(text.replace(/\\(?!["\\/bfnrtu])/g, '\\\\'));
    if (lenient.ok && typeof lenient.value === 'string') return lenient.value;
  }
  return raw;
}

/** Types an `<arg_value>` by the property schema: string → verbatim; other types → parsed when it parses. */
export function typeArgValue(raw: string, propertySchema: unknown): unknown {
  const types = schemaTypes(propertySchema);
  if (types.size === 0) return untypedValue(raw);
  if (types.has('string')) {
    const others = new Set([...types].filter((t) => t !== 'string'));
    const parsed = others.size > 0 ? tryJson(raw.trim()) : { ok: false as const };
    return parsed.ok && matchesTypes(parsed.value, others) ? parsed.value : raw;
  }
  const coerced = coerceString(raw, types);
  return coerced === undefined ? untypedValue(raw) : coerced;
}

function tagCall(rawName: string, pairs: [string, string][], tools: ToolSchema[]): RawToolCall | undefined {
  const tool = resolveTool(rawName, tools);
  if (!tool) return undefined;
  const properties = isObject(tool.parameters.properties) ? tool.parameters.properties : {};
  const args = Object.fromEntries(pairs.map(([key, value]) => [key, typeArgValue(value, properties[key])]));
  return { name: tool.name, arguments: JSON.stringify(args) };
}

function jsonCall(rawName: string, jsonText: string, tools: ToolSchema[]): RawToolCall | undefined {
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

type Scan = { kind: 'partial' } | { kind: 'malformed' } | { kind: 'done'; end: number; call?: RawToolCall };

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
      if (valueEnd < 0) return { kind: 'partial' };
      pairs.push([buf.slice(pos + AK_OPEN.length, keyEnd).trim(), buf.slice(valueOpen + AV_OPEN.length, valueEnd)]);
      pos = valueEnd + AV_CLOSE.length;
      continue;
    }
    const rest = buf.slice(pos, pos + TC_CLOSE.length);
    return TC_CLOSE.startsWith(rest) || AK_OPEN.startsWith(rest) ? { kind: 'partial' } : { kind: 'malformed' };
  }
}

/** Resumable scan for the end of a JSON object, so a long JSON-form call fed in pieces is read once. */
interface ObjectScan {
  start: number;
  pos: number;
  depth: number;
  inString: boolean;
  /** Index just past the closing `}`; -1 not closed yet; -2 not an object. */
  end: number;
}

const newObjectScan = (start: number): ObjectScan => ({ start, pos: start, depth: 0, inString: false, end: -1 });

function advanceObjectScan(scan: ObjectScan, text: string): void {
  let i = scan.pos;
  for (; i < text.length && scan.end === -1; i++) {
    const ch = text[i];
    if (scan.inString) {
      if (ch === '\\') {
        if (i + 1 >= text.length) break; // the escaped character has not arrived yet
        i++;
      } else if (ch === '"') scan.inString = false;
    } else if (ch === '"') scan.inString = true;
    else if (ch === '{' || ch === '[') scan.depth++;
    else if (ch === '}' || ch === ']') {
      scan.depth--;
      if (scan.depth <= 0) scan.end = scan.depth === 0 && ch === '}' ? i + 1 : -2;
    }
  }
  scan.pos = i;
}

/** Index just past the `}` that closes the object at `start`; -1 if not closed yet; -2 if not an object. */
export function objectEnd(text: string, start: number): number {
  const scan = newObjectScan(start);
  advanceObjectScan(scan, text);
  return scan.end;
}

function scanJson(buf: string, header: Header, tools: ToolSchema[], final: boolean): Scan {
  if (header.body >= buf.length) return { kind: 'partial' };
  if (buf[header.body] !== '{') return { kind: 'malformed' };
  const end = objectEnd(buf, header.body);
  if (end === -2) return { kind: 'malformed' };
  if (end < 0) return { kind: 'partial' };
  const after = skipWs(buf, end);
  const tail = buf.slice(after, after + TC_CLOSE.length);
  if (tail === TC_CLOSE) return { kind: 'done', end: after + TC_CLOSE.length, call: jsonCall(header.name, buf.slice(header.body, end), tools) };
  if (!final && TC_CLOSE.startsWith(tail)) return { kind: 'partial' }; // an optional `</tool_call>` may follow
  return { kind: 'done', end, call: jsonCall(header.name, buf.slice(header.body, end), tools) };
}

/** Lenient parse of a closed block whose inside broke the strict grammar (missing `</arg_value>`, stray text). */
function lenientBlock(inner: string, tools: ToolSchema[]): RawToolCall | undefined {
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
  end(): { content: string; calls: RawToolCall[]; unterminated?: string };
}

export function createRawToolCallScanner(tools: ToolSchema[]): RawToolCallScanner {
  const calls: RawToolCall[] = [];
  let buf = '';
  let inCall = false;
  /** How far `buf` was searched for `</tool_call>` since the call began. */
  let searched = 0;
  /** For a JSON-form call: where its object ends, found incrementally. */
  let object: ObjectScan | undefined;

  /** Cheap check before a full scan, so a long call fed in small pieces costs O(n) overall, not O(n²). */
  function worthScanning(header: Header): boolean {
    if (header.form === 'json') {
      if (object?.start !== header.body) object = newObjectScan(header.body);
      advanceObjectScan(object, buf);
      return object.end !== -1;
    }
    const from = Math.max(header.body, searched - TC_CLOSE.length + 1);
    searched = buf.length;
    return buf.includes(TC_CLOSE, from);
  }

  /** One call at the start of `buf`: consumed (true) or waiting for more text (false). */
  function takeCall(final: boolean): boolean | 'not-a-call' {
    const header = readHeader(buf, final);
    if (header === 'wait' || header === 'not-a-call') return header === 'wait' ? false : header;
    if (!final && !worthScanning(header)) return false;
    let scan = header.form === 'json' ? scanJson(buf, header, tools, final) : scanTags(buf, header, tools);
    if (scan.kind === 'malformed' || (scan.kind === 'partial' && final)) {
      const close = buf.indexOf(TC_CLOSE, TC_OPEN.length);
      if (close >= 0) scan = { kind: 'done', end: close + TC_CLOSE.length, call: lenientBlock(buf.slice(TC_OPEN.length, close), tools) };
    }
    if (scan.kind !== 'done') return false;
    if (scan.call) calls.push(scan.call);
    buf = buf.slice(scan.end);
    inCall = false;
    return true;
  }

  function drain(final: boolean): string {
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
        searched = 0;
        object = undefined;
      }
      const taken = takeCall(final);
      if (taken === 'not-a-call') {
        content += TC_OPEN; // a literal `<tool_call>` followed by prose: keep the text
        buf = buf.slice(TC_OPEN.length);
        inCall = false;
      } else if (!taken) return content;
    }
  }

  return {
    push(delta) {
      buf += delta;
      return { content: drain(false) };
    },
    end() {
      const content = drain(true);
      const unterminated = inCall && buf !== '' ? buf : undefined;
      buf = '';
      inCall = false;
      return unterminated === undefined ? { content, calls: [...calls] } : { content, calls: [...calls], unterminated };
    },
  };
}

/** Whole-text parse. An unterminated `<tool_call>` stays in `content`; whitespace-only content becomes ''. */
export function parseRawToolCalls(text: string, tools: ToolSchema[]): { content: string; calls: RawToolCall[] } {
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
export function parseLegacyGlm4Call(text: string, tools: ToolSchema[]): RawToolCall | undefined {
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
export function recoverCallsFromReasoning(reasoning: string, tools: ToolSchema[]): { reasoning: string; calls: RawToolCall[] } {
  const calls: RawToolCall[] = [];
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
): { start: number; call: RawToolCall } | undefined {
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
