// Markdown → terminal text with marked + marked-terminal (which highlights code through highlight.ts).
// Loaded lazily: importing them costs ~100 ms, so the prompt appears first and they load in the background.
// The model's control characters are escaped before rendering (terminal-text.ts). Imports nothing from ink/react.
import { escapeControl, safeStyled, safeText } from '../terminal-text.ts';
import { ForgetfulCache } from './forgetful-cache.ts';
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
    // highlight.ts is what marked-terminal's import of cli-highlight resolves to (scripts/highlight-plugin.mjs).
    const [{ Marked }, { markedTerminal }, { supportsLanguage }] = await Promise.all([import('marked'), import('marked-terminal'), import('./highlight.ts')]);
    type Instance = { parse(markdown: string, o: { async: false }): string | Promise<string> };
    const instances = new ForgetfulCache<number, Instance>(9);
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
      highlight = withHighlight;
      return instances.get(width, create).parse(markdown, { async: false }) as string;
    };
  })();
  return loading;
}

/** A numeric character reference (`&#27;`, `&#x9b;`), which marked would decode into the character itself. */
const CHARACTER_REFERENCE = /&#(?:[xX]([\da-fA-F]{1,6})|(\d{1,7}));/g;

/**
 * The model's Markdown with every control character shown escaped: those written as such, and those written as
 * character references (`&#27;[8m` would otherwise come out of marked as a real escape sequence).
 */
function inertMarkdown(markdown: string): string {
  const text = safeText(markdown);
  if (!text.includes('&#')) return text;
  return text.replace(CHARACTER_REFERENCE, (ref, hex: string | undefined, dec: string | undefined) => {
    const code = hex ? parseInt(hex, 16) : Number(dec);
    const c = code <= 0x10ffff ? String.fromCodePoint(code) : '';
    return c && safeText(c) !== c ? escapeControl(c) : ref;
  });
}

/**
 * Renders Markdown for a terminal `width` columns wide, without trailing blank lines. Before the libraries
 * have loaded (or if they throw on odd input) the text is shown as it is. `highlight: false` shows code in
 * one colour (for a code block still streaming in, which would otherwise be highlighted again every frame).
 */
export function renderMarkdown(markdown: string, width: number, color = true, highlight = true): string {
  const source = inertMarkdown(markdown);
  let out = source;
  if (render) {
    try {
      // Only the renderer's own styling may be left as escape sequences.
      out = safeStyled(render(source, Math.max(20, width), highlight));
    } catch {
      out = source;
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
