// Markdown → terminal text with marked + marked-terminal (which highlights code with cli-highlight).
// Loaded lazily: importing them costs ~100 ms, so the prompt appears first and they load in the background.
// Imports nothing from ink/react.
import { stripColors } from './theme.ts';

type Render = (markdown: string, width: number, highlight: boolean) => string;
let render: Render | undefined;
let loading: Promise<void> | undefined;

/** Code without a known language (or while it streams) is shown in one colour: auto-detecting is slow. */
const plainCode = (text: string): string =>
  `${text
    .split('\n')
    .map((line) => `  \x1b[33m${line}\x1b[39m`)
    .join('\n')}\n\n`;

const SETEXT_UNDERLINE = /\n {0,3}(?:=+|-+)[ \t]*(?:\n|$)/;

/** Loads the Markdown libraries once; safe to call many times. */
export function loadMarkdown(): Promise<void> {
  loading ??= (async () => {
    const [{ Marked }, { markedTerminal }, highlighter] = await Promise.all([
      import('marked'),
      import('marked-terminal'),
      import('cli-highlight'),
    ]);
    // cli-highlight is CommonJS: bundled, its functions hang off `default` only.
    const { supportsLanguage } = 'supportsLanguage' in highlighter ? highlighter : (highlighter as { default: typeof highlighter }).default;
    type Instance = { parse(markdown: string, o: { async: false }): string | Promise<string> };
    const instances = new Map<number, Instance>();
    /** Read by the code renderer: one instance per width serves both (its code warms up once, not twice). */
    let highlight = true;
    const create = (width: number): Instance => {
      const m = new Marked();
      // marked-terminal's types lag behind marked's extension type.
      m.use(markedTerminal({ width, reflowText: true, showSectionPrefix: false, emoji: false, tab: 2 }) as never);
      m.use({
        renderer: {
          // marked-terminal prints the inline tokens of tight list items raw (`**bold**`); render them inline.
          text(token) {
            return 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : false;
          },
          code(token) {
            const lang = token.lang?.trim().split(/\s/)[0];
            return highlight && lang && supportsLanguage(lang) ? false : plainCode(token.text);
          },
        },
        tokenizer: {
          // marked tries a setext heading (a line underlined with === or ---) at every block, with a regular
          // expression that scans the whole paragraph: its most expensive step while an answer streams. No
          // underline anywhere ahead means no setext heading: skip it (false runs marked's own).
          lheading(src) {
            return SETEXT_UNDERLINE.test(src) ? false : undefined;
          },
        },
      });
      return m;
    };
    render = (markdown, width, withHighlight) => {
      let m = instances.get(width);
      if (!m) {
        if (instances.size > 8) instances.clear();
        m = create(width);
        instances.set(width, m);
      }
      highlight = withHighlight;
      return m.parse(markdown, { async: false }) as string;
    };
  })();
  return loading;
}

/**
 * Renders Markdown for a terminal `width` columns wide, without trailing blank lines. Before the libraries
 * have loaded (or if they throw on odd input) the text is shown as it is. `highlight: false` shows code in
 * one colour (for a code block still streaming in, which would otherwise be highlighted again every frame).
 */
export function renderMarkdown(markdown: string, width: number, color = true, highlight = true): string {
  let out = markdown;
  if (render) {
    try {
      out = render(markdown, Math.max(20, width), highlight);
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
