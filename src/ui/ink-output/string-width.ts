// A drop-in for the string-width package in the REPL bundle, swapped in for Ink, widest-line and wrap-ansi by
// scripts/ink-output-plugin.mjs. string-width strips ANSI with a large regex and, for any character outside
// printable ASCII (the `·`, `●`, `✻` and `❯` in every frame) walks Intl.Segmenter graphemes: ~40 ms of the
// REPL's CPU while an answer streams (wrap-ansi measures every word with it too). Text made only of SGR codes
// and characters known to be one column wide is measured by its length; anything else, or other options, goes
// to string-width. Imports string-width only.
import originalStringWidth from 'string-width-original';

type Options = Parameters<typeof originalStringWidth>[1];

const SGR = /\x1b\[[\d;]*m/g;

/**
 * Characters one column wide and one UTF-16 unit long: printable ASCII, Latin-1 to IPA (without the soft
 * hyphen), general punctuation (without zero-width and bidi marks), arrows, maths, technical symbols (without
 * the wide ⌚⌛〈〉 and emoji ⏩–⏳), box drawing, blocks and shapes (without the wide ◽◾), dingbats (without the
 * emoji ✅✊✋✨❌❎❓❔❕❗➕➖➗➰➿) and Braille (spinners).
 * test/ui/string-width.test.ts checks every one against string-width.
 */
export const ONE_COLUMN = /^[\x20-\x7e\xa0-\xac\xae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u2319\u231c-\u2328\u232b-\u23e8\u23f4-\u23ff\u2500-\u25fc\u25ff\u2700-\u2704\u2706-\u2709\u270c-\u2727\u2729-\u274b\u274d\u274f-\u2752\u2756\u2758-\u2794\u2798-\u27af\u27b1-\u27be\u2800-\u28ff]*$/;

export default function stringWidth(text: string, options?: Options): number {
  // ambiguousIsNarrow: false would make `·` and box lines two columns wide.
  if (typeof text === 'string' && options?.ambiguousIsNarrow !== false) {
    // countAnsiEscapeCodes (wrap-ansi, on text it has already stripped): an escape left in fails the test below.
    const plain = options?.countAnsiEscapeCodes || !text.includes('\x1b') ? text : text.replace(SGR, '');
    if (ONE_COLUMN.test(plain)) return plain.length;
  }
  return originalStringWidth(text, options);
}
