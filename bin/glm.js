#!/usr/bin/env node
// Entry point: refuses a Node older than package.json's engines (exit 2) and answers --version before loading
// anything. Headless runs (-p, or stdin/stdout not a terminal) run dist/glm.cjs (the command line and the -p path
// as one script) with a V8 code cache of its own, written after a successful run: Node's compile cache (enabled
// here for the ESM chunks: REPL, subcommands, tools) keeps only the code compiled before a module runs, so every
// start would compile again each function it calls (~10 ms of glm -p). Runs at a terminal load the ESM build
// (dist/cli.js) as before.
// Built-ins come through process.getBuiltinModule: an ESM import of one builds a facade of all its exports.
// Node before 22.3 has no getBuiltinModule; it only gets as far as the version check below.
const fs = process.getBuiltinModule?.('node:fs') ?? (await import('node:fs')).default;
const path = () => process.getBuiltinModule('node:path');
const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// The real minimum is package.json's engines field: an older Node starts, then fails deep inside a tool.
const required = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(pkg.engines?.node ?? '');
if (required && olderThan(process.versions.node, required.slice(1, 4))) {
  process.stderr.write(`glm: needs Node.js ${required[1]}.${required[2] ?? 0} or newer (package.json engines "${pkg.engines.node}"); this is ${process.version}\n`);
  process.exit(2);
}

const first = process.argv[2];
if (first === '--version' || first === '-v' || first === '-V') {
  process.stdout.write(`${pkg.version} (glm-code)\n`);
} else {
  const module = process.getBuiltinModule('node:module');
  module.enableCompileCache?.();
  const dist = new URL('../dist/', import.meta.url);
  const file = process.getBuiltinModule('node:url').fileURLToPath(new URL('glm.cjs', dist));
  // Runs at a terminal (the REPL, mostly) keep loading the ESM chunks: they need none of this.
  const source = headless() ? readOrUndefined(file) : undefined;
  if (source === undefined) await import('../dist/cli.js');
  else runScript(file, source, dist, module);
}

function headless() {
  if (printFlag()) return true;
  const { isatty } = process.getBuiltinModule('node:tty');
  return !isatty(0) || !isatty(1);
}

function printFlag() {
  return process.argv.some((a) => a === '-p' || a === '--print' || a.startsWith('--print='));
}

function readOrUndefined(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined; // a build from before dist/glm.cjs existed
  }
}

/** Runs the bundled script like a CommonJS module; its imports of ESM chunks go through `__glmImport`. */
function runScript(file, source, dist, module) {
  const vm = process.getBuiltinModule('node:vm');
  const cache = codeCache(file, source, module.getCompileCacheDir?.());
  const wrapped = `(function (exports, require, module, __filename, __dirname, __glmImport) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData: cache?.data });
  if (cache && (!cache.data || script.cachedDataRejected)) {
    // A -p run that ended before its prompt ran would leave a cache of little more than flag parsing.
    const ran = () => !cache.print || globalThis[Symbol.for('glm-code.prompt-ran')] === true;
    process.once('exit', (code) => code === 0 && ran() && cache.save(script.createCachedData()));
  }
  const mod = { exports: {} };
  const load = (chunk) => import(new URL(chunk, dist).href);
  script.runInThisContext()(mod.exports, module.createRequire(file), mod, file, path().dirname(file), load);
}

/**
 * The cache for this script in Node's compile cache folder (one per Node version): one file per install and kind
 * of run (-p or not: they run different code), starting with the build id so a rebuild replaces, not piles up.
 */
function codeCache(file, source, root) {
  const id = /^\/\/ glm-code (\w+)\n/.exec(source)?.[1];
  if (!root || !id) return undefined;
  const print = printFlag();
  const dir = path().join(root, 'glm-code');
  const name = `${file.replace(/[^A-Za-z0-9.-]+/g, '_').slice(-120)}-${print ? 'print' : 'other'}.bin`;
  const cacheFile = path().join(dir, name);
  const header = Buffer.from(`${id}\n`);
  let data;
  try {
    const bytes = fs.readFileSync(cacheFile);
    if (ownedByUs(fs.statSync(cacheFile)) && bytes.subarray(0, header.length).equals(header)) data = bytes.subarray(header.length);
  } catch {
    // no cache yet
  }
  const save = (cached) => {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!ownedByUs(fs.statSync(dir))) return;
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, Buffer.concat([header, cached]), { mode: 0o600 });
      fs.renameSync(tmp, cacheFile);
    } catch {
      // an optimisation only: never fail a run for it
    }
  };
  return { data, save, print };
}

/** A code cache is code: only this user's, not writable by others. */
function ownedByUs(stat) {
  return !process.getuid || (stat.uid === process.getuid() && (stat.mode & 0o022) === 0);
}

/** Whether version `a.b.c` is older than [major, minor, patch] (missing parts are 0). */
function olderThan(version, minimum) {
  const have = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const want = Number(minimum[i] ?? 0);
    if ((have[i] ?? 0) !== want) return (have[i] ?? 0) < want;
  }
  return false;
}
