// Hard-wraps terminal text (ANSI styles kept) into lines of at most `width` columns. Imports wrap-ansi and
// string-width only: no ink/react.
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/**
 * The lines of `text` wrapped to `width` columns, as wrap-ansi (hard, untrimmed) wraps them, without the space a
 * wrapped row would start with (a line's own indentation stays). Rendered Markdown
 * is already reflowed, so most lines fit: those are measured and kept as they are instead of going through
 * wrap-ansi's full parse, which this runs every frame on the live answer.
 */
export function wrapLines(text: string, width: number): string[] {
  const out: string[] = [];
  for (const line of text.normalize().replaceAll('\r\n', '\n').split('\n')) {
    if (stringWidth(line) <= width && !line.includes('\t') && !line.includes('\r')) out.push(line);
    else wrapAnsi(line, width, { hard: true, trim: false }).split('\n').forEach((part, i) => out.push(i ? part.replace(WRAP_SPACE, '$1') : part));
  }
  return out;
}

/** The space a row was broken at, which wrap-ansi (untrimmed) leaves at the start of the next row (after any styles). */
const WRAP_SPACE = /^((?:\x1b\[[\d;]*m)*) +/;

/** A row of a two-column list (`  /help    show commands`): its first column and the spaces after it. */
const TWO_COLUMNS = /^( +\S(?:.*?\S)? {2,})(?=\S)/;

/**
 * Text with its indented rows wrapped to `width` so they continue under themselves rather than at the left edge:
 * a two-column row (/help's commands and keys) under its second column, another indented row (a command line in
 * /mcp) under its own indentation; lines that start at the edge are left for the terminal to wrap. A first column
 * wider than half the width would leave too little room: such a row continues four columns in instead.
 */
export function wrapColumns(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      if (stringWidth(line) <= width) return line;
      const column = TWO_COLUMNS.exec(line)?.[1];
      const lead = /^ */.exec(line)![0].length;
      if (!column) return lead && lead < width / 2 ? wrapLines(line.slice(lead), width - lead).map((r) => ' '.repeat(lead) + r.trimEnd()).join('\n') : line;
      const fits = stringWidth(column) <= width / 2;
      const indent = fits ? stringWidth(column) : lead + 4;
      const rows = wrapLines(line.slice(column.length), width - indent).map((r) => ' '.repeat(indent) + r.trimEnd());
      return fits ? [column + rows[0]!.trimStart(), ...rows.slice(1)].join('\n') : [column.trimEnd(), ...rows].join('\n');
    })
    .join('\n');
}
