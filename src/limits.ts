// Limits shared by the code that enforces them and the Markdown that tells the model about them.
// Imports nothing.

/** One truncation rule for every tool output. */
export const MAX_OUTPUT_LINES = 2000;
export const MAX_OUTPUT_BYTES = 50 * 1024;
/** Longer lines are cut (minified files, base64 blobs). */
export const MAX_LINE_CHARS = 2000;

export const READ_DEFAULT_LINES = 2000;

export const BASH_DEFAULT_TIMEOUT_MS = 2 * 60_000;
export const BASH_MAX_TIMEOUT_MS = 10 * 60_000;

export const DEFAULT_MAX_TURNS = 100;

/**
 * Bash commands longer than this are not parsed or matched against rules (the parse costs time in proportion to
 * the syntax): such a command is asked about, whatever the rules would say (a bare `Bash` deny rule still denies).
 */
export const MAX_JUDGED_COMMAND_CHARS = 50_000;
