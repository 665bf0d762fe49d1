// extraRows: how many rows a frame gains when a narrower terminal rewraps its lines (what reflow.ts erases).
import { describe, expect, it } from 'vitest';
import { extraRows } from '../../src/ui/ink-output/reflow.ts';

describe('extraRows', () => {
  it('counts the rows full-width lines gain at a narrower width, styles and short lines aside', () => {
    const box = ['╭' + '─'.repeat(98) + '╮', '│ \x1b[1m? Bash echo\x1b[22m' + ' '.repeat(85) + '│', '╰' + '─'.repeat(98) + '╯'].join('\n');
    expect(extraRows(box, 100)).toBe(0);
    expect(extraRows(box, 60)).toBe(3);
    expect(extraRows(box, 30)).toBe(9);
    expect(extraRows('short\nlines\n', 10)).toBe(0);
  });
});
