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
