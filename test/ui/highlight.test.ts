// src/ui/highlight.ts stands in for cli-highlight in the REPL: same colours, byte for byte, without parse5.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { highlight, listLanguages, supportsLanguage } from '../../src/ui/highlight.ts';

type CliHighlight = typeof import('cli-highlight');
let original: CliHighlight;
beforeAll(async () => {
  process.env.FORCE_COLOR = '1'; // cli-highlight's chalk decides on colour when first imported; tests run without a TTY
  // By path: the name cli-highlight resolves to the stand-in here, as in the bundle.
  original = (await import(path.resolve(import.meta.dirname, '../../node_modules/cli-highlight/dist/index.js'))) as CliHighlight;
});

const SAMPLES: [language: string, code: string][] = [
  ['ts', 'export function step(input: string): number {\n  const tokens = input.split(/\\s+/); // words\n  return tokens.length * 2;\n}\n'],
  ['typescript', 'interface A<T> { x: Map<string, T> }\ntype B = A<number> | null;\nclass C implements A<1> { readonly x = new Map(); }'],
  ['js', 'const s = `sum ${a + b} and ${f(`nested ${c}`)}`;\n/* a\n   block */\nlet re = /a+b/gi;'],
  ['python', 'def f(x: int) -> str:\n    """Doc\n    string."""\n    return f"{x!r}"  # note\n\n@decorator\nclass K(Base): pass'],
  ['bash', '#!/bin/bash\nfor f in *.ts; do echo "$f ${HOME}"; done && exit 0'],
  ['json', '{"a": [1, 2.5, true, null], "b": {"c": "d"}}'],
  ['html', '<!DOCTYPE html>\n<div class="x" id=y><script>let a = 1 < 2;</script><style>p { color: red }</style>&amp;</div>'],
  ['css', '@media (max-width: 600px) { .a > #b:hover::after { content: "x"; margin: 0 auto !important } }'],
  ['diff', '--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-old line\n+new line\n same'],
  ['go', 'package main\n\nimport "fmt"\n\nfunc main() { x := []int{1, 2}; fmt.Println(len(x)) }'],
  ['rust', 'fn main() -> Result<(), Box<dyn Error>> { let v: Vec<u8> = vec![1]; println!("{}", v[0]); Ok(()) }'],
  ['sql', "SELECT a, COUNT(*) FROM t WHERE b = 'x' GROUP BY a; -- comment"],
  ['yaml', 'key: value\nlist:\n  - 1\n  - "two"\nanchor: &a {x: 1}'],
  ['markdown', '# Title\n\n**bold** _it_ `code` [link](http://x)\n\n```js\nlet a;\n```'],
  ['dockerfile', 'FROM node:22\nRUN npm ci && npm test\nCMD ["node", "bin/glm.js"]'],
  ['ts', 'windows\r\nline endings\r\n// comment\r\n'],
  ['ts', ''],
  ['json', '{ a b c ]]] }'], // illegal for highlight.js: plain text
];

describe("the REPL's cli-highlight stand-in", () => {
  it('colours code exactly as cli-highlight does', () => {
    for (const [language, code] of SAMPLES) {
      expect(highlight(code, { language }), `${language}: ${JSON.stringify(code.slice(0, 30))}`).toBe(original.highlight(code, { language }));
    }
  });

  it('returns code highlight.js calls illegal as plain text', async () => {
    const hljs = (await import('highlight.js')).default;
    expect(hljs.highlight('{ a b c ]]] }', { language: 'json' }).illegal).toBe(true);
    expect(highlight('{ a b c ]]] }', { language: 'json' })).toBe('{ a b c ]]] }');
  });

  it('colours every language highlight.js knows as cli-highlight does', () => {
    const code = 'type t = A | B(int);\nlet f = (x) => { return "s" + 1; } // c\n<div id="a">x</div>\n# h\n';
    const differ = listLanguages().filter((language) => highlight(code, { language }) !== original.highlight(code, { language }));
    expect(differ).toEqual([]);
  });

  it('detects the language as cli-highlight does when none is given', () => {
    for (const code of ['def f():\n    return 1', '<p>hi</p>', 'just some words']) expect(highlight(code)).toBe(original.highlight(code));
  });

  it('knows the same languages', () => {
    expect(listLanguages()).toEqual(original.listLanguages());
    for (const name of ['ts', 'tsx', 'py', 'sh', 'nope', '']) expect(supportsLanguage(name), name).toBe(original.supportsLanguage(name));
  });

  it('throws for an unknown language, as cli-highlight does (marked-terminal then shows the code plain)', () => {
    expect(() => original.highlight('x', { language: 'nope' })).toThrow();
    expect(() => highlight('x', { language: 'nope' })).toThrow();
  });
});
