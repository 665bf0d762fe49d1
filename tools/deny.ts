// Keeps paths a Read deny rule covers (ToolContext.readDenied) out of what Grep, Glob and LS search and list and
// what "did you mean" suggests: each path is judged as named, by its real path, and through every folder above it;
// what was left out is counted for a short note. Imports no loop, session or UI.
import { basename, dirname, join } from 'node:path';
import { realPathOf } from '../src/paths.ts';

export class DenyFilter {
  /** How many paths hides() left out. */
  hidden = 0;
  private readonly dirVerdicts = new Map<string, boolean>();
  private readonly realDirs = new Map<string, string>();

  constructor(private readonly denied: ((absolutePath: string) => boolean) | undefined) {}

  /** False when no rule can hide anything (the session set no predicate): callers may skip extra work. */
  get active(): boolean {
    return this.denied !== undefined;
  }

  /**
   * Whether `abs` must be left out. `link`: abs itself may be a symlink, so its target is judged too (entries
   * met by a walk that does not follow symlinks are never links). Does not count; see hides().
   */
  covers(abs: string, link = false): boolean {
    if (!this.denied) return false;
    return this.judge(abs, link ? realPathOf(abs) : join(this.realDir(dirname(abs)), basename(abs))) || this.folderCovered(dirname(abs));
  }

  /** covers(), counting what it leaves out. */
  hides(abs: string, link = false): boolean {
    const hit = this.covers(abs, link);
    if (hit) this.hidden++;
    return hit;
  }

  /** The line a tool adds to its output, or '' when nothing was hidden. */
  note(): string {
    return this.hidden ? `(${this.hidden} path${this.hidden === 1 ? '' : 's'} hidden by deny rules)` : '';
  }

  private judge(abs: string, real: string): boolean {
    return this.denied!(abs) || (real !== abs && this.denied!(real));
  }

  private realDir(dir: string): string {
    let real = this.realDirs.get(dir);
    if (real === undefined) {
      real = realPathOf(dir);
      this.realDirs.set(dir, real);
    }
    return real;
  }

  /** Whether `dir` or a folder above it is covered (a rule on a folder covers what is inside). */
  private folderCovered(dir: string): boolean {
    let hit = this.dirVerdicts.get(dir);
    if (hit === undefined) {
      hit = this.judge(dir, this.realDir(dir)) || (dirname(dir) !== dir && this.folderCovered(dirname(dir)));
      this.dirVerdicts.set(dir, hit);
    }
    return hit;
  }
}

/** Output with the deny note (if any) after a blank line. */
export const withNote = (output: string, deny: DenyFilter): string => (deny.hidden ? `${output}\n\n${deny.note()}` : output);
