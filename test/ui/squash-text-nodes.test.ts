// src/ui/ink-output/squash-text-nodes.ts replaces Ink's squashTextNodes in the REPL bundle: same text out for
// the same node tree, also when the cleaned text comes from its cache.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import squashTextNodes, { type TextNode } from '../../src/ui/ink-output/squash-text-nodes.ts';

let inkSquash: (node: TextNode) => string;
beforeAll(async () => {
  const file = path.resolve(import.meta.dirname, '../../node_modules/ink/build/squash-text-nodes.js');
  inkSquash = ((await import(file)) as { default: (node: TextNode) => string }).default;
});

const text = (value: string): TextNode => ({ nodeName: '#text', nodeValue: value });
const el = (children: TextNode[], extra: Partial<TextNode> = {}, nodeName = 'ink-text'): TextNode => ({ nodeName, childNodes: children, ...extra });

const TREES: [string, TextNode][] = [
  ['plain', el([text('hello'), text(' '), text('world')])],
  ['styled', el([text('\x1b[1mbold\x1b[22m and \x1b[38;2;1;2;3mtrue colour\x1b[39m')])],
  ['cursor moves and clears stripped', el([text('a\x1b[2Kb\x1b[1Ac\x1b[?25ld')])],
  ['colon SGR forms', el([text('\x1b[38:5:196mred\x1b[4:3mcurly\x1b[58:2::1:2:3mx\x1b[0m')])],
  ['C0 and C1 controls', el([text('bell\x07 del\x7f \u009b31mc1\u009b39m osc\u009d8;;http://x\u009c')])],
  ['CR LF and tabs', el([text('a\r\nb\tc\r\n\td')])],
  ['hyperlink', el([text('\x1b]8;;https://example.com\x07link\x1b]8;;\x07')])],
  ['combining marks after SGR', el([text('e\x1b[1m\u0301x\x1b[22m')])],
  [
    'nested virtual text with transforms, hidden children skipped',
    el([
      text('› '),
      el([text('line one\nline two')], { internal_transform: (line, i) => `\x1b[36m${i}:${line}\x1b[39m` }, 'ink-virtual-text'),
      el([text('hidden')], { isHidden: true }, 'ink-virtual-text'),
      el([text('')], { internal_transform: (line) => `[${line}]` }, 'ink-virtual-text'),
    ]),
  ],
  ['a box (not ink-text) keeps tabs', el([text('a\tb')], {}, 'ink-box')],
];

describe("the REPL's squashTextNodes", () => {
  it('gives the text Ink gives, first from scratch and then from its cache', () => {
    for (const [name, tree] of TREES) {
      const expected = inkSquash(tree);
      expect(squashTextNodes(tree), name).toBe(expected);
      expect(squashTextNodes(tree), `${name} (cached)`).toBe(expected);
    }
  });

  it('keeps giving right answers after the cache has been refilled many times', () => {
    for (let i = 0; i < 1500; i++) {
      const tree = el([text(`\x1b[2mline ${i}\x1b[22m\x1b[1A`)]);
      expect(squashTextNodes(tree)).toBe(inkSquash(tree));
    }
  });
});
