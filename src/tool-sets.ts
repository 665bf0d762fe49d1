// A session's tool set built from sources (the built-in tools, then each MCP server's): names and schemas read
// through at every request, in the sources' order, so a source that changes (MCP list_changed) is seen before the
// next request while the order (and so the request prefix) stays stable. Imports the tool contract only.
import type { AnyToolDef, ToolSet } from './tool.ts';
import type { ToolSchema } from './types.ts';

export function composeToolSets(sources: ToolSet[]): ToolSet {
  if (sources.length === 1) return sources[0]!;
  return {
    get names(): string[] {
      return sources.flatMap((s) => s.names);
    },
    get schemas(): ToolSchema[] {
      return sources.flatMap((s) => s.schemas);
    },
    load: async (): Promise<AnyToolDef[]> => (await Promise.all(sources.map((s) => s.load()))).flat(),
  };
}

/** The set narrowed to the named tools (`--tools Read,Grep`), in the set's own order; unknown names are left out. */
export function onlyTools(set: ToolSet, names: string[]): ToolSet {
  return filtered(set, (name) => names.includes(name));
}

/** The set without the named tools (WebSearch where no search backend exists). */
export function withoutTools(set: ToolSet, names: string[]): ToolSet {
  return filtered(set, (name) => !names.includes(name));
}

function filtered(set: ToolSet, keep: (name: string) => boolean): ToolSet {
  return {
    get names(): string[] {
      return set.names.filter(keep);
    },
    get schemas(): ToolSchema[] {
      return set.schemas.filter((s) => keep(s.name));
    },
    load: async (): Promise<AnyToolDef[]> => (await set.load()).filter((t) => keep(t.name)),
  };
}
