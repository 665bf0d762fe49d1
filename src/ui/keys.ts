// Maps a key press to what it means in the current context (an Intent): editing, submitting, answering an
// approval, moving in a picker. Pure, so every binding is unit-tested; imports no ink/react.
import { onFirstLine, onLastLine, type EditAction, type EditorState } from './editor.ts';
import type { ApprovalDecision } from '../types.ts';

/** The parts of Ink's `Key` used here. */
export interface KeyInfo {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
  home: boolean;
  end: boolean;
  return: boolean;
  escape: boolean;
  ctrl: boolean;
  shift: boolean;
  tab: boolean;
  backspace: boolean;
  delete: boolean;
  meta: boolean;
}

export interface KeyContext {
  busy: boolean;
  /** The transcript view is open (Ctrl+O): keys scroll it. */
  transcript?: { page: number };
  /** `plan`: the approval of a plan (ExitPlanMode), answered with the mode to go on in. */
  approval?: { typing: boolean; feedback: string; plan?: boolean };
  picker?: { count: number };
  editor: EditorState;
  history: readonly string[];
  /** How many completions are showing. */
  completions: number;
}

export type Intent =
  | { type: 'edit'; action: EditAction }
  | { type: 'submit' }
  | { type: 'accept_completion'; enter: boolean }
  | { type: 'abort' }
  /** Esc with nothing running and nothing typed (twice: /rewind). */
  | { type: 'escape_idle' }
  | { type: 'ctrl_c' }
  | { type: 'exit' }
  | { type: 'cycle_mode' }
  | { type: 'toggle_reasoning' }
  | { type: 'transcript'; open: boolean }
  /** Lines up (positive) or down; Infinity and -Infinity go to the start and the end. */
  | { type: 'transcript_scroll'; delta: number }
  | { type: 'external_editor' }
  /** Ctrl+V: the clipboard's image into the prompt. */
  | { type: 'paste_image' }
  | { type: 'approve'; decision: ApprovalDecision }
  | { type: 'approval_feedback'; feedback: string }
  | { type: 'picker_move'; delta: number }
  | { type: 'picker_choose'; index?: number }
  | { type: 'picker_cancel' };

const edit = (action: EditAction): Intent => ({ type: 'edit', action });
const printable = (input: string, key: KeyInfo) => input !== '' && !key.ctrl && !key.meta && !/^[\x00-\x08\x0b-\x1f\x7f]+$/.test(input);

export function routeKey(input: string, key: KeyInfo, ctx: KeyContext): Intent | undefined {
  if (ctx.transcript) return transcriptKey(input, key, ctx.transcript.page);
  if (key.ctrl && input === 'o') return { type: 'transcript', open: true };
  if (key.ctrl && input === 't') return { type: 'toggle_reasoning' };
  if (ctx.picker) return pickerKey(input, key, ctx.picker.count);
  if (ctx.approval) return approvalKey(input, key, ctx.approval);
  if (key.tab && key.shift) return { type: 'cycle_mode' };
  if (ctx.editor.search) return searchKey(input, key, ctx);
  return editorKey(input, key, ctx);
}

function transcriptKey(input: string, key: KeyInfo, page: number): Intent | undefined {
  if (key.escape || (key.ctrl && (input === 'o' || input === 'c')) || input === 'q') return { type: 'transcript', open: false };
  const scroll = (delta: number): Intent => ({ type: 'transcript_scroll', delta });
  if (key.upArrow || input === 'k') return scroll(1);
  if (key.downArrow || input === 'j') return scroll(-1);
  if (key.pageUp || (key.ctrl && input === 'b') || input === 'b') return scroll(page);
  if (key.pageDown || (key.ctrl && input === 'f') || input === ' ') return scroll(-page);
  if (key.home || input === 'g') return scroll(Infinity);
  if (key.end || input === 'G') return scroll(-Infinity);
  return undefined;
}

