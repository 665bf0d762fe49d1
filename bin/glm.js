#!/usr/bin/env node
// Entry point: answers --version before loading anything, enables Node's compile cache, then loads the bundle.
if (!process.getBuiltinModule) {
  process.stderr.write(`glm: needs Node.js 22.12 or newer; this is ${process.version}\n`);
  process.exit(1);
}
// Built-ins come through process.getBuiltinModule: an ESM import of one builds a facade of all its exports.
const { readFileSync } = process.getBuiltinModule('node:fs');
const module = process.getBuiltinModule('node:module');

const first = process.argv[2];
if (first === '--version' || first === '-v' || first === '-V') {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version} (glm-code)\n`);
} else {
  module.enableCompileCache?.();
  await import('../dist/cli.js');
}
