// tailLines: what the live region shows of long reasoning or tool output (the end, wrapped to the width).
import { describe, expect, it } from 'vitest';
import { tailLines } from '../../src/ui/components/live-view.tsx';

describe('tailLines', () => {
  it('shows short text whole', () => {
    expect(tailLines('one two three', 40, 5)).toEqual({ text: 'one two three', hidden: false });
  });

  it('shows the last lines of long text, wrapped to the width, and says the rest is hidden', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' ');
    const tail = tailLines(words, 30, 3);
    const lines = tail.text.split('\n');
    expect(tail.hidden).toBe(true);
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => l.length <= 30)).toBe(true);
    expect(lines.at(-1)!.trimEnd().endsWith('w4999')).toBe(true);
    // consecutive words: nothing is lost between the lines shown
    const shown = tail.text.split(/\s+/).filter(Boolean).map((w) => Number(w.slice(1)));
    expect(shown).toEqual(shown.map((_, i) => shown[0]! + i));
  });

  it('keeps the last lines of multi-line output', () => {
    const out = Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n');
    expect(tailLines(out, 80, 2)).toEqual({ text: 'line 198\nline 199', hidden: true });
  });
});
