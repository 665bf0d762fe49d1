// An MCP tool's inputSchema made fit for OpenAI-compatible providers, its description capped, and its name. Pure:
// node:crypto only. What is stripped is pinned by test/mcp/schema-results.test.ts; that every dialect sends the same cleaned
// schema, and why, by test/mcp/schema-dialects.test.ts.
import { createHash } from 'node:crypto';

/**
 * Keywords some OpenAI-compatible providers reject or choke on, removed wherever a schema is (not where a property
 * merely has that name): `$schema` (400 from several gateways), `$id`, `$comment`.
 */
export const STRIPPED_KEYWORDS: readonly string[] = ['$schema', '$id', '$comment'];

/** The longest description sent for one MCP tool (some servers send whole manuals). */
export const MAX_DESCRIPTION = 2000;

/** Keywords whose value is one schema, a list of schemas, or a map of name → schema. */
const ONE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems'];
const LIST = ['anyOf', 'allOf', 'oneOf', 'prefixItems'];
const MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function clean(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (STRIPPED_KEYWORDS.includes(key)) continue;
    if (ONE.includes(key)) out[key] = Array.isArray(value) ? value.map(clean) : clean(value);
    else if (LIST.includes(key) && Array.isArray(value)) out[key] = value.map(clean);
    else if (MAP.includes(key) && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]));
    else out[key] = value;
  }
  return out;
}

/** The parameters to send: the server's schema cleaned, always an object schema with `properties`. */
export function cleanInputSchema(inputSchema: unknown): Json {
  const cleaned = clean(inputSchema);
  const schema = isObject(cleaned) ? cleaned : {};
  return { ...schema, type: 'object', properties: isObject(schema.properties) ? schema.properties : {} };
}

/** The description the model reads, at most MAX_DESCRIPTION characters. */
export function capDescription(text: string | undefined, fallback: string): string {
  const t = (text ?? '').trim() || fallback;
  return t.length <= MAX_DESCRIPTION ? t : `${t.slice(0, MAX_DESCRIPTION - 1)}…`;
}

/** The longest function name providers accept. */
export const MAX_TOOL_NAME = 64;

/**
 * The name the model calls and rules name: `mcp__<server>__<tool>`. Function names hold only [A-Za-z0-9_-], at most
 * 64: a tool name that does not fit as it is (other characters, or too long) is replaced by "_" where it must be, cut,
 * and ends in `_` and 8 hex digits of its own name's hash. So two such tools never share a name (one would shadow
 * the other, and a rule for one would allow both), and each keeps its name from run to run.
 */
export function exposedToolName(server: string, tool: string): string {
  const plain = `mcp__${server}__${tool}`;
  if (/^[A-Za-z0-9_-]*$/.test(tool) && plain.length <= MAX_TOOL_NAME) return plain;
  const hash = createHash('sha256').update(tool).digest('hex').slice(0, 8);
  return `${`mcp__${server}__${tool.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, MAX_TOOL_NAME - 9)}_${hash}`;
}
