// What the prompt offers to complete at the cursor: slash commands at the start, project paths and MCP resources
// (`@server:uri`) after '@'. Pure over its inputs (fuzzysort ranks them); imports no ink/react.
import fuzzysort from 'fuzzysort';
import type { EditorState } from './editor.ts';
import type { ResourceRef } from './host.ts';

export interface Suggestion {
  label: string;
  detail?: string;
  /** What accepting it does to the text. */
  start: number;
  end: number;
  text: string;
  kind: 'command' | 'path' | 'resource';
}

export interface CommandInfo {
  name: string;
  description: string;
  args?: string;
}

const LIMIT = 8;

export function suggest(s: EditorState, commands: readonly CommandInfo[], files: readonly string[] | undefined, resources: readonly ResourceRef[] = []): Suggestion[] {
  if (s.search) return [];
  const before = s.text.slice(0, s.cursor);
  const slash = /^\/(\S*)$/.exec(before);
  if (slash) return commandSuggestions(slash[1]!, s.text, commands);
  const at = /(?:^|\s)@(\S*)$/.exec(before);
  if (!at || (!files && !resources.length)) return [];
  const query = at[1]!;
  const start = s.cursor - query.length - 1;
  const end = s.cursor + /^\S*/.exec(s.text.slice(s.cursor))![0].length;
  // `@server:` narrows to that server's resources; otherwise files and resources compete on the match.
  const server = /^([^:/]+):/.exec(query)?.[1];
  const onlyResources = server !== undefined && resources.some((r) => r.server === server);
  const ranked = [...(onlyResources ? [] : pathMatches(query, files ?? [])), ...resourceMatches(query, resources)];
  if (query) ranked.sort((a, b) => b.score - a.score);
  return ranked.slice(0, LIMIT).map((m) => ({ ...m.suggestion, start, end }));
}

function commandSuggestions(prefix: string, text: string, commands: readonly CommandInfo[]): Suggestion[] {
  const end = /^\S*/.exec(text)![0].length;
  const p = prefix.toLowerCase();
  return commands
    .filter((c) => c.name.startsWith(p))
    .slice(0, LIMIT)
    .map((c) => ({
      label: `/${c.name}${c.args ? ` ${c.args}` : ''}`,
      detail: c.description,
      start: 0,
      end,
      text: `/${c.name} `,
      kind: 'command' as const,
    }));
}

type Match = { score: number; suggestion: Omit<Suggestion, 'start' | 'end'> };

function pathMatches(query: string, files: readonly string[]): Match[] {
  const found = query ? fuzzysort.go(query, files as string[], { limit: LIMIT }).map((r) => ({ p: r.target, score: r.score })) : files.slice(0, LIMIT).map((p) => ({ p, score: 0 }));
  return found.map(({ p, score }) => ({
    score,
    // A folder keeps the completion going; a file ends the mention.
    suggestion: { label: `@${p}`, text: p.endsWith('/') ? `@${p}` : `@${p} `, kind: 'path' as const },
  }));
}

function resourceMatches(query: string, resources: readonly ResourceRef[]): Match[] {
  const targets = resources.map((r) => ({ r, key: `${r.server}:${r.uri}` }));
  const found = query ? fuzzysort.go(query, targets, { key: 'key', limit: LIMIT }).map((x) => ({ ...x.obj, score: x.score })) : targets.slice(0, LIMIT).map((t) => ({ ...t, score: 0 }));
  return found.map(({ r, key, score }) => ({ score, suggestion: { label: `@${key}`, ...(r.name && { detail: r.name }), text: `@${key} `, kind: 'resource' as const } }));
}
