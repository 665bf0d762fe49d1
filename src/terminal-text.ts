// Text that glm did not write (model answers, tool input and output, file names and contents, rules from settings
// files) made safe to print: every control character a terminal would act on is shown as a visible escape, so a
// command cannot hide its tail (\e[8m), clear the screen, move the cursor or set the title or clipboard (OSC).
// One convention everywhere: \e \a \b \t \n \v \f \r, and \uXXXX for the rest (C0, DEL, C1, bidi overrides).
// Imports nothing.

/** C0, DEL, C1 and the bidi marks, embeddings, overrides and isolates (which reorder what a terminal shows). */
const UNSAFE_LINE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** The same without tab and newline. */
const UNSAFE_TEXT = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const all = (re: RegExp) => new RegExp(re.source, 'g');
const UNSAFE_LINE_ALL = all(UNSAFE_LINE);
const UNSAFE_TEXT_ALL = all(UNSAFE_TEXT);
/** Link targets and the like: no control characters (the content was escaped before it was styled). */
const PLAIN = '[^\\x00-\\x1f\\x7f-\\x9f]*';
/**
 * The sequences of glm's own styling: SGR (colours, bold) and marked-terminal's OSC 8 hyperlinks (on terminals
 * that support them; inside tmux wrapped in a DCS passthrough). Then one unsafe character.
 */
const STYLE_OR_UNSAFE = new RegExp(
  [`\\x1b\\[[\\d;]*m`, `\\x1b\\]8;${PLAIN}(?:\\x07|\\x1b\\\\)`, `\\x1bPtmux;\\x1b\\x1b\\]8;${PLAIN}(?:\\x07|\\x1b\\x1b\\\\)\\x1b\\\\`, UNSAFE_TEXT.source].join('|'),
  'g',
);
/** An unsafe character other than an ESC that starts an SGR sequence. */
const UNSAFE_STYLED = /\x1b(?!\[[\d;]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const NAMED: Record<string, string> = { '\x1b': '\\e', '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r' };

/** The visible form of one control character: `\e`, `\r`, `\u009b` … (`\uXXXX` keeps JSON text valid JSON). */
export const escapeControl = (c: string): string => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Text shown on one line (a tool title, a rule, a path): tab, newline and CR are escaped too. */
export function safeLine(text: string): string {
  return UNSAFE_LINE.test(text) ? text.replace(UNSAFE_LINE_ALL, escapeControl) : text;
}

/** Text that may span lines (an answer, output, a notice): newline and tab stay, CR LF becomes LF, the rest is escaped. */
export function safeText(text: string): string {
  if (!UNSAFE_TEXT.test(text)) return text;
  return (text.includes('\r\n') ? text.replaceAll('\r\n', '\n') : text).replace(UNSAFE_TEXT_ALL, escapeControl);
}

/**
 * Text glm has styled (rendered Markdown, highlighted code): its colours and hyperlinks stay, every other control
 * character is escaped. The content must have gone through safeText before it was styled.
 */
export function safeStyled(text: string): string {
  if (!UNSAFE_STYLED.test(text)) return text;
  return text.replaceAll('\r\n', '\n').replace(STYLE_OR_UNSAFE, (m) => (m.length > 1 ? m : escapeControl(m)));
}
