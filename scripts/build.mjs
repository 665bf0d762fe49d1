// Bundles src/cli.ts into dist/ with esbuild. UI code is split into its own chunk so headless runs never load it.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  loader: { '.md': 'text' },
  jsx: 'automatic',
  // createRequire lets bundled CommonJS dependencies (e.g. simple-git's deps) require Node built-ins.
  banner: { js: "import { createRequire as __glmCreateRequire } from 'node:module'; const require = __glmCreateRequire(import.meta.url);" },
  // Production React: development builds cost the REPL about 1.7× the CPU (bench/repl-render.mjs).
  define: { GLM_VERSION: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"' },
  minify: true,
  // Ink loads React DevTools only when DEV=true; it is not a dependency.
  external: ['react-devtools-core'],
  legalComments: 'none',
  logLevel: 'warning',
});
