import { describe, expect, it } from 'vitest';
import originalStringWidth from 'string-width-original';
import stringWidth, { ONE_COLUMN } from '../../src/ui/ink-output/string-width.ts';

describe("the REPL bundle's string-width", () => {
  it('gives every character it measures by length the width string-width gives it', () => {
    const wrong: string[] = [];
    for (let code = 0; code < 0x10000; code++) {
      const char = String.fromCharCode(code);
      if (ONE_COLUMN.test(char) && originalStringWidth(char) !== 1) wrong.push(code.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('measures the lines the REPL draws as string-width does', () => {
    const lines = [
      '\x1b[2mdefault mode\x1b[22m\x1b[2m (shift+tab) · glm-5.2 · zai · 12.3k tokens (6%)\x1b[22m',
      '\x1b[36m●\x1b[39m \x1b[0mThe parser reads \x1b[1meach\x1b[22m token\x1b[0m',
      '  ⎿ 12 lines read',
      '✻ Reasoning · 300 words (ctrl+t to show)',
      '❯ type here ✔ ✘ ➜',
      '╭──────╮ │ x │ ╰──────╯ ⠋ ⠙ ⠹',
      'café naïve → ≠ ≤ ‘quoted’ “quoted” — …',
      // Delegated: wide, emoji, combining, zero-width, tabs and non-SGR escapes.
      '日本語のテキスト',
      'ok ✅ done 👍🏽',
      'e\u0301 a\u200bb',
      'tab\there',
      '\x1b]8;;https://example.com\x07link\x1b]8;;\x07',
      '',
    ];
    for (const line of lines) expect(stringWidth(line), JSON.stringify(line)).toBe(originalStringWidth(line));
  });

  it('honours the options wrap-ansi and others pass', () => {
    for (const text of ['\x1b[1mab\x1b[22m', '✻ Reasoning… · ●', 'a·b', '']) {
      for (const options of [{ countAnsiEscapeCodes: true }, { ambiguousIsNarrow: false }, { countAnsiEscapeCodes: true, ambiguousIsNarrow: true }]) {
        expect(stringWidth(text, options), `${JSON.stringify(text)} ${JSON.stringify(options)}`).toBe(originalStringWidth(text, options));
      }
    }
  });
});
