// One word for a POSIX shell, single-quoted: what glm writes into a script or shows as a command line. Imports nothing.

/** `it's` → `'it'\''s'`: the shell reads it back as exactly `text`. */
export const shellQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;
