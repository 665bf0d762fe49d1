// Ink's own sanitizeAnsi (ink/build/sanitize-ansi.js), which squash-text-nodes.ts calls. The module name is an
// alias: scripts/ink-output-plugin.mjs resolves it when bundling, vitest.config.ts in tests.
declare module 'ink-original-sanitize-ansi' {
  export default function sanitizeAnsi(text: string): string;
}
