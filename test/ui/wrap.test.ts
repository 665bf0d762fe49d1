// wrapLines skips wrap-ansi for lines that already fit; the result must be what wrap-ansi gives, less the space
// a wrapped row would start with.
import wrapAnsi from 'wrap-ansi';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMarkdown, renderMarkdown } from '../../src/ui/markdown.ts';
import { wrapColumns, wrapLines } from '../../src/ui/wrap.ts';

beforeAll(async () => {
  process.env.FORCE_COLOR = '3';
  await loadMarkdown();
});

const MARKDOWN = [
  '## Step 1: the parser\n\nThe parser reads **each** token and builds a `tree()` so that later passes can check types resolve names and emit code quickly.',
  '- one **bold** item that is long enough to wrap around the edge of a narrow terminal\n- two\n\n1. first\n2. second',
  '```ts\nexport function step(input: string): number {\n  const tokens = input.split(/\\s+/); // a comment long enough to need wrapping at forty columns\n  return tokens.length;\n}\n```',
  '> a quote with a [link](https://example.com/a/very/long/path/that/does/not/fit/anywhere)\n\n| a | b |\n|---|---|\n| 1 | 2 |',
];
const RAW = [
  'averyveryverylongwordwithoutanyspacesthatmustbehardwrappedsomewhere',
  '日本語のテキストが折り返されるかどうかを確認するための長い行です',
  '\x1b[31mred text that goes on and on past the edge\x1b[39m and then plain',
  'tabs\there\tand\tthere with more words after them',
  'e\u0301te\u0301 combining marks decomposed and more words to wrap',
  'emoji 👍🏽 and ✅ in a line that is long enough to wrap',
  '',
  'trailing spaces   ',
  'line\r\nwith CR LF',
];

describe('wrapLines', () => {
  it('wraps as wrap-ansi does, for rendered Markdown and raw text, at several widths', () => {
    const texts = [...MARKDOWN.map((md) => renderMarkdown(md, 80)), ...MARKDOWN.map((md) => renderMarkdown(md, 40)), ...RAW];
    for (const text of texts) {
      for (const width of [12, 20, 40, 78]) {
        const expected = text
          .normalize()
          .replaceAll('\r\n', '\n')
          .split('\n')
          .flatMap((line) => wrapAnsi(line, width, { hard: true, trim: false }).split('\n').map((row, i) => (i ? row.replace(/^((?:\x1b\[[\d;]*m)*) +/, '$1') : row)));
        expect(wrapLines(text, width), `${width}: ${JSON.stringify(text.slice(0, 40))}`).toEqual(expected);
      }
    }
  });
});

describe('wrapLines: no stray space', () => {
  it('starts no wrapped row with the space it was broken at, and keeps a line\'s own indentation', () => {
    expect(wrapLines('aaaaaaaaaa bbb ccc dddd eeee', 10)).toEqual(['aaaaaaaaaa', 'bbb ccc ', 'dddd eeee']);
    expect(wrapLines('  indented line that wraps', 12)[0]).toBe('  indented ');
    expect(wrapLines('\x1b[2maaaa bbbbb cccc\x1b[22m', 10).map((l) => l.replace(/\x1b\[\d+m/g, ''))).toEqual(['aaaa bbbbb', 'cccc']);
  });
});

describe('wrapColumns', () => {
  it('continues a long description under itself, not at the left edge', () => {
    const line = '  /review [--fix]      review the uncommitted changes (read-only); --fix then fixes them, asking before each change';
    expect(wrapColumns(line, 60).split('\n')).toEqual([
      '  /review [--fix]      review the uncommitted changes',
      '                       (read-only); --fix then fixes them,',
      '                       asking before each change',
    ]);
  });

  it('continues four columns in when the first column takes more than half the width', () => {
    const line = '  /mcp__ev__completable-prompt <department> <name>   First argument choice narrows values for second argument. (MCP ev)';
    expect(wrapColumns(line, 60).split('\n')).toEqual([
      '  /mcp__ev__completable-prompt <department> <name>',
      '      First argument choice narrows values for second',
      '      argument. (MCP ev)',
    ]);
  });

  it('continues any other indented row under its own indentation', () => {
    expect(wrapColumns('      user · /usr/bin/node /home/u/servers/everything/dist/index.js stdio', 40).split('\n')).toEqual([
      '      user · /usr/bin/node /home/u/serve',
      '      rs/everything/dist/index.js stdio',
    ]);
  });

  it('leaves lines that fit and lines at the left edge as they are', () => {
    const text = 'Commands\n  /help   show commands and keys\nA sentence that is much longer than the width and has no second column at all.';
    expect(wrapColumns(text, 40)).toBe(text);
  });
});
