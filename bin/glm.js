#!/usr/bin/env node
// Entry point: answers --version before loading anything, enables Node's compile cache, then loads the bundle.
import { readFileSync } from 'node:fs';
import module from 'node:module';

const first = process.argv[2];
if (first === '--version' || first === '-v' || first === '-V') {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version} (glm-code)\n`);
} else {
  module.enableCompileCache?.();
  await import('../dist/cli.js');
}
