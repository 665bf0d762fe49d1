// The project's files for @-completion: tinyglobby lists them, `ignore` applies every .gitignore on the
// way (plus .git/ and node_modules/). Paths are relative to cwd, directories end with '/'. No ink/react.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { glob } from 'tinyglobby';

const MAX_FILES = 20_000;
const ALWAYS_IGNORED = ['**/.git/**', '**/node_modules/**'];

export async function listProjectFiles(cwd: string): Promise<string[]> {
  const all = await glob('**/*', { cwd, dot: true, onlyFiles: true, ignore: ALWAYS_IGNORED, followSymbolicLinks: false });
  const rules = await gitignores(cwd, all.filter((f) => path.posix.basename(f) === '.gitignore'));
  const files = all.filter((f) => !ignoredBy(rules, f)).sort(byDepthThenName).slice(0, MAX_FILES);
  const dirs = new Set<string>();
  for (const f of files) {
    for (let d = path.posix.dirname(f); d !== '.'; d = path.posix.dirname(d)) {
      if (dirs.has(`${d}/`)) break;
      dirs.add(`${d}/`);
    }
  }
  return [...[...dirs].sort(byDepthThenName), ...files];
}

/** One `ignore` per .gitignore, keyed by its folder ('' for the root). */
async function gitignores(cwd: string, files: string[]): Promise<Map<string, Ignore>> {
  const rules = new Map<string, Ignore>();
  await Promise.all(
    files.map(async (f) => {
      const text = await readFile(path.join(cwd, f), 'utf8').catch(() => '');
      const dir = path.posix.dirname(f);
      rules.set(dir === '.' ? '' : dir, ignore().add(text));
    }),
  );
  return rules;
}

function ignoredBy(rules: Map<string, Ignore>, file: string): boolean {
  for (const [dir, ig] of rules) {
    if (dir && !file.startsWith(`${dir}/`)) continue;
    const rel = dir ? file.slice(dir.length + 1) : file;
    if (ig.ignores(rel)) return true;
  }
  return false;
}

function byDepthThenName(a: string, b: string): number {
  const depth = (s: string) => s.split('/').length;
  return depth(a) - depth(b) || a.localeCompare(b);
}
