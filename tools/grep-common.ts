// What both Grep engines (ripgrep and the built-in search) share: the query shape, file-type globs and
// rg-style glob matching. Imports no loop, session or UI.
import { basename } from 'node:path';
import picomatch from 'picomatch';
import type { DenyFilter } from './deny.ts';

export type GrepMode = 'content' | 'files_with_matches' | 'count';

export interface GrepQuery {
  pattern: string;
  /** Absolute file or folder to search. */
  root: string;
  rootIsFile: boolean;
  cwd: string;
  mode: GrepMode;
  ignoreCase: boolean;
  lineNumbers: boolean;
  before: number;
  after: number;
  multiline: boolean;
  /** rg-style globs; a leading ! excludes. */
  globs: string[];
  signal: AbortSignal;
  /** Files a Read deny rule covers: never searched, counted (whatever their content) for the note. */
  deny: DenyFilter;
}

/** Lines in rg's format, or an error for the model. */
export type GrepOutcome = { lines: string[]; error?: undefined } | { lines?: undefined; error: string };

export const TYPE_GLOBS: Record<string, string> = {
  js: '*.{js,jsx,mjs,cjs}',
  ts: '*.{ts,tsx,mts,cts}',
  py: '*.{py,pyi}',
  go: '*.go',
  rust: '*.rs',
  java: '*.java',
  kotlin: '*.{kt,kts}',
  c: '*.{c,h}',
  cpp: '*.{cpp,cc,cxx,c++,hpp,hh,hxx,h}',
  cs: '*.cs',
  ruby: '*.rb',
  php: '*.php',
  swift: '*.swift',
  scala: '*.scala',
  sh: '*.{sh,bash,zsh}',
  md: '*.{md,mdx,markdown}',
  json: '*.{json,jsonc}',
  yaml: '*.{yml,yaml}',
  toml: '*.toml',
  html: '*.{html,htm}',
  css: '*.{css,scss,sass,less}',
  sql: '*.sql',
  vue: '*.vue',
  svelte: '*.svelte',
  xml: '*.xml',
};
const TYPE_ALIASES: Record<string, string> = { rs: 'rust', python: 'py', javascript: 'js', typescript: 'ts', kt: 'kotlin', rb: 'ruby', yml: 'yaml', markdown: 'md', csharp: 'cs', 'c++': 'cpp', bash: 'sh', shell: 'sh' };

/** The glob for a type name, or undefined when unknown. */
export function typeGlob(type: string): string | undefined {
  const t = type.toLowerCase();
  return TYPE_GLOBS[TYPE_ALIASES[t] ?? t];
}

/**
 * rg's glob rules: a glob without a slash matches the file name at any depth, with a slash it matches the
 * path relative to the search root; a leading ! excludes.
 */
export function globFilter(globs: string[]): (relPath: string) => boolean {
  if (!globs.length) return () => true;
  const compile = (g: string) => {
    const m = picomatch(g, { dot: true });
    return g.includes('/') ? (p: string) => m(p) : (p: string) => m(basename(p));
  };
  const include = globs.filter((g) => !g.startsWith('!')).map(compile);
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => compile(g.slice(1)));
  return (p) => (include.length === 0 || include.some((m) => m(p))) && !exclude.some((m) => m(p));
}
