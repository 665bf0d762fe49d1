// Finding old_string in a file: exact first, then tolerant strategies (line endings, line-number prefixes
// copied from Read, quotes/dashes/odd spaces, trailing whitespace, indentation with re-indenting), and the
// "closest lines" hint when nothing matches. Pure functions; imports nothing from the project.

/** A region of the original content to replace, and what to put there. */
export interface Match {
  start: number;
  end: number;
  replacement: string;
}

export interface MatchResult {
  matches: Match[];
  /** Set when a tolerant strategy matched: tells the model what was relaxed. */
  note?: string;
}

export function detectEol(content: string): '\r\n' | '\n' {
  const crlf = content.match(/\r\n/g)?.length ?? 0;
  const lf = (content.match(/\n/g)?.length ?? 0) - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

const adaptEol = (s: string, eol: string): string => (eol === '\r\n' ? s.replace(/\r?\n/g, '\r\n') : s.replace(/\r\n/g, '\n'));

/** One-for-one character replacements, so offsets in the normalised text are offsets in the original. */
export const normaliseChars = (s: string): string =>
  s
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, ' ');

function exactMatches(content: string, old: string, replacement: string): Match[] {
  const out: Match[] = [];
  if (!old) return out;
  for (let i = content.indexOf(old); i !== -1; i = content.indexOf(old, i + old.length)) {
    out.push({ start: i, end: i + old.length, replacement });
  }
  return out;
}

const LINE_NO = /^ *\d+(\t|→)/;

/** Model copied `    12\tcode` from Read output into old_string: drop the prefixes (from new_string too, if there). */
function stripLineNumbers(old: string, neu: string): { old: string; neu: string } | undefined {
  const lines = old.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (!lines.length || !lines.every((l) => LINE_NO.test(l))) return undefined;
  const strip = (s: string) => s.replace(/^ *\d+(\t|→)/gm, '');
  const newLines = neu.split(/\r?\n/).filter((l) => l.trim() !== '');
  return { old: strip(old), neu: newLines.length && newLines.every((l) => LINE_NO.test(l)) ? strip(neu) : neu };
}

interface Line {
  start: number;
  end: number; // excludes the line ending
  next: number; // start of the following line
  text: string;
}

export function splitLines(content: string): Line[] {
  const lines: Line[] = [];
  const re = /\r?\n/g;
  let start = 0;
  for (let m = re.exec(content); m; m = re.exec(content)) {
    lines.push({ start, end: m.index, next: m.index + m[0].length, text: content.slice(start, m.index) });
    start = m.index + m[0].length;
  }
  if (start < content.length) lines.push({ start, end: content.length, next: content.length, text: content.slice(start) });
  return lines;
}

const indentOf = (s: string): string => /^[ \t]*/.exec(s)![0];

/** The indent step of a block (2, 4, …): the smallest indent or difference between indents; 4 if unknown. */
function spaceUnit(lines: string[]): number {
  const sizes = [...new Set(lines.filter((l) => l.trim()).map((l) => indentOf(l).length))].filter((n) => n > 0).sort((a, b) => a - b);
  const steps = sizes.map((n, i) => (i === 0 ? n : n - sizes[i - 1]!));
  return steps.length ? Math.min(...steps) : 4;
}

/** Shifts new_string's lines by the difference between old_string's indent and the file's. */
function reindent(newLines: string[], oldIndent: string, fileIndent: string): string[] {
  return newLines.map((l) => {
    if (!l.trim()) return l;
    if (fileIndent.startsWith(oldIndent)) return fileIndent.slice(oldIndent.length) + l;
    if (oldIndent.startsWith(fileIndent)) {
      const drop = Math.min(oldIndent.length - fileIndent.length, indentOf(l).length);
      return l.slice(drop);
    }
    return l.startsWith(oldIndent) ? fileIndent + l.slice(oldIndent.length) : l;
  });
}

type LineMode = 'trimEnd' | 'trim';

