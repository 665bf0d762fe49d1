// The review verdict cache: a finished review stored under a hash of the diff, the model and the rules, so the
// same staged content is never paid for twice (a commit retried after a later hook failed). Lives in the data
// folder, never in the repository. Imports node built-ins, atomic-file.ts and the review types only.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../atomic-file.ts';
import type { Finding } from './report-review.ts';
import type { SkippedFile } from './diff.ts';

export interface CachedReview {
  verdict: 'pass' | 'fail';
  summary: string;
  findings: Finding[];
  reviewed: { files: number; additions: number; deletions: number };
  skipped: SkippedFile[];
}

/** Old entries beyond this many are removed when a new one is written. */
const MAX_ENTRIES = 500;

export function cacheKey(parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

const cacheDir = (dataDir: string) => path.join(dataDir, 'review-cache');

export function readCachedReview(dataDir: string, key: string): CachedReview | undefined {
  try {
    const data = JSON.parse(readFileSync(path.join(cacheDir(dataDir), `${key}.json`), 'utf8')) as CachedReview;
    return data && Array.isArray(data.findings) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that cannot be written only costs a second review. */
export function writeCachedReview(dataDir: string, key: string, review: CachedReview): void {
  const dir = cacheDir(dataDir);
  try {
    writeFileAtomicSync(path.join(dir, `${key}.json`), JSON.stringify(review));
    prune(dir);
  } catch {
    // read-only data folder: no cache
  }
}

function prune(dir: string): void {
  const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  if (names.length <= MAX_ENTRIES) return;
  const byAge = names.map((n) => ({ n, t: statSync(path.join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of byAge.slice(0, names.length - MAX_ENTRIES)) unlinkSync(path.join(dir, n));
}
