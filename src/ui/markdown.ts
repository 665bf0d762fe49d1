// Markdown → terminal text with marked + marked-terminal (which highlights code with cli-highlight).
// Loaded lazily: importing them costs ~100 ms, so the prompt appears first and they load in the background.
// Imports nothing from ink/react.
import { stripColors } from './theme.ts';

type Render = (markdown: string, width: number) => string;
let render: Render | undefined;
let loading: Promise<void> | undefined;

/** Loads the Markdown libraries once; safe to call many times. */
export function loadMarkdown(): Promise<void> {
  loading ??= (async () => {
    const [{ Marked }, { markedTerminal }] = await Promise.all([import('marked'), import('marked-terminal')]);
    const byWidth = new Map<number, InstanceType<typeof Marked>>();
    render = (markdown, width) => {
      let m = byWidth.get(width);
      if (!m) {
        if (byWidth.size > 4) byWidth.clear();
        m = new Marked();
        // marked-terminal's types lag behind marked's extension type.
        m.use(markedTerminal({ width, reflowText: true, showSectionPrefix: false, emoji: false, tab: 2 }) as never);
        byWidth.set(width, m);
      }
      return m.parse(markdown, { async: false }) as string;
    };
  })();
  return loading;
}

export const markdownLoaded = (): boolean => render !== undefined;

/**
 * Renders Markdown for a terminal `width` columns wide, without trailing blank lines. Before the libraries
 * have loaded (or if they throw on odd input) the text is shown as it is.
 */
export function renderMarkdown(markdown: string, width: number, color = true): string {
  let out = markdown;
  if (render) {
    try {
      out = render(markdown, Math.max(20, width));
    } catch {
      out = markdown;
    }
  }
  out = trimEnd(out).replace(/^\n+/, '');
  return color ? out : stripColors(out);
}

/** Drops trailing whitespace and resets (marked-terminal ends blocks with them); keeps one reset. */
function trimEnd(text: string): string {
  let end = text.length;
  let reset = false;
  for (;;) {
    if (end > 0 && /\s/.test(text[end - 1]!)) end--;
    else if (end >= 4 && text.startsWith('\x1b[0m', end - 4)) {
      end -= 4;
      reset = true;
    } else break;
  }
  return text.slice(0, end) + (reset ? '\x1b[0m' : '');
}