function pickerKey(input: string, key: KeyInfo, count: number): Intent | undefined {
  if (key.escape || (key.ctrl && input === 'c')) return { type: 'picker_cancel' };
  if (key.upArrow || (key.ctrl && input === 'p')) return { type: 'picker_move', delta: -1 };
  if (key.downArrow || (key.ctrl && input === 'n') || key.tab) return { type: 'picker_move', delta: 1 };
  if (key.return) return { type: 'picker_choose' };
  const n = Number(input);
  if (/^[1-9]$/.test(input) && n <= count) return { type: 'picker_choose', index: n - 1 };
  return undefined;
}

function approvalKey(input: string, key: KeyInfo, a: { typing: boolean; feedback: string; plan?: boolean }): Intent | undefined {
  if (key.escape || (key.ctrl && input === 'c')) return { type: 'approve', decision: { decision: 'deny' } };
  if (a.typing) {
    if (key.return) return { type: 'approve', decision: a.feedback.trim() ? { decision: 'deny', feedback: a.feedback.trim() } : { decision: 'deny' } };
    if (key.backspace || key.delete) return { type: 'approval_feedback', feedback: a.feedback.slice(0, -1) };
    if (printable(input, key)) return { type: 'approval_feedback', feedback: a.feedback + input.replace(/[\r\n]+/g, ' ') };
    return undefined;
  }
  const k = input.toLowerCase();
  if (a.plan) {
    if (k === '1' || k === 'y') return { type: 'approve', decision: { decision: 'allow', mode: 'default' } };
    if (k === '2' || k === 'a') return { type: 'approve', decision: { decision: 'allow', mode: 'acceptEdits' } };
    if (k === '3' || k === 'n') return { type: 'approval_feedback', feedback: '' };
    return undefined;
  }
  if (k === 'y') return { type: 'approve', decision: { decision: 'allow' } };
  if (k === 'a') return { type: 'approve', decision: { decision: 'allow', always: true } };
  if (k === 'n') return { type: 'approval_feedback', feedback: '' };
  return undefined;
}

function searchKey(input: string, key: KeyInfo, ctx: KeyContext): Intent | undefined {
  const search = ctx.editor.search!;
  const { history } = ctx;
  if (key.escape || (key.ctrl && (input === 'c' || input === 'g'))) return edit({ type: 'search_cancel' });
  if (key.ctrl && input === 'r') return edit({ type: 'search_next', history });
  if (key.return || key.tab || key.leftArrow || key.rightArrow || key.upArrow || key.downArrow) return edit({ type: 'search_accept', history });
  if (key.backspace || key.delete) return edit({ type: 'search_type', query: search.query.slice(0, -1), history });
  if (printable(input, key)) return edit({ type: 'search_type', query: search.query + input, history });
  return undefined;
}

function ctrlKey(input: string, ctx: KeyContext): Intent | undefined {
  const empty = ctx.editor.text === '';
  switch (input) {
    case 'c':
      return empty ? { type: 'ctrl_c' } : edit({ type: 'clear' });
    case 'd':
      return empty ? { type: 'exit' } : edit({ type: 'delete' });
    case 'g':
      return { type: 'external_editor' };
    case 'v':
      return { type: 'paste_image' };
    case 'r':
      return edit({ type: 'search_start' });
    case 'a':
      return edit({ type: 'move', to: 'home' });
    case 'e':
      return edit({ type: 'move', to: 'end' });
    case 'b':
      return edit({ type: 'move', to: 'left' });
    case 'f':
      return edit({ type: 'move', to: 'right' });
    case 'k':
      return edit({ type: 'kill', what: 'line_end' });
    case 'u':
      return edit({ type: 'kill', what: 'line_start' });
    case 'w':
      return edit({ type: 'kill', what: 'word' });
    case 'h':
      return edit({ type: 'backspace' });
    case 'p':
      return edit({ type: 'history', direction: 'prev', history: ctx.history });
    case 'n':
      return edit({ type: 'history', direction: 'next', history: ctx.history });
    case 'j':
      return edit({ type: 'insert', text: '\n' });
    default:
      return undefined;
  }
}

