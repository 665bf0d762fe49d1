// The transcript view (Ctrl+O) as lines: every item of the session in full (reasoning text, each tool's whole
// output, diffs), wrapped to the width, each with the tone the view colours it in. Pure; imports no ink/react.
import { safeLine, safeText } from '../terminal-text.ts';
import { renderMarkdown } from './markdown.ts';
import type { FinishedItem } from './state.ts';
import { wrapLines } from './wrap.ts';

export type LineTone = 'user' | 'accent' | 'dim' | 'error' | 'warn' | 'added' | 'removed' | 'hunk' | 'bold' | 'success';

export interface ViewLine {
  text: string;
  tone?: LineTone;
}

/** The lines of `text` wrapped to `width` after `indent`, all in one tone. */
function block(text: string, width: number, indent: string, tone?: LineTone): ViewLine[] {
  return wrapLines(text, Math.max(10, width - indent.length)).map((line) => ({ text: indent + line, tone }));
}

function diffLines(diff: string, width: number): ViewLine[] {
  const lines = safeText(diff).replace(/\n$/, '').split('\n').filter((l) => !/^(---|\+\+\+|Index: |={5,}|diff --git)/.test(l));
  return lines.flatMap((l) => block(l, width, '    ', l.startsWith('@@') ? 'hunk' : l.startsWith('+') ? 'added' : l.startsWith('-') ? 'removed' : 'dim'));
}

function itemLines(item: FinishedItem, width: number, color: boolean): ViewLine[] {
  switch (item.kind) {
    case 'user':
      return block(`› ${safeText(item.text)}`, width, '', 'user');
    case 'answer':
      return block(renderMarkdown(item.markdown, width - 2, color, false), width, '  ');
    case 'reasoning':
      return [{ text: `✻ Reasoning · ${item.words} word${item.words === 1 ? '' : 's'}`, tone: 'dim' }, ...block(safeText(item.text ?? ''), width, '  ', 'dim')];
    case 'tool': {
      const lines: ViewLine[] = [{ text: `● ${safeLine(item.title)}`, tone: item.isError ? 'error' : 'success' }];
      if (item.summary) lines.push(...block(`⎿ ${safeText(item.summary)}`, width, '  ', item.isError ? 'error' : 'dim'));
      const output = item.output ?? item.detail;
      // A command's output was settled as a terminal leaves it (state.ts); any other tool's shows every character.
      if (output?.trim() && !item.diff) lines.push(...block(safeText(output.replace(/\s+$/, '')), width, '    ', 'dim'));
      if (item.diff) lines.push(...diffLines(item.diff, width));
      return lines;
    }
    case 'notice':
      return block(safeText(item.text), width, '', item.tone === 'error' ? 'error' : item.tone === 'warn' ? 'warn' : item.tone === 'dim' ? 'dim' : undefined);
  }
}

/** Every item, a blank line between them. */
export function transcriptLines(items: readonly FinishedItem[], width: number, color: boolean): ViewLine[] {
  const out: ViewLine[] = [];
  for (const item of items) {
    if (out.length) out.push({ text: '' });
    out.push(...itemLines(item, width, color));
  }
  return out;
}