function lineMatches(content: string, old: string, neu: string, eol: string, mode: LineMode): Match[] {
  const oldLines = old.split(/\r?\n/);
  const endsWithNewline = oldLines.length > 1 && oldLines[oldLines.length - 1] === '';
  if (endsWithNewline) oldLines.pop();
  if (!oldLines.some((l) => l.trim())) return [];
  const norm = (s: string) => (mode === 'trim' ? normaliseChars(s).trim() : normaliseChars(s).trimEnd());
  const want = oldLines.map(norm);
  const lines = splitLines(content);
  const have = lines.map((l) => norm(l.text));
  const out: Match[] = [];
  for (let i = 0; i + want.length <= lines.length; i++) {
    if (!want.every((w, j) => have[i + j] === w)) continue;
    const last = lines[i + want.length - 1]!;
    out.push({ start: lines[i]!.start, end: endsWithNewline ? last.next : last.end, replacement: fitNew(neu, oldLines, lines.slice(i, i + want.length), eol, mode) });
    i += want.length - 1;
  }
  return out;
}

type IndentStyle = 'tabs' | 'spaces' | undefined;

/** Whether the first indented line of a block uses tabs or spaces. */
function indentStyle(lines: string[]): IndentStyle {
  const ind = lines.map(indentOf).find((i) => i.length > 0);
  if (!ind) return undefined;
  return ind[0] === '\t' ? 'tabs' : 'spaces';
}

/**
 * Re-indents new_string to the file: each indent used in old_string maps to the indent of the file line it
 * matched; deeper indents add levels in the file's style (tabs or its space width); shallower ones shift by the
 * first line's difference.
 */
function reindentByMap(newLines: string[], oldLines: string[], fileTexts: string[]): string[] {
  const map = new Map<string, string>();
  oldLines.forEach((l, j) => {
    if (l.trim() && !map.has(indentOf(l))) map.set(indentOf(l), indentOf(fileTexts[j]!));
  });
  const keys = [...map.keys()].sort((x, y) => y.length - x.length);
  const modelUnit = spaceUnit([...oldLines, ...newLines]);
  const fileStyle = indentStyle(fileTexts);
  const level = fileStyle === 'tabs' ? '\t' : ' '.repeat(spaceUnit(fileTexts));
  const levels = (rest: string) => [...rest].filter((c) => c === '\t').length + Math.round(rest.replace(/\t/g, '').length / modelUnit);
  const k = oldLines.findIndex((l) => l.trim());
  return newLines.map((l) => {
    if (!l.trim()) return l;
    const ind = indentOf(l);
    const body = l.slice(ind.length);
    const exact = map.get(ind);
    if (exact !== undefined) return exact + body;
    const key = keys.find((x) => ind.startsWith(x));
    if (key === undefined) return reindent([l], indentOf(oldLines[k]!), indentOf(fileTexts[k]!))[0]!;
    const rest = ind.slice(key.length);
    return map.get(key)! + (fileStyle ? level.repeat(levels(rest)) : rest) + body;
  });
}

/** new_string adapted to the matched region: file line endings, and (in trim mode) the file's indentation. */
function fitNew(neu: string, oldLines: string[], fileLines: Line[], eol: string, mode: LineMode): string {
  const newLines = neu.split(/\r?\n/);
  const fitted = mode === 'trim' ? reindentByMap(newLines, oldLines, fileLines.map((l) => l.text)) : newLines;
  return fitted.join(eol);
}

interface Candidate {
  old: string;
  neu: string;
  note?: string;
}

const notes = (...parts: Array<string | undefined>): string | undefined => parts.filter(Boolean).join('; ') || undefined;

