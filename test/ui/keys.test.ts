import { describe, expect, it } from 'vitest';
import { emptyEditor, type EditorState } from '../../src/ui/editor.ts';
import { NO_KEY, routeKey, splitTyping, type KeyContext, type KeyInfo } from '../../src/ui/keys.ts';

const ctx = (over: Partial<KeyContext> = {}, text = ''): KeyContext => ({
  busy: false,
  editor: { ...emptyEditor(), text, cursor: text.length } as EditorState,
  history: ['old'],
  completions: 0,
  ...over,
});
const key = (k: Partial<KeyInfo>): KeyInfo => ({ ...NO_KEY, ...k });

describe('routeKey', () => {
  it('submits on Enter and adds a line on Shift+Enter, Meta+Enter, Ctrl+J and a trailing backslash', () => {
    expect(routeKey('', key({ return: true }), ctx({}, 'hi'))).toEqual({ type: 'submit' });
    const newline = { type: 'edit', action: { type: 'insert', text: '\n' } };
    expect(routeKey('', key({ return: true, shift: true }), ctx())).toEqual(newline);
    expect(routeKey('', key({ return: true, meta: true }), ctx())).toEqual(newline);
    expect(routeKey('\n', NO_KEY, ctx())).toEqual(newline);
    expect(routeKey('j', key({ ctrl: true }), ctx())).toEqual(newline);
    expect(routeKey('', key({ return: true }), ctx({}, 'line\\'))).toEqual({ type: 'edit', action: { type: 'replace', start: 4, end: 5, text: '\n' } });
  });

  it('accepts a completion with Enter or Tab when one is showing', () => {
    expect(routeKey('', key({ return: true }), ctx({ completions: 2 }, '/he'))).toEqual({ type: 'accept_completion', enter: true });
    expect(routeKey('', key({ tab: true }), ctx({ completions: 2 }, '@sr'))).toEqual({ type: 'accept_completion', enter: false });
    expect(routeKey('', key({ downArrow: true }), ctx({ completions: 2 }))).toEqual({ type: 'edit', action: { type: 'completion_move', delta: 1, count: 2 } });
  });

  it('clears with Ctrl+C, and asks the controller on an empty prompt', () => {
    expect(routeKey('c', key({ ctrl: true }), ctx({}, 'text'))).toEqual({ type: 'edit', action: { type: 'clear' } });
    expect(routeKey('c', key({ ctrl: true }), ctx())).toEqual({ type: 'ctrl_c' });
    expect(routeKey('d', key({ ctrl: true }), ctx())).toEqual({ type: 'exit' });
    expect(routeKey('d', key({ ctrl: true }), ctx({}, 'x'))).toEqual({ type: 'edit', action: { type: 'delete' } });
  });

  it('interrupts with Esc while the model works; on an empty idle prompt Esc counts towards Esc Esc (/rewind)', () => {
    expect(routeKey('', key({ escape: true }), ctx({ busy: true }))).toEqual({ type: 'abort' });
    expect(routeKey('', key({ escape: true }), ctx())).toEqual({ type: 'escape_idle' });
    expect(routeKey('', key({ escape: true }), ctx({}, 'typed'))).toBeUndefined();
  });

  it('walks history from the first line and moves the cursor otherwise', () => {
    expect(routeKey('', key({ upArrow: true }), ctx())).toMatchObject({ action: { type: 'history', direction: 'prev' } });
    expect(routeKey('', key({ upArrow: true }), ctx({}, 'a\nb'))).toMatchObject({ action: { type: 'move', to: 'up' } });
  });

  it('cycles the mode, toggles reasoning, opens the editor and searches', () => {
    expect(routeKey('', key({ tab: true, shift: true }), ctx())).toEqual({ type: 'cycle_mode' });
    expect(routeKey('t', key({ ctrl: true }), ctx())).toEqual({ type: 'toggle_reasoning' });
    expect(routeKey('g', key({ ctrl: true }), ctx())).toEqual({ type: 'external_editor' });
    expect(routeKey('v', key({ ctrl: true }), ctx())).toEqual({ type: 'paste_image' });
    expect(routeKey('r', key({ ctrl: true }), ctx())).toEqual({ type: 'edit', action: { type: 'search_start' } });
  });

  it('types into the search query while searching', () => {
    const c = ctx({ editor: { ...emptyEditor(), search: { query: 'np', match: -1 } } });
    expect(routeKey('m', NO_KEY, c)).toMatchObject({ action: { type: 'search_type', query: 'npm' } });
    expect(routeKey('', key({ return: true }), c)).toMatchObject({ action: { type: 'search_accept' } });
    expect(routeKey('', key({ escape: true }), c)).toEqual({ type: 'edit', action: { type: 'search_cancel' } });
  });

  it('answers an approval with y, a, n then a reason, or Esc', () => {
    const asking = ctx({ approval: { typing: false, feedback: '' } });
    expect(routeKey('y', NO_KEY, asking)).toEqual({ type: 'approve', decision: { decision: 'allow' } });
    expect(routeKey('a', NO_KEY, asking)).toEqual({ type: 'approve', decision: { decision: 'allow', always: true } });
    expect(routeKey('n', NO_KEY, asking)).toEqual({ type: 'approval_feedback', feedback: '' });
    expect(routeKey('', key({ escape: true }), asking)).toEqual({ type: 'approve', decision: { decision: 'deny' } });
    expect(routeKey('x', NO_KEY, asking)).toBeUndefined();
    const typing = ctx({ approval: { typing: true, feedback: 'use ' } });
    expect(routeKey('t', NO_KEY, typing)).toEqual({ type: 'approval_feedback', feedback: 'use t' });
    expect(routeKey('', key({ return: true }), typing)).toEqual({ type: 'approve', decision: { decision: 'deny', feedback: 'use' } });
  });

  it('moves and chooses in a picker', () => {
    const picking = ctx({ picker: { count: 3 } });
    expect(routeKey('', key({ downArrow: true }), picking)).toEqual({ type: 'picker_move', delta: 1 });
    expect(routeKey('2', NO_KEY, picking)).toEqual({ type: 'picker_choose', index: 1 });
    expect(routeKey('', key({ escape: true }), picking)).toEqual({ type: 'picker_cancel' });
  });

  it('treats a multi-character chunk as a paste', () => {
    expect(routeKey('a\nb', NO_KEY, ctx())).toEqual({ type: 'edit', action: { type: 'paste', text: 'a\nb' } });
  });
});

