import { describe, expect, test } from 'vitest';
import { applyMatches, closestLines, detectEol, findMatches, normaliseChars } from '../../tools/edit-match.ts';

describe('edit matching', () => {
  test('character normalisation keeps offsets (one character for one)', () => {
    const s = '\u2018a\u2019 \u201Cb\u201D c\u2013d\u2014e\u00A0f\u3000g';
    expect(normaliseChars(s)).toBe(`'a' "b" c-d-e f g`);
    expect(normaliseChars(s)).toHaveLength(s.length);
  });

  test('dominant line ending', () => {
    expect(detectEol('a\r\nb\r\nc\n')).toBe('\r\n');
    expect(detectEol('a\nb\n')).toBe('\n');
  });

  test('tolerant matches in several places are each re-indented to their own place', () => {
    const file = 'if a:\n    go()\n    stop()\nif b:\n        go()\n        stop()\n';
    const { matches, note } = findMatches(file, 'go()\nstop()', 'go()\nwait()\nstop()');
    expect(note).toContain('indentation');
    expect(applyMatches(file, matches)).toBe('if a:\n    go()\n    wait()\n    stop()\nif b:\n        go()\n        wait()\n        stop()\n');
  });

  test('exact matches win over tolerant ones and report no note', () => {
    const r = findMatches('  x = 1\nx = 1\n', 'x = 1', 'x = 2');
    expect(r.note).toBeUndefined();
    expect(r.matches).toHaveLength(2);
  });

  test('closest lines: nothing similar gives no hint', () => {
    expect(closestLines('alpha\nbeta\ngamma\n', 'zzzz qqqq')).toBeUndefined();
    expect(closestLines('const total = a + b;\n', 'const totl = a + b;')).toMatch(/^The closest text is at line 1 \(\d+% similar\)/);
  });
});
