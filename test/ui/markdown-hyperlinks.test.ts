// On a terminal that shows hyperlinks, marked-terminal writes Markdown links as OSC 8 sequences: they stay links,
// while OSC sequences the model wrote itself are shown escaped. (supports-hyperlinks decides when first imported.)
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMarkdown, renderMarkdown } from '../../src/ui/markdown.ts';

beforeAll(async () => {
  process.env.FORCE_HYPERLINK = '1';
  await loadMarkdown();
});

describe('renderMarkdown with hyperlinks', () => {
  it("keeps the renderer's links and escapes the model's own OSC sequences", () => {
    const out = renderMarkdown('See [the docs](https://example.com/docs) and \x1b]8;;file:evil\x07this\x1b]8;;\x07 too.', 80);
    expect(out).toContain('\x1b]8;;https://example.com/docs\x07the docs\x1b]8;;\x07');
    expect(out).toContain('\\e]8;;file:evil\\athis\\e]8;;\\a too.');
    expect([...out.matchAll(/\x1b\]8;;([^\x07]*)\x07/g)].map((m) => m[1])).toEqual(['https://example.com/docs', '']);
  });
});
