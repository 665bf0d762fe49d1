// An esbuild plugin that bundles src/ui/highlight.ts in place of cli-highlight (for marked-terminal and
// src/ui/markdown.ts), so parse5 is neither bundled nor run; vitest.config.ts aliases it the same way.
// Used by scripts/build.mjs and bench/repl-render.mjs.
import path from 'node:path';

export const HIGHLIGHT_STAND_IN = path.resolve(import.meta.dirname, '../src/ui/highlight.ts');

export function highlightStandIn() {
  return {
    name: 'cli-highlight-stand-in',
    setup(build) {
      build.onResolve({ filter: /^cli-highlight$/ }, () => ({ path: HIGHLIGHT_STAND_IN }));
    },
  };
}
