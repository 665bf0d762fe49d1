// Prompt history, one JSON string per line in <dataDir>/history/<project>.jsonl, so Up/Down and Ctrl+R
// walk what was typed in this project before. Only fs; imports no ink/react.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const KEEP = 1000;

/** A folder-safe name for a project root: `/home/me/app` → `-home-me-app`. */
export const projectSlug = (root: string): string => root.replace(/[^A-Za-z0-9._-]+/g, '-').slice(-120);

export class PromptHistory {
  /** Oldest first. */
  readonly entries: string[] = [];

  constructor(readonly file: string) {}

  static forProject(dataDir: string, projectRoot: string): PromptHistory {
    return new PromptHistory(path.join(dataDir, 'history', `${projectSlug(projectRoot)}.jsonl`));
  }

  load(): this {
    let lines: string[];
    try {
      lines = readFileSync(this.file, 'utf8').split('\n').filter(Boolean);
    } catch {
      return this;
    }
    for (const line of lines.slice(-KEEP)) {
      try {
        const entry: unknown = JSON.parse(line);
        if (typeof entry === 'string') this.entries.push(entry);
      } catch {
        // a torn last line from a crash: skip it
      }
    }
    if (lines.length > 2 * KEEP) this.rewrite();
    return this;
  }

  add(entry: string): void {
    if (!entry.trim() || this.entries.at(-1) === entry) return;
    this.entries.push(entry);
    if (this.entries.length > KEEP) this.entries.splice(0, this.entries.length - KEEP);
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    } catch {
      // history is a convenience: a read-only data dir must not break the prompt
    }
  }

  private rewrite(): void {
    try {
      writeFileSync(this.file, this.entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    } catch {
      // keep the long file; it is trimmed on the next successful load
    }
  }
}