/** Finds every non-overlapping occurrence of old_string using the first strategy that finds any. */
export function findMatches(content: string, oldStr: string, newStr: string): MatchResult {
  const eol = detectEol(content);
  const first: Candidate = { old: adaptEol(oldStr, eol), neu: adaptEol(newStr, eol) };
  const exact = exactMatches(content, first.old, first.neu);
  if (exact.length) return { matches: exact };

  const candidates = [first];
  const stripped = stripLineNumbers(first.old, first.neu);
  if (stripped) candidates.unshift({ ...stripped, note: 'removed line-number prefixes copied from Read output (never include them)' });

  const normContent = normaliseChars(content);
  for (const c of candidates) {
    if (c !== first) {
      const m = exactMatches(content, c.old, c.neu);
      if (m.length) return { matches: m, note: c.note };
    }
    const chars = exactMatches(normContent, normaliseChars(c.old), c.neu);
    if (chars.length) return { matches: chars, note: notes(c.note, 'matched after normalising quotes, dashes and spaces; new_string was inserted as given') };
    const trailing = lineMatches(content, c.old, c.neu, eol, 'trimEnd');
    if (trailing.length) return { matches: trailing, note: notes(c.note, 'matched ignoring trailing whitespace') };
    const indent = lineMatches(content, c.old, c.neu, eol, 'trim');
    if (indent.length) return { matches: indent, note: notes(c.note, 'matched after normalising indentation; re-indented new_string to the file') };
  }
  return { matches: [] };
}

/** Applies matches (non-overlapping, any order) to the content. */
export function applyMatches(content: string, matches: Match[]): string {
  let out = content;
  for (const m of [...matches].sort((a, b) => b.start - a.start)) out = out.slice(0, m.start) + m.replacement + out.slice(m.end);
  return out;
}

/** 1-based line number of an offset. */
export function lineAt(content: string, offset: number): number {
  let n = 1;
  for (let i = content.indexOf('\n'); i !== -1 && i < offset; i = content.indexOf('\n', i + 1)) n++;
  return n;
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) m.set(s.slice(i, i + 2), (m.get(s.slice(i, i + 2)) ?? 0) + 1);
  return m;
}

/** Dice coefficient on character bigrams of trimmed, normalised lines: 1 identical, 0 nothing shared. */
export function similarity(a: string, b: string): number {
  const x = normaliseChars(a).trim().slice(0, 300);
  const y = normaliseChars(b).trim().slice(0, 300);
  if (x === y) return 1;
  if (x.length < 2 || y.length < 2) return 0;
  const bx = bigrams(x);
  let shared = 0;
  for (const [g, n] of bigrams(y)) {
    const have = bx.get(g) ?? 0;
    shared += Math.min(have, n);
  }
  return (2 * shared) / (x.length - 1 + (y.length - 1));
}

/** For a failed match: where the file is most like old_string, numbered, with the first differing line. */
export function closestLines(content: string, old: string): string | undefined {
  const want = old.split(/\r?\n/).filter((l, i, all) => l.trim() || (i > 0 && i < all.length - 1));
  if (!want.length) return undefined;
  const lines = splitLines(content).map((l) => l.text);
  const firstWanted = want.find((l) => l.trim())!;
  const starts = lines
    .map((l, i) => ({ i, s: similarity(l, firstWanted) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, 20)
    .map((c) => c.i - want.indexOf(firstWanted))
    .filter((i) => i >= 0);
  let best = { i: -1, score: 0 };
  for (const i of starts) {
    const window = want.map((w, j) => similarity(lines[i + j] ?? '', w));
    const score = window.reduce((a, b) => a + b, 0) / want.length;
    if (score > best.score) best = { i, score };
  }
  if (best.i < 0 || best.score < 0.4) return undefined;
  const end = Math.min(lines.length, best.i + want.length);
  const shown = lines.slice(best.i, end).map((l, j) => `${String(best.i + j + 1).padStart(6)}\t${l.slice(0, 200)}`);
  const where = end === best.i + 1 ? `line ${end}` : `lines ${best.i + 1}–${end}`;
  let text = `The closest text is at ${where} (${Math.round(best.score * 100)}% similar):\n${shown.slice(0, 12).join('\n')}`;
  const diff = want.findIndex((w, j) => w !== lines[best.i + j]);
  if (diff >= 0 && best.i + diff < lines.length) {
    text += `\nFirst difference at line ${best.i + diff + 1}: the file has ${JSON.stringify(lines[best.i + diff]!.slice(0, 200))} but old_string has ${JSON.stringify(want[diff]!.slice(0, 200))}.`;
  }
  return text;
}
