// An esbuild plugin that bundles src/ui/ink-output/fast-output.ts in place of Ink's Output (the class that
// turns a laid-out frame into text), and resolves `ink-original-output` (the fallback it uses) to Ink's own.
// Used by scripts/build.mjs and bench/repl-render.mjs.
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** Ink's own output.js, which vitest aliases `ink-original-output` to as well. */
export function inkOriginalOutputPath() {
  return path.join(path.dirname(createRequire(path.join(root, 'package.json')).resolve('ink')), 'output.js');
}

export function inkFastOutput() {
  const original = inkOriginalOutputPath();
  const inkBuild = path.dirname(original);
  const fast = path.join(root, 'src/ui/ink-output/fast-output.ts');
  return {
    name: 'ink-fast-output',
    setup(build) {
      build.onResolve({ filter: /^\.\/output\.js$/ }, (args) => (args.resolveDir === inkBuild ? { path: fast } : undefined));
      build.onResolve({ filter: /^ink-original-output$/ }, () => ({ path: original }));
    },
  };
}
