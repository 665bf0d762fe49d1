// Where a streaming Markdown answer can be cut so its finished part moves to the static scrollback:
// after a blank line that is outside a code fence. Pure text functions; imports nothing.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The length of the prefix of `text` made of finished blocks: it ends with a blank line outside a code
 * fence (or with a closed fence). 0 when nothing is finished yet.
 */
export function finishedLength(text: string): number {
  let fence: string | undefined;
  let cut = 0;
  let pos = 0;
  let previousBlank = true;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    if (nl === -1) break; // the last line is still being written
    const line = text.slice(pos, nl);
    pos = nl + 1;
    const marker = FENCE.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) {
        fence = undefined;
        cut = pos; // a closed code block is a finished block by itself
        previousBlank = true;
      }
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    const blank = line.trim() === '';
    if (blank && !previousBlank) cut = pos;
    previousBlank = blank;
  }
  return cut;
}

/** True when `text` ends inside an open code fence. */
export function endsInFence(text: string): boolean {
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const marker = FENCE.exec(line)?.[1];
    if (!marker) continue;
    if (!fence) fence = marker;
    else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
  }
  return fence !== undefined;
}

export const countWords = (text: string): number => {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
};
