import { describe, expect, it } from 'vitest';
import { edit, emptyEditor, expandPastes, type EditAction, type EditorState } from '../../src/ui/editor.ts';

const apply = (s: EditorState, ...actions: EditAction[]) => actions.reduce(edit, s);
const typed = (text: string, cursor = text.length): EditorState => ({ ...emptyEditor(), text, cursor });

describe('editor', () => {
  it('inserts at the cursor and deletes around it', () => {
    let s = apply(emptyEditor(), { type: 'insert', text: 'helo' }, { type: 'move', to: 'left' }, { type: 'insert', text: 'l' });
    expect(s).toMatchObject({ text: 'hello', cursor: 4 });
    s = apply(s, { type: 'backspace' }, { type: 'delete' });
    expect(s).toMatchObject({ text: 'hel', cursor: 3 });
  });

  it('never splits a surrogate pair', () => {
    let s = typed('a😀');
    s = edit(s, { type: 'backspace' });
    expect(s.text).toBe('a');
    s = apply(typed('😀b', 0), { type: 'move', to: 'right' });
    expect(s.cursor).toBe(2);
  });

  it('moves by words and kills words and lines', () => {
    const s = typed('git commit -m msg');
    expect(edit(s, { type: 'move', to: 'word_left' }).cursor).toBe('git commit -m '.length);
    expect(edit(s, { type: 'kill', what: 'word' }).text).toBe('git commit -m ');
    expect(edit(s, { type: 'kill', what: 'line_start' }).text).toBe('');
    expect(edit({ ...s, cursor: 3 }, { type: 'kill', what: 'line_end' }).text).toBe('git');
  });

  it('moves between lines keeping the column', () => {
    const s = typed('abcdef\nxy\nlonger line', 'abcdef\nxy\nlong'.length);
    const up = edit(s, { type: 'move', to: 'up' });
    expect(up.cursor).toBe('abcdef\nxy'.length); // column clamped to the shorter line
    const up2 = edit(up, { type: 'move', to: 'up' });
    expect(up2.cursor).toBe(2);
    expect(edit(up2, { type: 'move', to: 'down' }).cursor).toBe('abcdef\nxy'.length);
  });

  it('walks history and restores the draft', () => {
    const history = ['first', 'second'];
    let s = apply(typed('draft'), { type: 'history', direction: 'prev', history });
    expect(s.text).toBe('second');
    s = edit(s, { type: 'history', direction: 'prev', history });
    expect(s.text).toBe('first');
    s = edit(s, { type: 'history', direction: 'prev', history });
    expect(s.text).toBe('first');
    s = apply(s, { type: 'history', direction: 'next', history }, { type: 'history', direction: 'next', history });
    expect(s.text).toBe('draft');
  });

  it('searches history backwards with Ctrl+R', () => {
    const history = ['npm test', 'git status', 'npm run build'];
    let s = apply(emptyEditor(), { type: 'search_start' }, { type: 'search_type', query: 'npm', history });
    expect(s.search).toEqual({ query: 'npm', match: 0 });
    s = edit(s, { type: 'search_next', history });
    expect(s.search?.match).toBe(2);
    s = edit(s, { type: 'search_accept', history });
    expect(s).toMatchObject({ text: 'npm test', search: undefined });
    const none = apply(emptyEditor(), { type: 'search_start' }, { type: 'search_type', query: 'zzz', history });
    expect(none.search?.match).toBe(-1);
  });

  it('keeps a big paste as one placeholder and expands it on submit', () => {
    const big = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const s = apply(typed('look: '), { type: 'paste', text: big }, { type: 'insert', text: ' thanks' });
    expect(s.text).toBe('look: [Pasted text #1 +50 lines] thanks');
    expect(expandPastes(s)).toBe(`look: ${big} thanks`);
  });

  it('inserts a small paste as text, normalising CRLF', () => {
    expect(edit(emptyEditor(), { type: 'paste', text: 'a\r\nb' }).text).toBe('a\nb');
  });

  it('replaces a range (completion) and wraps the completion selection', () => {
    const s = edit(typed('see @sr'), { type: 'replace', start: 4, end: 7, text: '@src/a.ts ' });
    expect(s).toMatchObject({ text: 'see @src/a.ts ', cursor: 14 });
    expect(edit(s, { type: 'completion_move', delta: -1, count: 3 }).completion).toBe(2);
  });
});
