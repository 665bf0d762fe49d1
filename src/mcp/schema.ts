// An MCP tool's inputSchema made fit for OpenAI-compatible providers, and its description capped. Pure: no
// imports. What is stripped is pinned by test/mcp/schema-results.test.ts; that every dialect sends the same cleaned
// schema, and why, by test/mcp/schema-dialects.test.ts.

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

/**
 * The name the model calls: `mcp__<server>__<tool>`, with characters function names may not hold (providers accept
 * [A-Za-z0-9_-], at most 64) replaced by "_" and the end cut.
 */
export function exposedToolName(server: string, tool: string): string {
  return `mcp__${server}__${tool.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 64);
}
