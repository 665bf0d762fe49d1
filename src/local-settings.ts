// `.glm/settings.local.json`, a person's own project settings (config-project.ts): glm keeps it out of git by adding it
// to the repository's `info/exclude` (never the tracked .gitignore; Claude Code does the same for its
// .claude/settings.local.json through the global ignore file, glm stays inside the repository). Read with fs, so a
// run spawns no git for it. Imports git-args and node built-ins only.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gitDirs } from './git-args.ts';

export const LOCAL_SETTINGS = path.join('.glm', 'settings.local.json');
/** The line in info/exclude: anchored at the top of the work tree, which is glm's project root. */
const EXCLUDE_LINE = '/.glm/settings.local.json';

/**
 * When the project has a `.glm/settings.local.json` inside a git repository, makes sure the repository's
 * info/exclude names it. A tracked copy stays tracked (ignore rules never untrack). Never throws: a read-only
 * `.git` only means the file is not ignored.
 */
export function keepLocalSettingsIgnored(projectRoot: string): void {
  if (!existsSync(path.join(projectRoot, LOCAL_SETTINGS))) return;
  try {
    const dirs = gitDirs(projectRoot);
    // A `.git` file (or commondir) a repository ships may point anywhere: write only into a real git folder.
    if (!dirs || !existsSync(path.join(dirs.common, 'HEAD')) || !existsSync(path.join(dirs.common, 'objects'))) return;
    const exclude = path.join(dirs.common, 'info', 'exclude');
    const text = existsSync(exclude) ? readFileSync(exclude, 'utf8') : '';
    if (text.split(/\r?\n/).some((line) => line.trim() === EXCLUDE_LINE)) return;
    mkdirSync(path.dirname(exclude), { recursive: true });
    const lead = text && !text.endsWith('\n') ? '\n' : '';
    appendFileSync(exclude, `${lead}# glm: personal project settings\n${EXCLUDE_LINE}\n`);
  } catch {
    // not ignored; nothing else depends on it
  }
}
