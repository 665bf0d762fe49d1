// Preloaded with --import (bench/mcp.mjs, test/e2e/lazy-loads.test.ts): records every module a run loads: ESM and
// CommonJS files and built-ins (through module.registerHooks), and built-ins taken with process.getBuiltinModule
// (which bypasses the hooks). At exit, writes them one per line to $GLM_BENCH_LOADS, built-ins as `node:name`.
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';

const loaded = new Set();
registerHooks({
  load(url, context, next) {
    loaded.add(url);
    return next(url, context);
  },
});
const getBuiltinModule = process.getBuiltinModule;
process.getBuiltinModule = (id) => {
  loaded.add(id.startsWith('node:') ? id : `node:${id}`);
  return getBuiltinModule.call(process, id);
};
process.on('exit', () => writeFileSync(process.env.GLM_BENCH_LOADS, [...loaded].join('\n') + '\n'));
