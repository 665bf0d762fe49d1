// The built-in search (Grep without ripgrep, and Glob) side by side with the system's tools on one tree of 50,000
// files: Grep against `grep -rl`, Glob `**/*` against `find -type f`. Target: the built-in Grep within 3× of grep -r.
// Run: node_modules/.bin/node bench/search.mjs (BENCH_FILES, BENCH_RUNS to change the size and repeats).
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const FILES = Number(process.env.BENCH_FILES ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PER_DIR = 100;

function makeTree() {
  const dir = mkdtempSync(path.join(tmpdir(), 'glm-bench-search-'));
  const body = Array.from({ length: 30 }, (_, i) => `const value${i} = compute(${i}); // some ordinary line of code`).join('\n');
  for (let d = 0; d < FILES / PER_DIR; d++) {
    const sub = path.join(dir, `pkg${d % 50}`, `mod${d}`);
    mkdirSync(sub, { recursive: true });
    for (let f = 0; f < PER_DIR; f++) {
      const n = d * PER_DIR + f;
      writeFileSync(path.join(sub, `file${f}.ts`), n % 500 === 0 ? `${body}\nconst needleToken = ${n};\n` : `${body}\n`);
    }
  }
  return dir;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(fn) {
  const ms = [];
  let out;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    out = fn();
    ms.push(performance.now() - t);
  }
  return { ms: median(ms), out };
}

/** The two tools bundled as glm bundles them (.md descriptions as text), into the bench's temp folder. */
async function bundleTools(dir) {
  const outfile = path.join(root, 'dist', `bench-search-tools-${process.pid}.mjs`); // beside node_modules for imports
  await build({
    stdin: { contents: "export { grepExecute } from './tools/grep.ts'; export { globTool } from './tools/glob.ts'; export { createToolState } from './src/tool.ts';", resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    loader: { '.md': 'text' },
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

/** The tools run in a child process of the project's Node, as glm runs them. */
function builtin(tool, dir) {
  const script = `
    const { grepExecute, globTool, createToolState } = await import(${JSON.stringify(tools)});
    const ctx = { cwd: ${JSON.stringify(dir)}, signal: new AbortController().signal, state: createToolState() };
    const loaded = performance.now();
    const r = ${tool === 'grep' ? `await grepExecute({ pattern: 'needleToken' }, ctx, 'builtin')` : `await globTool.execute({ pattern: '**/*' }, ctx)`};
    console.log(JSON.stringify({ ms: performance.now() - loaded, lines: r.display?.summary }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim().split('\n').at(-1));
}

const dir = makeTree();
const tools = await bundleTools(dir);
try {
  const grepR = time(() => execFileSync('grep', ['-rl', 'needleToken', dir], { encoding: 'utf8' }).trim().split('\n').length);
  const ours = time(() => builtin('grep', dir));
  const find = time(() => execFileSync('find', [dir, '-type', 'f'], { encoding: 'utf8', maxBuffer: 64 << 20 }).trim().split('\n').length);
  const glob = time(() => builtin('glob', dir));
  const ratio = (a, b) => (a / b).toFixed(1);
  console.log(`Search over ${FILES} files (${RUNS} runs, medians; built-in times exclude module loading)`);
  console.log(`  grep -rl          ${grepR.ms.toFixed(0)} ms (${grepR.out} files)   built-in Grep  ${ours.out.ms.toFixed(0)} ms (${ours.out.lines})   ${ratio(ours.out.ms, grepR.ms)}× (target ≤ 3×)`);
  console.log(`  find -type f      ${find.ms.toFixed(0)} ms (${find.out} files)   Glob **/*      ${glob.out.ms.toFixed(0)} ms (${glob.out.lines})   ${ratio(glob.out.ms, find.ms)}×`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(tools, { force: true });
}
