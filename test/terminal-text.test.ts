// Control characters from the model and the repository are shown, never acted on: each one becomes a visible
// escape, newline and tab stay where text may span lines, and ordinary Unicode is left as it is.
import { describe, expect, it } from 'vitest';
import { safeLine, safeStyled, safeText } from '../src/terminal-text.ts';

/** Nothing a terminal acts on: no C0 but tab and newline, no DEL, no C1, no bidi override. */
const INERT = /^[^\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*$/;

describe('safeText and safeLine', () => {
  const cases: [name: string, input: string, text: string, line: string][] = [
    ['conceal', 'echo ok \x1b[8m; touch MARKER', 'echo ok \\e[8m; touch MARKER', 'echo ok \\e[8m; touch MARKER'],
    ['C1 CSI', 'a\x9b2Jb', 'a\\u009b2Jb', 'a\\u009b2Jb'],
    ['OSC 52 clipboard', '\x1b]52;c;Y3VybCBldmls\x07', '\\e]52;c;Y3VybCBldmls\\a', '\\e]52;c;Y3VybCBldmls\\a'],
    ['OSC title, ST end', '\x1b]0;pwned\x1b\\', '\\e]0;pwned\\e\\', '\\e]0;pwned\\e\\'],
    ['C1 OSC and ST', '\x9d0;t\x9c', '\\u009d0;t\\u009c', '\\u009d0;t\\u009c'],
    ['clear screen', '\x1b[2J\x1b[H', '\\e[2J\\e[H', '\\e[2J\\e[H'],
    ['carriage return', 'rm -rf ~\rls', 'rm -rf ~\\rls', 'rm -rf ~\\rls'],
    ['backspace', 'evil\b\b\b\bgood', 'evil\\b\\b\\b\\bgood', 'evil\\b\\b\\b\\bgood'],
    ['bell', 'ding\x07', 'ding\\a', 'ding\\a'],
    ['NUL, VT, FF, DEL', '\x00\v\f\x7f', '\\u0000\\v\\f\\u007f', '\\u0000\\v\\f\\u007f'],
    ['bidi override', 'a\u202eb\u2066c', 'a\\u202eb\\u2066c', 'a\\u202eb\\u2066c'],
    ['bidi marks', 'a\u200eb\u200fc\u061cd', 'a\\u200eb\\u200fc\\u061cd', 'a\\u200eb\\u200fc\\u061cd'],
    ['newline and tab', 'a\n\tb', 'a\n\tb', 'a\\n\\tb'],
    ['CR LF line ends', 'a\r\nb\r\n', 'a\nb\n', 'a\\r\\nb\\r\\n'],
    ['CJK and emoji', '日本語 テスト 👍🏽 👨‍👩‍👧 café', '日本語 テスト 👍🏽 👨‍👩‍👧 café', '日本語 テスト 👍🏽 👨‍👩‍👧 café'],
    ['a literal backslash-e', "printf '\\e[1m'", "printf '\\e[1m'", "printf '\\e[1m'"],
  ];

  it.each(cases)('%s', (_name, input, text, line) => {
    expect(safeText(input)).toBe(text);
    expect(safeLine(input)).toBe(line);
    expect(safeText(input)).toMatch(INERT);
    expect(safeLine(input)).not.toMatch(/[\n\t\r]/);
  });

  it('returns text without control characters as it is', () => {
    const s = 'plain text, nothing to do';
    expect(safeText(s)).toBe(s);
    expect(safeLine(s)).toBe(s);
  });

  it('is idempotent: escaped text escapes to itself', () => {
    const once = safeText('x\x1b[8my\x9b\r');
    expect(safeText(once)).toBe(once);
  });

  it('keeps JSON text valid JSON with the same meaning', () => {
    const value = { a: 'x\x1b[8m\x9b2J\x7f\u202e\x07\r\n' };
    const shown = safeText(JSON.stringify(value));
    expect(shown).toMatch(INERT);
    expect(shown).not.toMatch(/[\x80-\x9f]/);
    expect(JSON.parse(shown)).toEqual(value);
  });
});

describe('safeStyled', () => {
  it("keeps glm's SGR colours and escapes every other control character", () => {
    const styled = '\x1b[1mbold\x1b[22m \x1b[33mcode\x1b[39m\x1b]52;c;eA==\x07\x9b2J\rx\r\n';
    expect(safeStyled(styled)).toBe('\x1b[1mbold\x1b[22m \x1b[33mcode\x1b[39m\\e]52;c;eA==\\a\\u009b2J\\rx\n');
  });

  it("keeps marked-terminal's OSC 8 hyperlinks, plain and wrapped for tmux", () => {
    const link = '\x1b]8;;https://example.com/a?b=1\x07docs\x1b]8;;\x07';
    const tmux = '\x1bPtmux;\x1b\x1b]8;;https://example.com\x07\x1b\\docs\x1bPtmux;\x1b\x1b]8;;\x07\x1b\\';
    expect(safeStyled(link)).toBe(link);
    expect(safeStyled(tmux)).toBe(tmux);
    expect(safeStyled('\x1b]52;c;eA==\x07')).toBe('\\e]52;c;eA==\\a');
  });

  it('escapes an ESC that does not start an SGR sequence', () => {
    expect(safeStyled('\x1b[2J\x1b[8;1H')).toBe('\\e[2J\\e[8;1H');
  });
});
