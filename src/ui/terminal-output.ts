// A command's output as a terminal would leave it on screen: colour and cursor sequences dropped (other control
// characters are left for terminal-text.ts to escape), a carriage
// return (a progress bar redrawing its line) overwrites the line instead of printing, and the last lines of it
// for the tool line of a finished command. Pure text functions; imports nothing.

/** CSI sequences (colours, cursor moves, line erases). Anything else (an OSC title or clipboard write) stays, to be shown escaped. */
const SEQUENCES = /\x1b\[[\d;?]*[ -/]*[@-~]/g;

/**
 * Each line as it ends up after its carriage returns: the text after the last `\r` that has any (`50%\r60%\r`
 * shows `60%`, as a terminal would once the line is done). CR LF is a plain line end.
 */
export function settleOutput(text: string): string {
  const plain = text.replace(SEQUENCES, '').replaceAll('\r\n', '\n');
  if (!plain.includes('\r')) return plain;
  return plain
    .split('\n')
    .map((line) => {
      if (!line.includes('\r')) return line;
      const parts = line.split('\r');
      for (let i = parts.length - 1; i >= 0; i--) if (parts[i]) return parts[i];
      return '';
    })
    .join('\n');
}

/**
 * The last `n` lines (trailing blank lines dropped) and how many came before them; settled as a terminal would
 * leave them unless `terminal` is false (text that is not a process's output: a file name's \r must show).
 */
export function lastOutputLines(text: string, n: number, terminal = true): { lines: string[]; more: number } {
  const all = (terminal ? settleOutput(text) : text).replace(/\s+$/, '').split('\n');
  if (all.length === 1 && all[0] === '') return { lines: [], more: 0 };
  const lines = all.slice(-n);
  return { lines, more: all.length - lines.length };
}
