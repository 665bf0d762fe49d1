// Preloaded with --import by bench/mcp.mjs: records every module URL a run loads (ESM and CommonJS, through
// module.registerHooks) and, at exit, writes them one per line to $GLM_BENCH_LOADS.
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';

const loaded = new Set();
registerHooks({
  load(url, context, next) {
    loaded.add(url);
    return next(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.GLM_BENCH_LOADS, [...loaded].join('\n') + '\n'));
