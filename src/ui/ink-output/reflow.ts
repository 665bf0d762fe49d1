// A narrower terminal rewraps the lines already on screen (tmux, VTE, iTerm2, kitty, Windows Terminal): a
// full-width line of the live frame (an approval box's border) becomes two or more rows. Ink then erases as many
// rows as its frame had, and the extra ones stay as fragments above the new frame. This erases them first.
// Reads Ink's last frame from its instance map; imports string-width only.
import instances from 'ink-instances';
import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';

/** Rows the frame `text` (as written at its width) takes once a terminal rewraps it to `columns`, beyond its own lines. */
export function extraRows(text: string, columns: number): number {
  if (!text || columns <= 0) return 0;
  let extra = 0;
  for (const line of text.replace(/\n$/, '').split('\n')) {
    const width = stringWidth(stripVTControlCharacters(line));
    if (width > columns) extra += Math.ceil(width / columns) - 1;
  }
  return extra;
}

/**
 * Listens for resizes before Ink does (call it before render()): when the terminal got narrower, erases the rows
 * the rewrapped frame gained, from the bottom, so Ink's own erase of its frame then clears the rest of it.
 */
export function eraseReflowedFrame(real: NodeJS.WriteStream, inkStdout: NodeJS.WriteStream): () => void {
  let columns = real.columns ?? 0;
  const onResize = () => {
    const now = real.columns ?? 0;
    if (now > 0 && now < columns) {
      const extra = extraRows(instances.get(inkStdout)?.lastOutputToRender ?? '', now);
      if (extra > 0) inkStdout.write('\x1b[2K\x1b[1A'.repeat(extra));
    }
    columns = now;
  };
  real.on('resize', onResize);
  return () => real.off('resize', onResize);
}
