// Bundles src/cli.ts into dist/ with esbuild. UI code is split into its own chunk so headless runs never load it.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { builtinsAsRequire } from './builtins-as-require.mjs';
import { buildMainScript } from './build-main-script.mjs';
import { highlightStandIn } from './highlight-plugin.mjs';
import { inkFastOutput } from './ink-output-plugin.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// The built-in tools' JSON schemas, computed from their zod definitions once here, so that a run sends them
// without loading zod or any tool (tools/catalog.ts). test/tools/catalog.test.ts checks the file is current.
const genDir = new URL('../node_modules/.cache/glm-code/', import.meta.url);
mkdirSync(genDir, { recursive: true });
const genFile = new URL('tool-schemas.mjs', genDir);
await build({
  stdin: { contents: "import { builtinTools, toolSchemas } from './tools/index.ts'; export default toolSchemas(builtinTools);", resolveDir: '.', loader: 'ts' },
  outfile: genDir.pathname + 'tool-schemas.mjs',
  bundle: true,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  loader: { '.md': 'text' },
  logLevel: 'warning',
});
const schemas = (await import(pathToFileURL(genFile.pathname).href + `?t=${Date.now()}`)).default;
const schemasJson = JSON.stringify(schemas, null, 2) + '\n';
const schemasFile = new URL('../tools/schemas.json', import.meta.url);
if (readFileSync(schemasFile, { encoding: 'utf8', flag: 'a+' }) !== schemasJson) writeFileSync(schemasFile, schemasJson);

// Shared by the ESM build and dist/glm.cjs.
const common = {
  loader: { '.md': 'text' },
  // Production React: development builds cost the REPL about 1.7× the CPU (bench/repl-render.mjs).
  define: { GLM_VERSION: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"' },
  // Ink loads React DevTools only when DEV=true; it is not a dependency. web-tree-sitter finds its .wasm next to
  // its own module, so it is loaded from node_modules, not copied into dist/; sharp is native (src/image.ts loads it lazily).
  external: ['react-devtools-core', 'web-tree-sitter', 'sharp'],
};

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const esm = await build({
  ...common,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  jsx: 'automatic',
  // createRequire lets bundled CommonJS dependencies require Node built-ins (and builtinsAsRequire, every import of one).
  // globalThis: a readable build may declare its own `process` (from `import process from 'node:process'`) below.
  banner: { js: "const require = globalThis.process.getBuiltinModule('node:module').createRequire(import.meta.url);" },
  minify: !process.env.GLM_BUILD_READABLE,
  // Ink's per-cell Output is most of the REPL's CPU while streaming; src/ui/ink-output/fast-output.ts replaces it.
  // and src/ui/highlight.ts colours code without cli-highlight's HTML round trip through parse5.
  plugins: [inkFastOutput(), highlightStandIn(), builtinsAsRequire()],
  legalComments: 'none',
  logLevel: 'warning',
});

// The Bash grammar ships inside dist/ (src/shell/parser.ts looks there first), so an installed glm needs no
// tree-sitter-bash package and its native install script.
copyFileSync(createRequire(import.meta.url).resolve('tree-sitter-bash/tree-sitter-bash.wasm'), new URL('../dist/tree-sitter-bash.wasm', import.meta.url));

// dist/glm.cjs, what bin/glm.js runs: the command line and the -p path as one script (see build-main-script.mjs).
await buildMainScript(esm.metafile, common);
