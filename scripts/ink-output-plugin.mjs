// An esbuild plugin that bundles src/ui/ink-output/fast-output.ts in place of Ink's Output (the class that
// turns a laid-out frame into text), and resolves `ink-original-output` (the fallback it uses) to Ink's own.
// Ink's squashTextNodes is swapped for src/ui/ink-output/squash-text-nodes.ts (which caches cleaned text) the
// same way, with `ink-original-sanitize-ansi` resolved to Ink's own sanitizeAnsi.
// It also gives every importer of the top-level string-width package (Ink, widest-line, wrap-ansi)
// src/ui/ink-output/string-width.ts instead, which resolves `string-width-original` to the real one.
// Used by scripts/build.mjs and bench/repl-render.mjs.
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** Ink's own output.js, which vitest aliases `ink-original-output` to as well. */
export function inkOriginalOutputPath() {
  return path.join(path.dirname(createRequire(path.join(root, 'package.json')).resolve('ink')), 'output.js');
}

/** Ink's own sanitize-ansi.js, which vitest aliases `ink-original-sanitize-ansi` to as well. */
export function inkSanitizeAnsiPath() {
  return path.join(path.dirname(inkOriginalOutputPath()), 'sanitize-ansi.js');
}

/** Ink's map of live instances (by stdout), which src/ui/ink-output/reflow.ts reads; vitest aliases `ink-instances` to it too. */
export function inkInstancesPath() {
  return path.join(path.dirname(inkOriginalOutputPath()), 'instances.js');
}

/** The top-level string-width package (v8, ESM); older copies nested under other packages are left alone. */
export function stringWidthPath() {
  return createRequire(path.join(root, 'package.json')).resolve('string-width');
}

export function inkFastOutput() {
  const stringWidth = stringWidthPath();
  const fastStringWidth = path.join(root, 'src/ui/ink-output/string-width.ts');
  const original = inkOriginalOutputPath();
  const inkBuild = path.dirname(original);
  const fast = path.join(root, 'src/ui/ink-output/fast-output.ts');
  const squash = path.join(root, 'src/ui/ink-output/squash-text-nodes.ts');
  const sanitize = path.join(inkBuild, 'sanitize-ansi.js');
  return {
    name: 'ink-fast-output',
    setup(build) {
      build.onResolve({ filter: /^\.\/output\.js$/ }, (args) => (args.resolveDir === inkBuild ? { path: fast } : undefined));
      build.onResolve({ filter: /^ink-original-output$/ }, () => ({ path: original }));
      build.onResolve({ filter: /^\.\/squash-text-nodes\.js$/ }, (args) => (args.resolveDir === inkBuild ? { path: squash } : undefined));
      build.onResolve({ filter: /^ink-original-sanitize-ansi$/ }, () => ({ path: sanitize }));
      build.onResolve({ filter: /^ink-instances$/ }, () => ({ path: inkInstancesPath() }));
      build.onResolve({ filter: /^string-width-original$/ }, () => ({ path: stringWidth }));
      build.onResolve({ filter: /^string-width$/ }, async (args) => {
        if (args.pluginData?.own) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { own: true } });
        return resolved.path === stringWidth ? { path: fastStringWidth } : undefined;
      });
    },
  };
}
