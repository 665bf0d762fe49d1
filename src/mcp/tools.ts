// A server's tools as the session's ToolDefs and schemas: `mcp__<server>__<tool>`, kind mcp (the gate asks unless
// a rule allows them), the server's schema cleaned, results as text (results.ts) plus their images
// (result-images.ts). Imports the tool contract and this folder's helpers; zod and the result helpers only when
// the ToolDefs are made (a tool is called; not at a run's start). Never the SDK (the caller passes how to call).
import type { AnyToolDef } from '../tool.ts';
import type { ToolSchema } from '../types.ts';
import type { McpCallResult } from './results.ts';
import { capDescription, cleanInputSchema, exposedToolName } from './schema.ts';

/** A tool as tools/list gives it (the fields glm reads). */
export interface McpToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: unknown;
}

export type CallTool = (tool: string, args: Record<string, unknown>, signal: AbortSignal) => Promise<McpCallResult>;

export interface ServerTools {
  schemas: ToolSchema[];
  /** The ToolDefs, made once when first asked for (a call, or a subagent's tools). */
  defs(): Promise<AnyToolDef[]>;
}

/** One line for people: `everything echo {"message":"hi"}`. */
function titleOf(server: string, tool: string, args: Record<string, unknown>): string {
  const json = JSON.stringify(args) ?? '';
  const shown = json === '{}' ? '' : ` ${json.length > 80 ? `${json.slice(0, 79)}…` : json}`;
  return `${server} ${tool}${shown}`;
}

/** The ToolDefs and schemas of one server's tools, in name order; a name that collides once cleaned is dropped. */
export function serverTools(server: string, tools: McpToolInfo[], call: CallTool): ServerTools {
  const seen = new Set<string>();
  const sorted = [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const kept: { tool: McpToolInfo; schema: ToolSchema }[] = [];
  for (const tool of sorted) {
    const name = exposedToolName(server, tool.name);
    if (seen.has(name)) continue;
    seen.add(name);
    const description = capDescription(tool.description, tool.title ?? `The ${tool.name} tool of the ${server} MCP server.`);
    kept.push({ tool, schema: { name, description, parameters: cleanInputSchema(tool.inputSchema) } });
  }
  let defs: Promise<AnyToolDef[]> | undefined;
  return { schemas: kept.map((k) => k.schema), defs: () => (defs ??= makeDefs(server, kept, call)) };
}

async function makeDefs(server: string, kept: { tool: McpToolInfo; schema: ToolSchema }[], call: CallTool): Promise<AnyToolDef[]> {
  const [{ z }, { imagesToSend, resultImages }, { resultText }] = await Promise.all([import('zod'), import('./result-images.ts'), import('./results.ts')]);
  /** Arguments are whatever object the server's schema describes; the server checks them. */
  const argumentsSchema = z.record(z.string(), z.unknown());
  return kept.map(({ tool, schema: { name, description } }) => ({
    name,
    kind: 'mcp',
    description,
    schema: argumentsSchema,
    keep: 'head',
    title: (args: Record<string, unknown>) => titleOf(server, tool.name, args),
    async execute(args: Record<string, unknown>, ctx) {
      const result = await call(tool.name, args, ctx.signal);
      const sent = await resultImages(result, `${server} ${tool.name}`);
      const images = imagesToSend(sent);
      return { ...resultText(result, sent), ...(images.length > 0 && { images }) };
    },
  }));
}
