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