describe('splitTyping', () => {
  const enter = { input: '', key: { ...NO_KEY, return: true } };
  const tab = { input: '', key: { ...NO_KEY, tab: true } };
  it('splits fast typing from a Tab or Enter at either end', () => {
    expect(splitTyping('hello\r', NO_KEY)).toEqual([{ input: 'hello', key: NO_KEY }, enter]);
    expect(splitTyping('\t?', NO_KEY)).toEqual([tab, { input: '?', key: NO_KEY }]);
    expect(splitTyping('\rnext', NO_KEY)).toEqual([enter, { input: 'next', key: NO_KEY }]);
  });
  it('leaves single keys and pastes with line breaks or tabs inside alone', () => {
    expect(splitTyping('\r', NO_KEY)).toBeUndefined();
    expect(splitTyping('a\rb\r', NO_KEY)).toBeUndefined();
    expect(splitTyping('if (x)\n\treturn;', NO_KEY)).toBeUndefined();
    expect(splitTyping('plain text', NO_KEY)).toBeUndefined();
  });
});

describe('routeKey: plan approval and the transcript view', () => {
  it('answers a plan with the mode to go on in, or starts feedback to keep planning', () => {
    const plan = ctx({ approval: { typing: false, feedback: '', plan: true } });
    expect(routeKey('1', NO_KEY, plan)).toEqual({ type: 'approve', decision: { decision: 'allow', mode: 'default' } });
    expect(routeKey('2', NO_KEY, plan)).toEqual({ type: 'approve', decision: { decision: 'allow', mode: 'acceptEdits' } });
    expect(routeKey('3', NO_KEY, plan)).toEqual({ type: 'approval_feedback', feedback: '' });
    expect(routeKey('', key({ escape: true }), plan)).toEqual({ type: 'approve', decision: { decision: 'deny' } });
  });

  it('opens the transcript with Ctrl+O, scrolls it and closes it with Ctrl+O, Esc or q', () => {
    expect(routeKey('o', key({ ctrl: true }), ctx())).toEqual({ type: 'transcript', open: true });
    const open = ctx({ transcript: { page: 20 } });
    expect(routeKey('', key({ upArrow: true }), open)).toEqual({ type: 'transcript_scroll', delta: 1 });
    expect(routeKey('', key({ pageDown: true }), open)).toEqual({ type: 'transcript_scroll', delta: -20 });
    expect(routeKey('', key({ home: true }), open)).toEqual({ type: 'transcript_scroll', delta: Infinity });
    for (const k of [routeKey('o', key({ ctrl: true }), open), routeKey('', key({ escape: true }), open), routeKey('q', NO_KEY, open)]) {
      expect(k).toEqual({ type: 'transcript', open: false });
    }
  });
});
