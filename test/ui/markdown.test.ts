import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMarkdown, renderMarkdown } from '../../src/ui/markdown.ts';
import { stripColors, themeFromEnv } from '../../src/ui/theme.ts';

// chalk (inside marked-terminal) decides on colour when it is first imported; tests run without a TTY.
beforeAll(async () => {
  process.env.FORCE_COLOR = '3';
  await loadMarkdown();
});
const plain = (md: string, width = 60) => stripVTControlCharacters(renderMarkdown(md, width));

describe('renderMarkdown', () => {
  it('renders headings, emphasis and inline code without their markers', () => {
    const out = plain('# Title\n\nSome **bold** and `code`.');
    expect(out).toContain('Title');
    expect(out).toContain('Some bold and code.');
    expect(out).not.toMatch(/\*\*|`|^#/m);
  });

  it('renders setext headings (a line underlined with === or ---) like # headings', () => {
    const setext = renderMarkdown('Intro text.\n\nTitle\n=====\n\nSub\n---\n\nBody.', 60);
    const atx = renderMarkdown('Intro text.\n\n# Title\n\n## Sub\n\nBody.', 60);
    expect(setext).toBe(atx);
    expect(plain('just a paragraph\nover two lines')).toBe('just a paragraph over two lines');
  });

  it('renders code while it streams in one colour, and highlighted once finished', () => {
    const streaming = renderMarkdown('```ts\nconst a = 1;\n```', 60, true, false);
    const finished = renderMarkdown('```ts\nconst a = 1;\n```', 60);
    expect(streaming).toContain('\x1b[33mconst a = 1;\x1b[39m');
    expect(finished).not.toBe(streaming);
  });

  it('renders inline styles inside tight list items', () => {
    const out = plain('- a **bold** item\n- `code` item');
    expect(out).toContain('a bold item');
    expect(out).toContain('code item');
    expect(out).not.toContain('**');
  });

  it('wraps paragraphs to the width and drops trailing blank lines', () => {
    const out = plain('word '.repeat(40).trim(), 30);
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(30);
    expect(out.endsWith('\n')).toBe(false);
  });

  it('shows code without a language in one colour instead of guessing the language', () => {
    const out = renderMarkdown('```\nconst a = 1;\n```', 60);
    expect(out).toContain('\x1b[33mconst a = 1;\x1b[39m');
  });

  it('highlights code with a known language', () => {
    const out = renderMarkdown('```ts\nconst a = 1;\n```', 60);
    expect(stripVTControlCharacters(out)).toContain('const a = 1;');
    expect(out).not.toContain('\x1b[33mconst a = 1;\x1b[39m');
  });

  it('keeps bold but drops colour under NO_COLOR', () => {
    const out = renderMarkdown('Some **bold** and `code`.', 60, false);
    expect(out).toContain('\x1b[1mbold');
    expect(out).not.toMatch(/\x1b\[3\dm/);
  });

  it("shows the model's control characters escaped, written raw or as character references, in text and code", () => {
    const md = 'Hi \x1b]52;c;Y2xpcA==\x07 and &#27;[8m, &#x9B;2J &#13; &#10003;\n\n```sh\necho \x1b[2J\r\n```';
    const out = renderMarkdown(md, 60);
    expect(out).not.toMatch(/\x1b(?!\[[\d;]*m)|[\x07\r\x80-\x9f]/);
    const shown = stripVTControlCharacters(out);
    expect(shown).toContain('Hi \\e]52;c;Y2xpcA==\\a and \\e[8m, \\u009b2J \\r ✓');
    expect(shown).toContain('echo \\e[2J');
  });
});

describe('theme', () => {
  it('has no colours under NO_COLOR', () => {
    expect(themeFromEnv({ NO_COLOR: '1' })).toEqual({ color: false });
  });

  it('picks colours that read on a light background from COLORFGBG', () => {
    expect(themeFromEnv({ COLORFGBG: '0;15' }).accent).toBe('blue');
    expect(themeFromEnv({ COLORFGBG: '15;0' }).accent).toBe('cyan');
  });

  it('strips colour codes and keeps styles', () => {
    expect(stripColors('\x1b[1;31mx\x1b[39;22m \x1b[38;5;200my\x1b[0m')).toBe('\x1b[1mx\x1b[22m y\x1b[0m');
  });
});
