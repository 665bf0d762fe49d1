import { defineConfig } from 'vitest/config';
import { readFileSync } from 'node:fs';
// @ts-expect-error -- a plain .mjs build script without types
import { inkOriginalOutputPath, inkSanitizeAnsiPath, inkInstancesPath, stringWidthPath } from './scripts/ink-output-plugin.mjs';
// @ts-expect-error -- a plain .mjs build script without types
import { HIGHLIGHT_STAND_IN } from './scripts/highlight-plugin.mjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { GLM_VERSION: JSON.stringify(pkg.version) },
  // src/ui/ink-output/fast-output.ts falls back to Ink's own Output (the bundle resolves this alias the same way).
  // src/ui/ink-output/string-width.ts wraps the real string-width (scripts/ink-output-plugin.mjs, the same alias).
  // cli-highlight is src/ui/highlight.ts in the bundle, so in tests too (test/ui/highlight.test.ts loads the real one by path).
  resolve: {
    alias: [
      { find: 'ink-original-output', replacement: inkOriginalOutputPath() },
      { find: 'string-width-original', replacement: stringWidthPath() },
      { find: 'ink-original-sanitize-ansi', replacement: inkSanitizeAnsiPath() },
      { find: 'ink-instances', replacement: inkInstancesPath() },
      { find: /^cli-highlight$/, replacement: HIGHLIGHT_STAND_IN },
    ],
  },
  plugins: [
    {
      // Same as esbuild's text loader in scripts/build.mjs: `import text from './x.md'` gives the file's text.
      name: 'markdown-as-text',
      enforce: 'pre',
      load(id) {
        if (!id.endsWith('.md')) return null;
        return `export default ${JSON.stringify(readFileSync(id, 'utf8'))};`;
      },
    },
  ],
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Transformed rather than loaded by Node, so its import of cli-highlight takes the alias above.
    server: { deps: { inline: ['marked-terminal'] } },
    // End-to-end tests start the real binary, servers and sandboxes; on a busy 2-core machine one can take 20 s.
    testTimeout: 60_000,
    // Most files wait on child processes (the built glm, servers, tmux): three at a time on 2 cores takes the suite
    // from ~25 min to ~7 min; the whole suite passed this way on a loaded machine.
    maxWorkers: 3,
    hookTimeout: 60_000,
  },
});
