// Many MCP tools without a fat prompt: when the servers' schemas would cost more than a budget, the model gets a
// ToolSearch tool whose description lists each deferred tool by name and a short line, and the full schema of a
// tool only once a search returned it (from the next request on). Every dialect sees ordinary tools. Pure apart
// from the tool contract, and zod when the tools are loaded (not at a run's start): the servers' tools come in as
// functions.
import type { AnyToolDef, ToolSet } from '../tool.ts';
import type { ToolSchema } from '../types.ts';

export const TOOL_SEARCH = 'ToolSearch';

export interface ToolSearchPolicy {
  /** auto: defer when over either limit; always: whenever there are MCP tools; never: send every schema. */
  mode: 'auto' | 'always' | 'never';
  /** Schema tokens above which auto defers (default: 10% of the context window). */
  budgetTokens: number;
  /** Tool count above which auto defers. */
  maxTools: number;
}

export const DEFAULT_MAX_TOOLS = 40;
/** How many tokens the catalogue in ToolSearch's description may take, whatever the number of tools. */
const CATALOGUE_TOKENS = 2000;
const DEFAULT_RESULTS = 5;

interface Source {
  schemas(): ToolSchema[];
  defs(): Promise<AnyToolDef[]>;
}

const tokensOf = (schemas: ToolSchema[]) => Math.ceil(JSON.stringify(schemas).length / 4);

/** Whether these schemas go to the model as a catalogue instead of in full. */
export function shouldDefer(schemas: ToolSchema[], p: ToolSearchPolicy): boolean {
  if (!schemas.length || p.mode === 'never') return false;
  return p.mode === 'always' || schemas.length > p.maxTools || tokensOf(schemas) > p.budgetTokens;
}

/** The first sentence of a description, on one line, at most `max` characters (0: none). */
function shortLine(description: string, max: number): string {
  if (max <= 0) return '';
  const first = description.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s/)[0] ?? '';
  return first.length <= max ? first : `${first.slice(0, max - 1)}…`;
}

/**
 * The catalogue: one `- name: line` per tool, the lines shortened so the whole stays within CATALOGUE_TOKENS; when
 * even the names do not fit, as many names as fit and how many more a search can find.
 */
export function catalogue(schemas: ToolSchema[]): string {
  const chars = CATALOGUE_TOKENS * 4 - 60; // room for the "… and N more" line
  // Grouped by server: `mcp__<server>__` once in a header, each tool by its own name under it.
  const split = schemas.map((s) => {
    const m = /^(mcp__.+?__)(.+)$/.exec(s.name);
    return { prefix: m?.[1] ?? '', short: m?.[2] ?? s.name, description: s.description };
  });
  const names = split.reduce((n, s) => n + s.short.length + 3, 0);
  const perTool = Math.min(80, Math.floor((chars - names) / Math.max(1, schemas.length)) - 2);
  const lines: string[] = [];
  let used = 0;
  let prefix: string | undefined;
  let listed = 0;
  for (const s of split) {
    const line = shortLine(s.description, perTool);
    const header = s.prefix !== prefix ? (s.prefix ? `${s.prefix}<name>:` : 'Other tools:') : undefined;
    const text = `${header ? `${header}\n` : ''}${line ? `- ${s.short}: ${line}` : `- ${s.short}`}`;
    if (used + text.length > chars) {
      lines.push(`… and ${schemas.length - listed} more (a search finds them)`);
      break;
    }
    prefix = s.prefix;
    lines.push(text);
    used += text.length + 1;
    listed++;
  }
  return lines.join('\n');
}

const DESCRIPTION = `Loads MCP tools that are listed here by name only. Call it with words describing what you need (or "select:<name>,<name>" for exact names); it returns the best matches with their parameters, and from your next message on you can call them like any other tool. Search before you call a tool listed below.

Tools available through this search, by server (a tool's full name is its server's prefix and its name, e.g. mcp__docs__search):
`;

