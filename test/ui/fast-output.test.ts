// The REPL's replacement for Ink's Output must put the same characters with the same styles in the same cells
// as Ink's own, for every frame. Each case writes the same operations to both and compares what a terminal
// would show: per row, each cell's character and the set of attributes active on it.
import InkOutput from 'ink-original-output';
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import FastOutput from '../../src/ui/ink-output/fast-output.ts';
import { styledLines } from '../../src/ui/ink-output/styled-lines.ts';
import { loadMarkdown, renderMarkdown } from '../../src/ui/markdown.ts';

type Op = ['write', number, number, string, ((line: string, i: number) => string)[]?] | ['clip', { x1?: number; x2?: number; y1?: number; y2?: number }] | ['unclip'];

function run(OutputClass: typeof InkOutput | typeof FastOutput, width: number, height: number, ops: Op[]): string {
  const out = new OutputClass({ width, height });
  for (const op of ops) {
    if (op[0] === 'write') out.write(op[1], op[2], op[3], { transformers: op[4] ?? [] });
    else if (op[0] === 'clip') out.clip({ x1: op[1].x1, x2: op[1].x2, y1: op[1].y1, y2: op[1].y2 });
    else out.unclip();
  }
  return out.get().output;
}

/** What a terminal shows for one line: cells of [character, active attributes]; trailing plain blanks dropped. */
function cells(line: string): string[] {
  const active = new Map<string, string>();
  const shown: string[] = [];
  const sgr = /\x1b\[([\d;]*)m/y;
  for (let i = 0; i < line.length; ) {
    sgr.lastIndex = i;
    const m = sgr.exec(line);
    if (m) {
      const ps = m[1] === '' ? ['0'] : m[1]!.split(';');
      for (let k = 0; k < ps.length; k++) {
        const p = Number(ps[k]);
        if (p === 0) active.clear();
        else if (p === 22) (active.delete('1'), active.delete('2'));
        else if (p === 39) active.delete('fg');
        else if (p === 49) active.delete('bg');
        else if (p >= 23 && p <= 29) active.delete(String(p - 20));
        else if (p === 38 || p === 48) {
          const n = ps[k + 1] === '5' ? 2 : 4;
          active.set(p === 38 ? 'fg' : 'bg', ps.slice(k, k + 1 + n).join(';'));
          k += n;
        } else if ((p >= 30 && p <= 37) || (p >= 90 && p <= 97)) active.set('fg', String(p));
        else if ((p >= 40 && p <= 47) || (p >= 100 && p <= 107)) active.set('bg', String(p));
        else active.set(String(p), String(p));
      }
      i = sgr.lastIndex;
      continue;
    }
    const ch = String.fromCodePoint(line.codePointAt(i)!);
    i += ch.length;
    const styles = [...active.values()].sort().join(',');
    shown.push(stringWidth(ch) === 2 ? `${ch}|${styles}|wide` : `${ch}|${styles}`);
  }
  while (shown.length && shown.at(-1) === ' |') shown.pop();
  return shown;
}

const screen = (output: string) => output.split('\n').map(cells);

function expectSameScreen(width: number, height: number, ops: Op[]): void {
  const ink = run(InkOutput, width, height, ops);
  const fast = run(FastOutput, width, height, ops);
  expect(screen(fast)).toEqual(screen(ink));
}

const bold = (s: string) => `\x1b[1m${s}\x1b[22m`;
const red = (s: string) => `\x1b[31m${s}\x1b[39m`;
const colourLine = (line: string) => (line ? `\x1b[36m${line}\x1b[39m` : line);

describe('the REPL Output (fast-output.ts) against Ink', () => {
  it('places lines and side-by-side segments in the same cells', () => {
    expectSameScreen(40, 4, [
      ['write', 0, 0, '●'],
      ['write', 2, 0, 'first line\nsecond line'],
      ['write', 0, 3, '❯'],
      ['write', 2, 3, 'prompt text'],
      ['write', 30, 3, 'right'],
    ]);
  });

  it('keeps a style open across lines on every line it covers', () => {
    expectSameScreen(40, 4, [['write', 2, 0, `plain ${bold('bold\nstill bold')} plain\n${red('red\n')}after`]]);
  });

  it('handles 256-colour and truecolour codes and resets', () => {
    expectSameScreen(60, 3, [['write', 0, 0, '\x1b[38;5;208morange\nstill\x1b[0m none\n\x1b[48;2;10;20;30mbg\x1b[49m']]);
  });

  it('applies transformers line by line, after splitting styles per line', () => {
    expectSameScreen(40, 3, [['write', 4, 0, `a ${bold('b\nc')}\nd`, [colourLine, (line, i) => `${i}:${line}`]]]);
  });

  it('counts wide characters as two columns', () => {
    expectSameScreen(30, 2, [
      ['write', 0, 0, '你好 world'],
      ['write', 12, 0, 'x'],
      ['write', 0, 1, '🙂 ok'],
    ]);
  });

  it('drops lines written outside the frame', () => {
    expectSameScreen(20, 2, [['write', 0, 1, 'kept\ncut off']]);
  });

  it('shows a rendered Markdown answer beside its marker as Ink does', async () => {
    process.env.FORCE_COLOR = '1'; // marked-terminal's chalk reads it when loadMarkdown imports it
    await loadMarkdown();
    const md = '## Title\n\nSome **bold** and `code` in a sentence long enough to wrap at this width, twice over.\n\n- one *item*\n- two\n\n```ts\nconst x: number = 1;\n```\n';
    const rendered = renderMarkdown(md, 38);
    expect(rendered).toContain('\x1b['); // styled
    expectSameScreen(40, 14, [
      ['write', 0, 0, '●', [colourLine]],
      ['write', 2, 0, rendered],
    ]);
  });

  it('falls back to Ink for overlapping writes and clipping', () => {
    expectSameScreen(20, 2, [
      ['write', 0, 0, 'aaaaaaaaaa'],
      ['write', 3, 0, red('BB')],
    ]);
    expectSameScreen(20, 2, [['clip', { x1: 2, x2: 6, y1: 0, y2: 2 }], ['write', 0, 0, 'clipped text\nmore'], ['unclip']]);
  });
});

describe('styledLines', () => {
  it('leaves plain text alone and closes what a line leaves open', () => {
    expect(styledLines('a\nb')).toEqual(['a', 'b']);
    expect(styledLines(`${bold('x\ny')}`)).toEqual(['\x1b[1mx\x1b[22m', '\x1b[1my\x1b[22m']);
  });
});
