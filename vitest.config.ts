import { defineConfig } from 'vitest/config';
import { readFileSync } from 'node:fs';

export default defineConfig({
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
