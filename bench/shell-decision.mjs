// What judging a Bash command on a real parse costs, side by side with its floor in one run: a fresh process that
// decides one Read call (the floor: no parser) against one that decides one Bash call (loads tree-sitter-bash),
// then the steady cost of each later command. Runs the TypeScript sources with the project's Node 24.
// Run: node_modules/.bin/node bench/shell-decision.mjs
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { median } from './sse-server.mjs';

const root = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const COMMANDS = ['npm test 2>&1 | tail -50', 'git status', 'ls -la src', "grep -rn 'TODO' src | head -20", 'cd src && npm run build', "git commit -m \"$(cat <<'EOF'\nfix: a thing\nEOF\n)\"", 'echo $(id) > out.txt', 'find . -name "*.ts" -exec wc -l {} +'];

const script = (bash) => `
const t0 = performance.now();
const { decide } = await import(${JSON.stringify(path.join(root, 'src/permissions.ts'))});
const base = { mode: 'default', allow: ['Bash(npm test:*)', 'Bash(tail:*)', 'Bash(git status:*)'], deny: ['Bash(rm:*)'], ask: [], projectRoot: ${JSON.stringify(root)}, cwd: ${JSON.stringify(root)} };
let shell;
if (${bash}) {
  const { analyzeCommand } = await import(${JSON.stringify(path.join(root, 'src/shell/analyze.ts'))});
  shell = await analyzeCommand('npm test 2>&1 | tail -50');
}
decide({ ...base, toolName: ${bash} ? 'Bash' : 'Read', kind: ${bash} ? 'execute' : 'read', target: ${bash} ? 'npm test 2>&1 | tail -50' : 'README.md', shell });
const first = performance.now() - t0;
let steady = 0;
if (${bash}) {
  const { analyzeCommand } = await import(${JSON.stringify(path.join(root, 'src/shell/analyze.ts'))});
  const cmds = ${JSON.stringify(COMMANDS)};
  const t1 = performance.now();
  for (let i = 0; i < 25; i++) for (const c of cmds) decide({ ...base, toolName: 'Bash', kind: 'execute', target: c, shell: await analyzeCommand(c) });
  steady = (performance.now() - t1) / (25 * cmds.length);
}
console.log(JSON.stringify({ first, steady }));
`;

function run(bash) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(bash)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const floor = [], bash = [];
for (let i = 0; i < RUNS; i++) {
  floor.push(run(false));
  bash.push(run(true));
}
const f = median(floor.map((x) => x.first)), b = median(bash.map((x) => x.first));
console.log(`First permission decision in a fresh process (${RUNS} runs, medians)`);
console.log(`  floor (a Read call, no parser)  ${f.toFixed(1)} ms   Bash call (loads tree-sitter-bash)  ${b.toFixed(1)} ms   parser cost ${(b - f).toFixed(1)} ms`);
console.log(`Each later Bash decision (parse + rules, ${COMMANDS.length} typical commands): ${median(bash.map((x) => x.steady)).toFixed(2)} ms`);
