// Builds dist/glm.cjs: the command line and the headless core (src/cli.ts with the session, model client and
// tool catalog inlined) as one classic script, which bin/glm.js runs with a V8 code cache made after a run,
// so functions that run at startup are not compiled again on every start (Node's compile cache keeps only
// what is compiled before a module runs). Everything else (REPL, subcommands, the tools) stays in the ESM
// chunks of the main build: each dynamic import of one becomes __glmImport("./<chunk>"), which bin/glm.js
// provides (a classic script run through vm cannot import()).
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** Modules bundled into the script rather than imported from the ESM chunks. */
// src/agents/start.ts: every -p run reads the agents catalog (the built-in agents offer Task); as ESM chunks, its
// small modules cost seven more module loads per run.
const INLINE = ['src/session.ts', 'src/model/client.ts', 'tools/catalog.ts', 'src/prices.ts', 'src/agents/start.ts'];

/**
 * `esmMetafile` is the main ESM build's metafile: its entry chunks are what the script imports lazily.
 * `options` are the settings shared with the main build (define, loader, external).
 */
export async function buildMainScript(esmMetafile, options) {
  const root = process.cwd();
  const chunkOf = new Map();
  for (const [file, output] of Object.entries(esmMetafile.outputs)) {
    if (output.entryPoint && !INLINE.includes(output.entryPoint)) chunkOf.set(path.resolve(root, output.entryPoint), `./${path.basename(file)}`);
  }
  const result = await build({
    ...options,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/glm.cjs',
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    minify: !process.env.GLM_BUILD_READABLE,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    write: false,
    plugins: [lazyChunks(chunkOf)],
  });
  const expected = Object.values(result.metafile.outputs)[0].imports.filter((i) => i.kind === 'dynamic-import' && i.external);
  let code = result.outputFiles[0].text;
  let replaced = 0;
  for (const spec of new Set(expected.map((i) => i.path))) {
    const call = `import(${JSON.stringify(spec)})`;
    replaced += code.split(call).length - 1;
    code = code.replaceAll(call, `__glmImport(${JSON.stringify(spec)})`);
  }
  if (replaced !== expected.length) throw new Error(`build-main-script: found ${replaced} of ${expected.length} dynamic imports to route through __glmImport`);
  const id = createHash('sha256').update(code).digest('hex').slice(0, 16);
  writeFileSync('dist/glm.cjs', `// glm-code ${id}\n${code}`);
}

/** Dynamic imports of ESM entry chunks stay imports of those chunks. */
function lazyChunks(chunkOf) {
  return {
    name: 'lazy-chunks',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData?.inner) return undefined;
        const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { inner: true } });
        const chunk = chunkOf.get(resolved.path);
        return chunk ? { path: chunk, external: true } : undefined;
      });
    },
  };
}
