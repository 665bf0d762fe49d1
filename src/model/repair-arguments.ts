// Tool-call argument repair (duplicated `{…}{…}`, unquoted values, Python literals, JSON in a JSON string) and
// schema-driven typing of values GLM sends as text. Pure; imports only `jsonrepair`, never the client, loop or UI.

import { jsonrepair } from 'jsonrepair';

export type RepairResult = { json: string; repaired: boolean } | { error: string };

type JsonObject = Record<string, unknown>;

const isPlainObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}

const clip = (text: string, max = 200): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * Repairs the `arguments` text of one tool call. Empty text means `{}`; a valid object comes back unchanged;
 * anything repaired comes back as compact `JSON.stringify` output.
 */
export function repairArguments(raw: string): RepairResult {
  return repairAt(raw, 0);
}

function repairAt(raw: string, depth: number): RepairResult {
  const text = raw.trim();
  if (text === '') return { json: '{}', repaired: false };
  const direct = tryParse(text);
  if (direct.ok) return fromParsed(direct.value, raw, false, depth);

  const recovered = recoverConcatenated(text);
  if (recovered && 'error' in recovered) return recovered;
  if (recovered) return fromParsed(recovered.value, raw, true, depth);

  if (endsInsideString(text)) {
    return {
      error:
        'arguments were cut off inside a string (the output may have hit the token limit); ' +
        'send the complete call again, splitting large content into smaller calls',
    };
  }
  let repairedText: string;
  try {
    repairedText = jsonrepair(text);
  } catch {
    return { error: `arguments are not valid JSON: ${clip(direct.message)}` };
  }
  const parsed = tryParse(repairedText);
  if (!parsed.ok) return { error: `arguments are not valid JSON: ${clip(direct.message)}` };
  if (!isPlainObject(parsed.value) && !(typeof parsed.value === 'string' && /^["']/.test(text))) {
    return { error: `arguments are not valid JSON: ${clip(direct.message)}` };
  }
  return fromParsed(parsed.value, raw, true, depth);
}

function fromParsed(value: unknown, raw: string, repaired: boolean, depth: number): RepairResult {
  if (isPlainObject(value)) return repaired ? { json: JSON.stringify(value), repaired: true } : { json: raw, repaired: false };
  if (typeof value === 'string' && depth === 0 && value.trim().startsWith('{')) {
    // A JSON string holding the object, e.g. "{\"a\":1}": unwrap once.
    const inner = repairAt(value, depth + 1);
    if ('error' in inner) return inner;
    return { json: JSON.stringify(JSON.parse(inner.json)), repaired: true };
  }
  return { error: `arguments must be a JSON object, not ${describe(value)}` };
}

/** Index just past the `}` closing the object that starts at `start`, or -1. Knows JSON strings. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return ch === '}' ? i + 1 : -1;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

/** True when the text ends inside an unterminated string (double- or single-quoted). */
function endsInsideString(text: string): boolean {
  let quote = '';
  let prev = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || (ch === "'" && /[{[,:\s]|^$/.test(prev))) quote = ch;
    if (!/\s/.test(ch)) prev = ch;
  }
  return quote !== '';
}

const stripWs = (text: string): string => text.replace(/\s+/g, '');

/** `before` is a copy of `last`, possibly cut off or missing its closing brace (the buggy final-delta shapes). */
function isCopyPrefix(before: string, last: string): boolean {
  const b = stripWs(before);
  const l = stripWs(last);
  if (b === '') return false;
  return l.startsWith(b) || (b.endsWith('}') && l.startsWith(b.slice(0, -1)));
}

/** Every key of `a` is in `b` with the same value: `b` equals or extends `a`. */
const containedIn = (a: JsonObject, b: JsonObject): boolean =>
  Object.entries(a).every(([key, value]) => key in b && JSON.stringify(b[key]) === JSON.stringify(value));

interface Piece {
  value: JsonObject;
  text: string;
}

function leadingObjects(text: string): { pieces: Piece[]; rest: string } {
  const pieces: Piece[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
    if (text[pos] !== '{') break;
    const end = objectEnd(text, pos);
    if (end < 0) break;
    const piece = text.slice(pos, end);
    const parsed = tryParse(piece);
    if (!parsed.ok || !isPlainObject(parsed.value)) break;
    pieces.push({ value: parsed.value, text: piece });
    pos = end;
  }
  return { pieces, rest: text.slice(pos).trim() };
}

/**
 * `{…}{…}` from a buggy cumulative final delta, `{…partial{…}`, or `{…}` followed by trailing garbage.
 * Returns the object to keep (the last complete copy), an error for two unrelated objects, or undefined.
 */
function recoverConcatenated(text: string): { value: JsonObject } | { error: string } | undefined {
  const { pieces, rest } = leadingObjects(text);
  const last = pieces.at(-1);
  if (last && (rest === '' || !rest.includes(':') || isCopyPrefix(rest, last.text))) {
    const earlier = pieces.slice(0, -1);
    if (earlier.every((p) => containedIn(p.value, last.value) || isCopyPrefix(p.text, last.text))) return { value: last.value };
    return {
      error: `arguments hold ${pieces.length} different JSON objects back to back; send one JSON object with all arguments`,
    };
  }
  return lastCompleteCopy(text);
}

/** A complete object ends the text and everything before it is a cut-off copy of it. */
function lastCompleteCopy(text: string): { value: JsonObject } | undefined {
  const opener = /^\{\s*("(?:[^"\\]|\\.)*"|[A-Za-z_$][\w$]*)?/.exec(text);
  if (!opener) return undefined;
  const key = opener[1] ?? '';
  const pattern = new RegExp(`\\{\\s*${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g');
  pattern.lastIndex = 1;
  let tries = 0;
  for (let m = pattern.exec(text); m && tries < 64; m = pattern.exec(text), tries++) {
    const parsed = tryParse(text.slice(m.index));
    if (!parsed.ok) continue;
    if (!isPlainObject(parsed.value)) return undefined;
    return isCopyPrefix(text.slice(0, m.index), text.slice(m.index)) ? { value: parsed.value } : undefined;
  }
  return undefined;
}

// ---- Schema-driven coercion ----

/** The JSON types a schema allows (from `type`, `anyOf`/`oneOf`, `enum`/`const`, `properties`, `items`). */
export function schemaTypes(schema: unknown): Set<string> {
  const types = new Set<string>();
  if (!isPlainObject(schema)) return types;
  const { type } = schema;
  if (typeof type === 'string') types.add(type);
  if (Array.isArray(type)) for (const t of type) if (typeof t === 'string') types.add(t);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const members = schema[key];
    if (Array.isArray(members)) for (const member of members) for (const t of schemaTypes(member)) types.add(t);
  }
  if (types.size > 0) return types;
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : [];
  for (const value of values) types.add(jsonType(value));
  if (types.size === 0 && isPlainObject(schema.properties)) types.add('object');
  if (types.size === 0 && schema.items !== undefined) types.add('array');
  return types;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether a value is of one of the given JSON Schema types (integers count as numbers). */
export function matchesTypes(value: unknown, types: Set<string>): boolean {
  const t = jsonType(value);
  return types.has(t) || (t === 'integer' && types.has('number'));
}

/**
 * Converts a string to the non-string type a schema declares, when it parses as such
 * (`"20"` → 20, `"[{…}]"` → array, `"True"` → true). Undefined when no conversion applies.
 */
export function coerceString(value: string, types: Set<string>, depth = 0): unknown {
  if (types.size === 0 || types.has('string')) return undefined;
  const text = value.trim();
  const parsed = tryParse(text);
  if (parsed.ok && matchesTypes(parsed.value, types)) return parsed.value;
  if (parsed.ok && typeof parsed.value === 'string' && depth === 0) return coerceString(parsed.value, types, 1);
  const lower = text.toLowerCase();
  if (types.has('boolean') && (lower === 'true' || lower === 'false')) return lower === 'true';
  if (types.has('null') && (lower === 'none' || lower === 'null')) return null;
  if ((types.has('array') || types.has('object')) && /^[[{]/.test(text) && !endsInsideString(text)) {
    try {
      const repaired: unknown = JSON.parse(jsonrepair(text));
      if (matchesTypes(repaired, types)) return repaired;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** An untyped value: JSON if it parses; a quoted string with non-JSON escapes (`"\C"`) read like Python; else verbatim. */
function untypedValue(raw: string): unknown {
  const text = raw.trim();
  const parsed = tryParse(text);
  if (parsed.ok) return parsed.value;
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    const escaped = text.replace(/\\(["\\/bfnrt]|u[0-9a-fA-F]{4})|\\/g, (m, valid?: string) => (valid ? m : '\\\\'));
    const lenient = tryParse(escaped);
    if (lenient.ok && typeof lenient.value === 'string') return lenient.value;
  }
  return raw;
}

/**
 * Types a raw text value (a GLM `<arg_value>`) by its property schema: a string type keeps it verbatim (no trimming);
 * other types parse it when it parses as that type; no schema: JSON if it parses, else the text.
 */
export function typeArgValue(raw: string, propertySchema: unknown): unknown {
  const types = schemaTypes(propertySchema);
  if (types.size === 0) return untypedValue(raw);
  if (types.has('string')) {
    const others = new Set([...types].filter((t) => t !== 'string'));
    const parsed = others.size > 0 ? tryParse(raw.trim()) : undefined;
    return parsed?.ok && matchesTypes(parsed.value, others) ? parsed.value : raw;
  }
  const coerced = coerceString(raw, types);
  return coerced === undefined ? untypedValue(raw) : coerced;
}

function coerceValue(value: unknown, schema: unknown): unknown {
  if (!isPlainObject(schema)) return value;
  let result = value;
  if (typeof result === 'string') {
    const converted = coerceString(result, schemaTypes(schema));
    if (converted !== undefined) result = converted;
  }
  if (Array.isArray(result) && isPlainObject(schema.items)) {
    const items = schema.items;
    return result.map((item) => coerceValue(item, items));
  }
  if (isPlainObject(result) && isPlainObject(schema.properties)) return coerceArgumentStrings(result, schema);
  return result;
}

/**
 * GLM sometimes sends arrays, objects, numbers and booleans as JSON strings (`"edits": "[{…}]"`, `"limit": "20"`).
 * Returns a copy where each such string is converted to the type the schema declares, when it parses as that type.
 * Strings the schema allows as strings, and values that do not parse, are left for validation to report.
 */
export function coerceArgumentStrings(args: Record<string, unknown>, schema: Record<string, unknown>): Record<string, unknown> {
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) out[key] = coerceValue(value, properties[key]);
  return out;
}