const searchSchema = (list: string): ToolSchema => ({
  name: TOOL_SEARCH,
  description: DESCRIPTION + list,
  parameters: {
    type: 'object',
    properties: {
      query: { type: 'string', description: 'What the tool should do, or "select:<tool name>,<tool name>"' },
      max_results: { type: 'number', description: `How many tools to return (default ${DEFAULT_RESULTS})` },
    },
    required: ['query'],
  },
});

const words = (text: string) =>
  text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1);

/** The schemas that best match `query`, best first. */
export function searchTools(schemas: ToolSchema[], query: string, max: number): ToolSchema[] {
  const select = /^\s*select:(.*)$/i.exec(query);
  if (select) {
    const wanted = select[1]!.split(',').map((n) => n.trim()).filter(Boolean);
    return wanted.flatMap((n) => schemas.filter((s) => s.name === n || s.name.endsWith(`__${n}`)).slice(0, 1)).slice(0, Math.max(max, wanted.length));
  }
  const terms = [...new Set(words(query))];
  if (!terms.length) return [];
  const scored = schemas.map((s, i) => {
    const nameWords = words(s.name.replace(/^mcp__/, ''));
    const descWords = new Set(words(s.description));
    let score = 0;
    for (const t of terms) {
      if (nameWords.includes(t)) score += 10;
      else if (nameWords.some((w) => w.startsWith(t) || t.startsWith(w))) score += 5;
      if (descWords.has(t)) score += 2;
      else if ([...descWords].some((w) => w.length > 3 && (w.startsWith(t) || t.startsWith(w)))) score += 1;
    }
    return { s, score, i };
  });
  return scored
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, max)
    .map((x) => x.s);
}

function resultText(found: ToolSchema[], query: string): string {
  if (!found.length) return `No MCP tool matches "${query}". Try other words, or "select:<name>" with a name from ToolSearch's list.`;
  const parts = found.map((s) => `## ${s.name}\n${s.description}\nParameters (JSON Schema): ${JSON.stringify(s.parameters)}`);
  return `Loaded ${found.length} tool${found.length === 1 ? '' : 's'}; call ${found.length === 1 ? 'it' : 'them'} by name from your next message on.\n\n${parts.join('\n\n')}`;
}

const argumentSchema = ({ z }: typeof import('zod')) => z.object({ query: z.string(), max_results: z.number().int().positive().max(50).optional() });
type SearchArgs = { query: string; max_results?: number };

/**
 * The MCP tools as a ToolSet that defers their schemas when `policy` says so. Tools a search returned stay loaded
 * for the session (in the order they were found, after ToolSearch). Every tool stays callable by name.
 */
export function withToolSearch(source: Source, policy: ToolSearchPolicy): ToolSet {
  const loaded: string[] = [];
  const current = (): ToolSchema[] => {
    const all = source.schemas();
    if (!shouldDefer(all, policy)) return all;
    const byName = new Map(all.map((s) => [s.name, s]));
    return [searchSchema(catalogue(all)), ...loaded.flatMap((n) => byName.get(n) ?? [])];
  };
  const searchDef = (zod: typeof import('zod')): AnyToolDef => ({
    name: TOOL_SEARCH,
    kind: 'meta',
    description: DESCRIPTION,
    schema: argumentSchema(zod),
    keep: 'head',
    title: (a: SearchArgs) => `ToolSearch ${a.query}`,
    async execute(a: SearchArgs) {
      const found = searchTools(source.schemas(), a.query, a.max_results ?? DEFAULT_RESULTS);
      for (const s of found) if (!loaded.includes(s.name)) loaded.push(s.name);
      return { output: resultText(found, a.query) };
    },
  });
  let def: AnyToolDef | undefined;
  return {
    get names() {
      return current().map((s) => s.name);
    },
    get schemas() {
      return current();
    },
    load: async () => {
      const defs = await source.defs();
      if (!shouldDefer(source.schemas(), policy)) return defs;
      def ??= searchDef(await import('zod'));
      return [def, ...defs];
    },
  };
}