function enterKey(key: KeyInfo, ctx: KeyContext): Intent {
  const { text, cursor } = ctx.editor;
  if (key.shift || key.meta) return edit({ type: 'insert', text: '\n' });
  if (cursor > 0 && text[cursor - 1] === '\\') return edit({ type: 'replace', start: cursor - 1, end: cursor, text: '\n' });
  if (ctx.completions > 0) return { type: 'accept_completion', enter: true };
  return { type: 'submit' };
}

function arrowKey(key: KeyInfo, ctx: KeyContext): Intent | undefined {
  const word = key.ctrl || key.meta;
  if (key.leftArrow) return edit({ type: 'move', to: word ? 'word_left' : 'left' });
  if (key.rightArrow) return edit({ type: 'move', to: word ? 'word_right' : 'right' });
  if (key.upArrow || key.downArrow) {
    const delta = key.upArrow ? -1 : 1;
    if (ctx.completions > 0) return edit({ type: 'completion_move', delta, count: ctx.completions });
    const atEdge = key.upArrow ? onFirstLine(ctx.editor) : onLastLine(ctx.editor);
    if (atEdge) return edit({ type: 'history', direction: key.upArrow ? 'prev' : 'next', history: ctx.history });
    return edit({ type: 'move', to: key.upArrow ? 'up' : 'down' });
  }
  return undefined;
}

function editorKey(input: string, key: KeyInfo, ctx: KeyContext): Intent | undefined {
  if (key.escape) return ctx.busy ? { type: 'abort' } : ctx.editor.text === '' ? { type: 'escape_idle' } : undefined;
  if (key.return) return enterKey(key, ctx);
  if (input === '\n' && !key.ctrl) return edit({ type: 'insert', text: '\n' }); // Ctrl+J arrives as a bare LF
  if (key.ctrl && !key.leftArrow && !key.rightArrow && !key.upArrow && !key.downArrow) return ctrlKey(input, ctx);
  if (key.tab) return ctx.completions > 0 ? { type: 'accept_completion', enter: false } : undefined;
  const arrow = arrowKey(key, ctx);
  if (arrow) return arrow;
  if (key.backspace) return edit(key.meta ? { type: 'kill', what: 'word' } : { type: 'backspace' });
  if (key.delete) return edit({ type: 'delete' });
  if (key.home) return edit({ type: 'move', to: 'home' });
  if (key.end) return edit({ type: 'move', to: 'end' });
  if (key.meta && input === 'b') return edit({ type: 'move', to: 'word_left' });
  if (key.meta && input === 'f') return edit({ type: 'move', to: 'word_right' });
  if (!printable(input, key)) return undefined;
  // Several characters at once is a paste the terminal did not bracket: keep it as one block of text.
  return edit(input.length > 1 ? { type: 'paste', text: input } : { type: 'insert', text: input });
}

/**
 * Keys typed faster than the terminal is read arrive as one chunk, and a lone Tab or Enter at either end of
 * it (`hello\r`, `\t?`) is a key press next to typing, not part of a paste. Returns the chunk split into
 * separate presses, or undefined when it is one (a single key, or a paste with line breaks or tabs inside).
 */
export function splitTyping(input: string, key: KeyInfo): { input: string; key: KeyInfo }[] | undefined {
  if (key.ctrl || key.meta || input.length < 2) return undefined;
  const press = (ch: string) => ({ input: '', key: { ...NO_KEY, tab: ch === '\t', return: ch === '\r' } });
  const first = input[0]!;
  const last = input.at(-1)!;
  if ((first === '\t' || first === '\r') && !/[\t\r\n]/.test(input.slice(1))) return [press(first), { input: input.slice(1), key: NO_KEY }];
  if ((last === '\t' || last === '\r') && !/[\t\r\n]/.test(input.slice(0, -1))) return [{ input: input.slice(0, -1), key: NO_KEY }, press(last)];
  return undefined;
}

export const NO_KEY: KeyInfo = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false,
  home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
  backspace: false, delete: false, meta: false,
};
