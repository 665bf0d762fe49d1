import { defineConfig } from 'vitest/config';
import { readFileSync } from 'node:fs';
// @ts-expect-error -- a plain .mjs build script without types
import { inkOriginalOutputPath, stringWidthPath } from './scripts/ink-output-plugin.mjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { GLM_VERSION: JSON.stringify(pkg.version) },
  // src/ui/ink-output/fast-output.ts falls back to Ink's own Output (the bundle resolves this alias the same way).
  // src/ui/ink-output/string-width.ts wraps the real string-width (scripts/ink-output-plugin.mjs, the same alias).
  resolve: { alias: { 'ink-original-output': inkOriginalOutputPath(), 'string-width-original': stringWidthPath() } },
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
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
