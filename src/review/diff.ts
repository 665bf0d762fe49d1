// Collects what a review looks at: the staged diff, a commit range, or the working-tree changes of some paths,
// one entry per file with its counts, and the files left out (with why). Never runs the user's diff drivers.
// Imports the git wrapper and skip rules; never the loop or a front end.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { git, gitOk, GitError } from './git.ts';
import { skipReason, type SkipRules } from './skip.ts';

/** staged: the index; range: A..B; paths: working tree of some paths (untracked included); tracked: what `git commit -a` would commit. */
export type DiffSource = { kind: 'staged' } | { kind: 'range'; range: string } | { kind: 'paths'; paths: string[] } | { kind: 'tracked' };

export interface FileDiff {
  path: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed';
  additions: number;
  deletions: number;
  /** The file's diff as shown to the model (a deleted file's content is summarised, not shown). */
  patch: string;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface CollectedDiff {
  files: FileDiff[];
  skipped: SkippedFile[];
  /** Everything the diff contains, for the verdict cache key. */
  fingerprint: string;
}

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
// No diff drivers, and no look into submodules' work trees (their `git status` would run with their own config).
const DIFF_FLAGS = ['--no-color', '--no-ext-diff', '--no-textconv', '--ignore-submodules=dirty', '-M', '--src-prefix=a/', '--dst-prefix=b/', '-U3'];

async function diffArgs(source: DiffSource, root: string): Promise<{ base: string[]; paths: string[] }> {
  if (source.kind === 'staged') return { base: ['diff', '--cached'], paths: [] };
  if (source.kind === 'range') {
    if (source.range.startsWith('-')) throw new GitError(`"${source.range}" is not a commit range; use A..B`);
    return { base: ['diff', source.range], paths: [] };
  }
  const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], root);
  return { base: ['diff', head.code === 0 ? 'HEAD' : EMPTY_TREE], paths: source.kind === 'paths' ? source.paths : [] };
}

interface NumStat {
  path: string;
  additions: number;
  deletions: number;
  binary: boolean;
}

/** `git diff --numstat -z`: "A\tD\tpath\0", or "A\tD\t\0old\0new\0" for renames. */
export function parseNumstat(text: string): NumStat[] {
  const parts = text.split('\0');
  const out: NumStat[] = [];
  for (let i = 0; i < parts.length; i++) {
    const m = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(parts[i]!);
    if (!m) continue;
    let file = m[3]!;
    if (file === '') {
      file = parts[i + 2] ?? '';
      i += 2;
    }
    out.push({ path: file, additions: Number(m[1]) || 0, deletions: Number(m[2]) || 0, binary: m[1] === '-' });
  }
  return out;
}

/** Splits a multi-file patch at its `diff --git` lines (content lines always start with ' ', '+' or '-'). */
export function splitPatch(text: string): string[] {
  if (!text.trim()) return [];
  return text.split(/^(?=diff --git )/m).filter((p) => p.startsWith('diff --git '));
}

function statusOf(patch: string): FileDiff['status'] {
  if (/^new file mode/m.test(patch)) return 'added';
  if (/^deleted file mode/m.test(patch)) return 'deleted';
  if (/^rename from /m.test(patch)) return 'renamed';
  return 'modified';
}

function summariseDeletion(patch: string, file: string, deletions: number): string {
  const header = patch.split('\n').filter((l) => /^(diff --git|deleted file mode|index )/.test(l));
  return `${header.join('\n')}\n--- a/${file}\n+++ /dev/null\n[file deleted: ${deletions} lines removed; content not shown]\n`;
}

/** `cwd` resolves the paths the user named; reported paths are relative to the repository `root`. */
export async function collectDiff(source: DiffSource, cwd: string, root: string, rules: SkipRules): Promise<CollectedDiff> {
  const { base, paths } = await diffArgs(source, cwd);
  const tail = paths.length ? ['--', ...paths] : [];
  const cfg = ['-c', 'core.quotePath=false'];
  const [numstat, patchText] = await Promise.all([
    gitOk([...cfg, ...base, ...DIFF_FLAGS, '--numstat', '-z', ...tail], cwd),
    gitOk([...cfg, ...base, ...DIFF_FLAGS, ...tail], cwd),
  ]);
  const stats = parseNumstat(numstat);
  const patches = splitPatch(patchText);
  if (stats.length !== patches.length) throw new GitError(`git diff listed ${stats.length} files but showed ${patches.length}; cannot review this diff`);
  const entries = stats.map((s, i) => ({ ...s, patch: patches[i]! }));
  let fingerprint = patchText;
  if (source.kind === 'paths') {
    const untracked = await untrackedDiffs(cwd, root, paths);
    entries.push(...untracked);
    fingerprint += untracked.map((u) => u.patch).join('');
  }
  return { ...classify(entries, rules), fingerprint: `${numstat}\0${fingerprint}` };
}

function classify(entries: (NumStat & { patch: string })[], rules: SkipRules): Omit<CollectedDiff, 'fingerprint'> {
  const files: FileDiff[] = [];
  const skipped: SkippedFile[] = [];
  for (const e of entries) {
    const binary = e.binary || /^Binary files .* differ$/m.test(e.patch);
    const reason = skipReason(e.path, binary, e.patch, rules);
    if (reason) {
      skipped.push({ file: e.path, reason });
      continue;
    }
    const status = statusOf(e.patch);
    const patch = status === 'deleted' ? summariseDeletion(e.patch, e.path, e.deletions) : e.patch;
    files.push({ path: e.path, status, additions: e.additions, deletions: e.deletions, patch });
  }
  return { files, skipped };
}

/** New files under the given paths that git does not track yet, as "new file" diffs. */
async function untrackedDiffs(cwd: string, root: string, paths: string[]): Promise<(NumStat & { patch: string })[]> {
  const listed = await gitOk(['ls-files', '--others', '--exclude-standard', '--full-name', '-z', '--', ...paths], cwd);
  const out: (NumStat & { patch: string })[] = [];
  for (const file of listed.split('\0').filter(Boolean)) {
    const content = await readFile(path.join(root, file)).catch(() => undefined);
    if (content === undefined) continue;
    const binary = content.subarray(0, 8000).includes(0);
    const lines = binary ? [] : content.toString('utf8').replace(/\n$/, '').split('\n');
    const body = binary ? 'Binary files /dev/null and b/' + file + ' differ\n' : `--- /dev/null\n+++ b/${file}\n@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n`;
    out.push({ path: file, additions: lines.length, deletions: 0, binary, patch: `diff --git a/${file} b/${file}\nnew file mode 100644\n${body}` });
  }
  return out;
}
