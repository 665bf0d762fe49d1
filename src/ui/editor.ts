// The prompt editor as a pure reducer: text and cursor, multi-line editing, history walking, Ctrl+R search,
// big pastes kept as placeholders. Knows nothing of keys (keys.ts maps them) and imports no ink/react.

export interface EditorState {
  text: string;
  /** Index into `text` (UTF-16 units, never inside a surrogate pair). */
  cursor: number;
  /** While walking history: 0 is the newest entry; -1 when not walking. */
  historyIndex: number;
  /** What was typed before walking history, restored when walking past the newest entry. */
  draft: string;
  /** Ctrl+R reverse search: the query and the history index it matched (-1: no match). */
  search?: { query: string; match: number };
  /** Big pastes, shown in `text` as `[Pasted text #n +k lines]` and expanded on submit. */
  pastes: string[];
  /** Selected completion. */
  completion: number;
}

export type EditAction =
  | { type: 'insert'; text: string }
  | { type: 'paste'; text: string }
  | { type: 'backspace' }
  | { type: 'delete' }
  | { type: 'move'; to: 'left' | 'right' | 'home' | 'end' | 'word_left' | 'word_right' | 'up' | 'down' }
  | { type: 'kill'; what: 'line_end' | 'line_start' | 'word' }
  | { type: 'set'; text: string }
  | { type: 'clear' }
  | { type: 'history'; direction: 'prev' | 'next'; history: readonly string[] }
  | { type: 'search_start' }
  | { type: 'search_type'; query: string; history: readonly string[] }
  | { type: 'search_next'; history: readonly string[] }
  | { type: 'search_accept'; history: readonly string[] }
  | { type: 'search_cancel' }
  | { type: 'completion_move'; delta: number; count: number }
  | { type: 'replace'; start: number; end: number; text: string };

export const emptyEditor = (): EditorState => ({ text: '', cursor: 0, historyIndex: -1, draft: '', pastes: [], completion: 0 });

