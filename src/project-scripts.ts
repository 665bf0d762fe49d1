// The project files a trusted command runs, as trust entries with a hash of each file: a project hook's
// `bash .glm/hooks/check.sh`, `"$CLAUDE_PROJECT_DIR"/.claude/hooks/x.py`, a pre-approved `Bash(sh tools/setup.sh:*)`.
// Trust covers the file as it was, so a changed (or removed) script asks again. A crude word splitter, not a shell
// parser: it looks only at the command word and an interpreter's script, since arguments are often files a hook
// writes (touch, >>) and would make trust flap. Sync fs only (config.ts calls it while loading); imports types only.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LooseningEntry } from './types.ts';

/** Interpreters whose first argument that is not an option is the file they run. */
const INTERPRETERS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'source', '.', 'python', 'python2', 'python3', 'node', 'nodejs', 'deno', 'bun', 'ruby', 'perl', 'php', 'tsx', 'ts-node', 'pwsh']);
/** Words an interpreter takes before the file: `deno run x.ts`, `bun run x.ts`. */
const SUBCOMMANDS = new Set(['run']);
/**
 * A bare word an interpreter gets is a file only with a script's extension or when it exists: `bun run build`
 * runs a package.json script, not a file named build.
 */
const SCRIPT_EXT = /\.(sh|bash|zsh|py|js|mjs|cjs|ts|mts|cts|rb|pl|php|ps1)$/;
/** Commands that run the rest of their words: `env A=1 ./x.sh`, `timeout 5 ./x.sh`. */
const WRAPPERS = new Set(['env', 'exec', 'command', 'nohup', 'time', 'nice', 'timeout', 'xargs']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish']);
/** Stands for the project folder in a command ($CLAUDE_PROJECT_DIR, $GLM_PROJECT_DIR) while it is split. */
const ROOT = '\u0000root\u0000';

/** The project files `command` runs, relative to the project root, sorted. */
export function namedProjectFiles(command: string, projectRoot: string): string[] {
  const text = command.replace(/\$\{?(CLAUDE|GLM)_PROJECT_DIR\}?/g, ROOT);
  // Command substitutions run too, quoted or not: `echo "$(./x.sh)"`.
  const inner = [...text.matchAll(/\$\(([^()]*)\)|`([^`]*)`/g)].map((m) => m[1] ?? m[2] ?? '');
  const files = [text, ...inner].flatMap((t) => simpleCommands(t).flatMap((words) => runFiles(words, 0)));
  const inside = files.flatMap((word) => {
    if (/[$`*?[~]/.test(word) || /^[a-z][\w+.-]*:/i.test(word)) return []; // a value only the shell knows; a URL or npm:pkg
    const full = path.resolve(projectRoot, word.replaceAll(ROOT, projectRoot));
    if (!word.includes('/') && !SCRIPT_EXT.test(word) && fileHash(full) === 'missing') return [];
    const rel = path.relative(projectRoot, full);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? [rel] : [];
  });
  return [...new Set(inside)].sort();
}

/** Trust entries for the project files of these commands: `scripts/x.sh (sha256:…)`, or `(missing)`. */
export function scriptEntries(commands: string[], projectRoot: string): LooseningEntry[] {
  const files = [...new Set(commands.flatMap((c) => namedProjectFiles(c, projectRoot)))];
  return files.flatMap((rel) => {
    const hash = fileHash(path.join(projectRoot, rel));
    return hash === 'folder' ? [] : [{ kind: 'script', value: `${rel} (${hash})` }];
  });
}

/** The Bash commands of permission rules, as far as they are fixed: `Bash(sh tools/setup.sh:*)` → `sh tools/setup.sh`. */
export function bashRuleCommands(rules: string[]): string[] {
  return rules.flatMap((rule) => {
    const m = /^\s*Bash\(([\s\S]*)\)\s*$/.exec(rule);
    return m ? [m[1]!.replace(/:\*$/, '').replace(/\s*\*$/, '')] : [];
  });
}

/** `sha256:<16 hex>` of a file, `missing` when there is none, `folder` for a folder (nothing to run). */
export function fileHash(file: string): string {
  try {
    if (statSync(file).isDirectory()) return 'folder';
    return 'sha256:' + createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'missing' : 'unreadable';
  }
}

/** The files one simple command runs: its command word when it is a path, an interpreter's script, `sh -c`'s. */
function runFiles(words: string[], depth: number): string[] {
  let i = 0;
  const skipAssignments = () => {
    while (i < words.length && /^[A-Za-z_]\w*=/.test(words[i]!)) i++;
  };
  skipAssignments();
  while (i < words.length && WRAPPERS.has(words[i]!)) {
    i++;
    while (i < words.length && (words[i]!.startsWith('-') || /^\d+[smhd]?$/.test(words[i]!))) i++;
    skipAssignments();
  }
  const first = words[i];
  if (first === undefined) return [];
  const name = path.basename(first);
  if (!INTERPRETERS.has(name)) return first.includes('/') ? [first] : [];
  const direct = first.includes('/') ? [first] : [];
  for (i++; i < words.length; i++) {
    const w = words[i]!;
    if (SHELLS.has(name) && w === '-c') return depth < 3 && words[i + 1] !== undefined ? [...direct, ...simpleCommands(words[i + 1]!).flatMap((ws) => runFiles(ws, depth + 1))] : direct;
    if (/^-[cme]$/.test(w) || w === '--eval') return direct; // code on the command line, not a file
    if (w.startsWith('-') || SUBCOMMANDS.has(w)) continue;
    return [...direct, w];
  }
  return direct;
}

/** A command line as simple commands of words: quotes removed, split at ; & | ( ) { } ` and newlines, redirections dropped. */
function simpleCommands(text: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  let redirect = false;
  const endWord = () => {
    if (inWord && !redirect) words.push(word);
    if (inWord) redirect = false;
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    redirect = false;
    if (words.length) commands.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = '';
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\') {
      if (i + 1 < text.length) word += text[++i];
      inWord = true;
    } else if (ch === '\n' || ';&|(){}`'.includes(ch)) {
      if (ch === '(' && word.endsWith('$')) word = word.slice(0, -1);
      endCommand();
    } else if (/\s/.test(ch)) {
      endWord();
    } else if (ch === '<' || ch === '>') {
      if (/^\d*$/.test(word)) {
        word = '';
        inWord = false;
      } else endWord();
      while (text[i + 1] === '>' || text[i + 1] === '&') i++;
      redirect = true;
    } else {
      word += ch;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}
