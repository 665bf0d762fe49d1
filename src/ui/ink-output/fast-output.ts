// A drop-in for Ink's Output (ink/build/output.js), swapped in at bundle time by scripts/ink-output-plugin.mjs.
// Ink's Output builds a grid of one object per cell and tokenizes every character of the frame, every frame:
// most of the REPL's CPU while an answer streams. This one places whole lines side by side, caches line
// splits and widths across frames, and replays into Ink's own Output when a frame needs what it does not do
// (clipping, overlapping writes, negative x). Imports string-width, Ink's Output and the cache only.
import InkOutput from 'ink-original-output';
import stringWidth from 'string-width';
import { ForgetfulCache } from '../forgetful-cache.ts';
import { styledLines } from './styled-lines.ts';

type Transformer = (line: string, index: number) => string;
type Clip = { x1?: number; x2?: number; y1?: number; y2?: number };
type Operation = { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] } | { type: 'clip'; clip: Clip } | { type: 'unclip' };

interface Segment {
  x: number;
  text: string;
  width: number;
}

const linesOf = new ForgetfulCache<string, string[]>(2000);
const widthOf = new ForgetfulCache<string, number>(5000);

export default class Output {
  width: number;
  height: number;
  private readonly operations: Operation[] = [];
  /** The frame has clips or writes at negative x: Ink's Output renders it. */
  private slow = false;

  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
    if (text === '') return;
    if (x < 0) this.slow = true;
    this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
  }

  clip(clip: Clip): void {
    this.slow = true;
    this.operations.push({ type: 'clip', clip });
  }

  unclip(): void {
    this.operations.push({ type: 'unclip' });
  }

  get(): { output: string; height: number } {
    if (this.slow) return this.replay();
    const rows: Segment[][] = Array.from({ length: this.height }, () => []);
    for (const op of this.operations) {
      if (op.type !== 'write') continue;
      const lines = linesOf.get(op.text, styledLines);
      for (let i = 0; i < lines.length; i++) {
        const row = rows[op.y + i];
        if (!row) continue;
        let line = lines[i]!;
        for (const transform of op.transformers) line = transform(line, i);
        if (line === '') continue;
        row.push({ x: op.x, text: line, width: widthOf.get(line, stringWidth) });
      }
    }
    const out: string[] = [];
    for (const row of rows) {
      const line = joinRow(row);
      if (line === undefined) return this.replay();
      out.push(line);
    }
    return { output: out.join('\n'), height: rows.length };
  }

  /** Renders this frame with Ink's own Output. */
  private replay(): { output: string; height: number } {
    const ink = new InkOutput({ width: this.width, height: this.height });
    for (const op of this.operations) {
      if (op.type === 'write') ink.write(op.x, op.y, op.text, { transformers: op.transformers });
      else if (op.type === 'clip') ink.clip({ x1: op.clip.x1, x2: op.clip.x2, y1: op.clip.y1, y2: op.clip.y2 });
      else ink.unclip();
    }
    return ink.get();
  }
}

/** The segments of one row side by side, padded with spaces; undefined when two of them overlap. */
function joinRow(row: Segment[]): string | undefined {
  if (row.length === 0) return '';
  if (row.length > 1) row.sort((a, b) => a.x - b.x);
  let line = '';
  let column = 0;
  for (const segment of row) {
    if (segment.x < column) return undefined;
    line += ' '.repeat(segment.x - column) + segment.text;
    column = segment.x + segment.width;
  }
  return line.trimEnd();
}
