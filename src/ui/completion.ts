// What the prompt offers to complete at the cursor: slash commands at the start, project paths after '@'.
// Pure over its inputs (fuzzysort ranks paths); imports no ink/react.
import fuzzysort from 'fuzzysort';
import type { EditorState } from './editor.ts';

export interface Suggestion {
  label: string;
  detail?: string;
  /** What accepting it does to the text. */
  start: number;
  end: number;
  text: string;
  kind: 'command' | 'path';
}

export interface CommandInfo {
  name: string;
  description: string;
  args?: string;
}

const LIMIT = 8;

export function suggest(s: EditorState, commands: readonly CommandInfo[], files: readonly string[] | undefined): Suggestion[] {
  if (s.search) return [];
  const before = s.text.slice(0, s.cursor);
  const slash = /^\/(\S*)$/.exec(before);
  if (slash) return commandSuggestions(slash[1]!, s.text, commands);
  const at = /(?:^|\s)@(\S*)$/.exec(before);
  if (at && files) return pathSuggestions(at[1]!, s.cursor, s.text, files);
  return [];
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

function pathSuggestions(query: string, cursor: number, text: string, files: readonly string[]): Suggestion[] {
  const start = cursor - query.length - 1;
  const end = cursor + /^\S*/.exec(text.slice(cursor))![0].length;
  const paths = query ? fuzzysort.go(query, files as string[], { limit: LIMIT }).map((r) => r.target) : files.slice(0, LIMIT);
  return paths.map((p) => ({
    label: `@${p}`,
    start,
    end,
    // A folder keeps the completion going; a file ends the mention.
    text: p.endsWith('/') ? `@${p}` : `@${p} `,
    kind: 'path' as const,
  }));
}