/** Pastes longer than this many characters or lines are shown as a placeholder. */
const PASTE_CHARS = 800;
const PASTE_LINES = 8;
const PLACEHOLDER = /\[Pasted text #(\d+) \+\d+ lines\]/g;

const withText = (s: EditorState, text: string, cursor: number): EditorState => ({ ...s, text, cursor, completion: 0, historyIndex: -1 });

const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const prevIndex = (t: string, i: number) => (i >= 2 && isLow(t.charCodeAt(i - 1)) ? i - 2 : Math.max(0, i - 1));
const nextIndex = (t: string, i: number) => (isLow(t.charCodeAt(i + 1)) ? i + 2 : Math.min(t.length, i + 1));

export const lineStart = (t: string, i: number): number => t.lastIndexOf('\n', i - 1) + 1;
export const lineEnd = (t: string, i: number): number => {
  const n = t.indexOf('\n', i);
  return n === -1 ? t.length : n;
};
export const onFirstLine = (s: EditorState): boolean => !s.text.slice(0, s.cursor).includes('\n');
export const onLastLine = (s: EditorState): boolean => !s.text.slice(s.cursor).includes('\n');

function wordLeft(t: string, i: number): number {
  while (i > 0 && /\s/.test(t[i - 1]!)) i--;
  while (i > 0 && !/\s/.test(t[i - 1]!)) i--;
  return i;
}

function wordRight(t: string, i: number): number {
  while (i < t.length && /\s/.test(t[i]!)) i++;
  while (i < t.length && !/\s/.test(t[i]!)) i++;
  return i;
}

function verticalMove(t: string, i: number, dir: -1 | 1): number {
  const start = lineStart(t, i);
  const column = i - start;
  if (dir < 0) {
    if (start === 0) return 0;
    const prevStart = lineStart(t, start - 1);
    return Math.min(prevStart + column, start - 1);
  }
  const end = lineEnd(t, i);
  if (end === t.length) return t.length;
  return Math.min(end + 1 + column, lineEnd(t, end + 1));
}

function move(s: EditorState, to: Extract<EditAction, { type: 'move' }>['to']): EditorState {
  const t = s.text;
  const cursor = {
    left: () => prevIndex(t, s.cursor),
    right: () => nextIndex(t, s.cursor),
    home: () => lineStart(t, s.cursor),
    end: () => lineEnd(t, s.cursor),
    word_left: () => wordLeft(t, s.cursor),
    word_right: () => wordRight(t, s.cursor),
    up: () => verticalMove(t, s.cursor, -1),
    down: () => verticalMove(t, s.cursor, 1),
  }[to]();
  return { ...s, cursor };
}

function kill(s: EditorState, what: Extract<EditAction, { type: 'kill' }>['what']): EditorState {
  const t = s.text;
  if (what === 'line_end') {
    const end = lineEnd(t, s.cursor);
    // At the end of a line, Ctrl+K joins the next one.
    const to = end === s.cursor && end < t.length ? end + 1 : end;
    return withText(s, t.slice(0, s.cursor) + t.slice(to), s.cursor);
  }
  const from = what === 'word' ? wordLeft(t, s.cursor) : lineStart(t, s.cursor);
  return withText(s, t.slice(0, from) + t.slice(s.cursor), from);
}

function insert(s: EditorState, text: string): EditorState {
  const clean = text.replace(/\r\n?/g, '\n');
  return withText(s, s.text.slice(0, s.cursor) + clean + s.text.slice(s.cursor), s.cursor + clean.length);
}

function paste(s: EditorState, text: string): EditorState {
  const clean = text.replace(/\r\n?/g, '\n');
  const lines = clean.split('\n').length;
  if (clean.length <= PASTE_CHARS && lines <= PASTE_LINES) return insert(s, clean);
  const pastes = [...s.pastes, clean];
  return { ...insert(s, `[Pasted text #${pastes.length} +${lines} lines]`), pastes };
}

function walkHistory(s: EditorState, direction: 'prev' | 'next', history: readonly string[]): EditorState {
  const index = s.historyIndex + (direction === 'prev' ? 1 : -1);
  if (index >= history.length) return s;
  if (index < 0) {
    if (s.historyIndex < 0) return s;
    return { ...s, text: s.draft, cursor: s.draft.length, historyIndex: -1 };
  }
  const text = history[history.length - 1 - index]!;
  const draft = s.historyIndex < 0 ? s.text : s.draft;
  return { ...s, text, cursor: direction === 'prev' ? lineEnd(text, 0) : text.length, historyIndex: index, draft, completion: 0 };
}

/** The newest history index at or after `from` whose entry contains `query`; -1 if none. */
function findInHistory(history: readonly string[], query: string, from: number): number {
  if (!query) return -1;
  const q = query.toLowerCase();
  for (let i = from; i < history.length; i++) {
    if (history[history.length - 1 - i]!.toLowerCase().includes(q)) return i;
  }
  return -1;
}

export function edit(s: EditorState, a: EditAction): EditorState {
  switch (a.type) {
    case 'insert':
      return insert(s, a.text);
    case 'paste':
      return paste(s, a.text);
    case 'backspace': {
      if (s.cursor === 0) return s;
      const from = prevIndex(s.text, s.cursor);
      return withText(s, s.text.slice(0, from) + s.text.slice(s.cursor), from);
    }
    case 'delete': {
      if (s.cursor >= s.text.length) return s;
      return withText(s, s.text.slice(0, s.cursor) + s.text.slice(nextIndex(s.text, s.cursor)), s.cursor);
    }
    case 'move':
      return move(s, a.to);
    case 'kill':
      return kill(s, a.what);
    case 'set':
      return { ...withText(s, a.text, a.text.length), pastes: s.pastes };
    case 'clear':
      return emptyEditor();
    case 'history':
      return walkHistory(s, a.direction, a.history);
    case 'search_start':
      return { ...s, search: { query: '', match: -1 } };
    case 'search_type':
      return s.search ? { ...s, search: { query: a.query, match: findInHistory(a.history, a.query, 0) } } : s;
    case 'search_next': {
      if (!s.search) return s;
      const match = findInHistory(a.history, s.search.query, s.search.match + 1);
      return match < 0 ? s : { ...s, search: { ...s.search, match } };
    }
    case 'search_accept': {
      if (!s.search) return s;
      const found = s.search.match >= 0 ? a.history[a.history.length - 1 - s.search.match] : undefined;
      const cleared = { ...s, search: undefined };
      return found === undefined ? cleared : withText(cleared, found, found.length);
    }
    case 'search_cancel':
      return { ...s, search: undefined };
    case 'completion_move':
      return a.count ? { ...s, completion: (s.completion + a.delta + a.count) % a.count } : s;
    case 'replace': {
      const text = s.text.slice(0, a.start) + a.text + s.text.slice(a.end);
      return withText(s, text, a.start + a.text.length);
    }
  }
}

/** The text to send: paste placeholders replaced by what was pasted. */
export function expandPastes(s: EditorState): string {
  return s.text.replace(PLACEHOLDER, (whole, n: string) => s.pastes[Number(n) - 1] ?? whole);
}
