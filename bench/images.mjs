// Images cost nothing until an image is handled, side by side in one run:
//   1. the modules `glm -p hi` loads: sharp (native) and the image code must not be among them;
//   2. wall time of `glm -p hi` (default text-only model, vision routing on) next to what sharp alone takes to
//      load in a bare node (`node -e "require(sharp)"` minus `node -e 0`: what -p hi would pay if it did);
//   3. `glm -p hi --image shot.png` (a 1280×720 PNG to a vision model) for scale;
//   4. with BENCH_GLM_BASE (another build, e.g. the commit before images): its `glm -p hi` wall time.
// Run: npm run build && node_modules/.bin/node bench/images.mjs   (BENCH_RUNS, default 9)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { scratchRepo, timedRun } from './scratch-run.mjs';
import { median, sseText, startBenchServer } from './sse-server.mjs';

const root = path.resolve(import.meta.dirname, '..');
const glm = path.join(root, 'bin/glm.js');
const base = process.env.BENCH_GLM_BASE;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

const server = await startBenchServer(() => sseText('Hello!'));
const scratch = scratchRepo('glm-bench-images-', server.url);
const { dir, repo } = scratch;
const run = (args, extraEnv) => timedRun(scratch, args, extraEnv);
const sharp = (await import('sharp')).default;
await sharp({ create: { width: 1280, height: 720, channels: 3, background: '#3366cc' } }).png().toFile(path.join(repo, 'shot.png'));

async function medianOf(f) {
  const xs = [];
  for (let i = 0; i < RUNS; i++) xs.push(await f());
  return median(xs);
}

const loadsFile = path.join(dir, 'loads.txt');
await run(['--import', path.join(import.meta.dirname, 'record-loads.mjs'), glm, '-p', 'hi'], { GLM_BENCH_LOADS: loadsFile });
const loaded = readFileSync(loadsFile, 'utf8').trim().split('\n');
const imageModules = loaded.filter((u) => /\/sharp\/|@img\/sharp|\/image-[A-Z0-9]{8}\.js$|clipboard-image/.test(u));
console.log(`node ${process.version}, ${os.cpus().length} cores, ${RUNS} runs each, medians\n`);
console.log(`glm -p hi: ${loaded.length} modules loaded; image modules among them (sharp, image.ts, clipboard): ${imageModules.length ? imageModules.join(', ') : 'none'}`);

const bare = await medianOf(() => run(['-e', '0']));
const sharpEntry = createRequire(path.join(root, 'package.json')).resolve('sharp');
const withSharp = await medianOf(() => run(['-e', `require(${JSON.stringify(sharpEntry)})`]));
const hi = await medianOf(() => run([glm, '-p', 'hi']));
const image = await medianOf(() => run([glm, '-p', 'hi', '--image', 'shot.png', '--model', 'glm-5v-turbo']));
console.log(`sharp alone: node -e 0 ${bare.toFixed(1)} ms, + require('sharp') ${withSharp.toFixed(1)} ms: loading it costs ${(withSharp - bare).toFixed(1)} ms`);
console.log(`glm -p hi ${hi.toFixed(1)} ms (pays none of that)   glm -p hi --image shot.png ${image.toFixed(1)} ms (+${(image - hi).toFixed(1)} ms: sharp, scaling, the bigger request)`);
if (base) {
  const [a, b] = [[], []];
  for (let i = 0; i < RUNS; i++) {
    a.push(await run([base, '-p', 'hi']));
    b.push(await run([glm, '-p', 'hi']));
  }
  console.log(`vs ${base}: glm -p hi base ${median(a).toFixed(1)} ms   this build ${median(b).toFixed(1)} ms   ratio ${(median(b) / median(a)).toFixed(2)}×`);
}
await server.close();
