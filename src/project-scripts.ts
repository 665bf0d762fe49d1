// The project files a trusted command runs, as trust entries with a hash of each file: a project hook's
// `bash .glm/hooks/check.sh`, `"$CLAUDE_PROJECT_DIR"/.claude/hooks/x.py`, a pre-approved `Bash(sh tools/setup.sh:*)`.
// Trust covers the file as it was, so a changed (or removed) script asks again. A crude word splitter, not a shell
// parser: it looks only at the command word and an interpreter's script, since arguments are often files a hook
// writes (touch, >>) and would make trust flap. Sync fs only (config.ts calls it while loading); imports types only.
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
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
const WRAPPERS = new Set(['env', 'exec', 'command', 'nohup', 'time', 'nice', 'timeout', 'xargs', 'stdbuf', 'setsid', 'sudo', 'doas', 'eval', 'then', 'else', 'do', '!']);
/** Interpreter options that take the next word as their value (`bash -o errexit x.sh`, `python -W ignore x.py`). */
const VALUED = new Set(['-o', '+o', '-O', '+O', '-W', '-X', '-I', '-C', '-E', '-F', '-d', '--rcfile', '--init-file']);
/** Options whose value is a file the interpreter runs before the script (`node -r ./x.js main.js`). */
const RUNS_VALUE = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-M']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish']);
/** Stands for the project folder in a command ($CLAUDE_PROJECT_DIR, $GLM_PROJECT_DIR) while it is split. */
const ROOT = '\u0000root\u0000';

/** The project files `command` runs, relative to the project root, sorted (`cwd`: see scriptEntries). */
export function namedProjectFiles(command: string, projectRoot: string, cwd?: string): string[] {
  // Every spelling of the project folder: `${CLAUDE_PROJECT_DIR:-.}`, `${GLM_PROJECT_DIR%/}`, and `$PWD` (a hook starts
  // there; relative paths are read from there too).
  const text = command.replace(/\$\{(?:CLAUDE_PROJECT_DIR|GLM_PROJECT_DIR|PWD)(?:[:%#/][^}]*)?\}|\$(?:CLAUDE_PROJECT_DIR|GLM_PROJECT_DIR|PWD)\b/g, ROOT);
  // Command substitutions run too, quoted or not: `echo "$(./x.sh)"`.
  const inner = [...text.matchAll(/\$\(([^()]*)\)|`([^`]*)`/g)].map((m) => m[1] ?? m[2] ?? '');
  const commands = [text, ...inner].flatMap((t) => simpleCommands(t, true));
  // Any word with a script's extension, wherever it stands (`cat x.sh | bash`, `bash < x.sh`, `if …; then bash -e
  // x.sh`, `busybox sh x.sh`): where the splitter cannot tell which word runs, it hashes too much rather than too little.
  const files = [...commands.flatMap((words) => runFiles(words.filter((w) => !w.startsWith(REDIRECT)), 0)), ...commands.flat().map((w) => w.replace(REDIRECT, '')).filter((w) => SCRIPT_EXT.test(w) && !/\s/.test(w))];
  const realRoot = realpathOr(projectRoot);
  const resolve = (named: string, base: string): string[] => {
    const word = named.replace(IF_EXISTS, '');
    const spelled = word.replaceAll(ROOT, projectRoot);
    // `x/../y.sh` is `y.sh` only when x is no symlink: the shell follows x first, so the folder is resolved as it does.
    const dotted = spelled.split('/').includes('..');
    const full = dotted ? physical(path.isAbsolute(spelled) ? spelled : `${base}/${spelled}`) : path.resolve(base, spelled);
    if (((!word.includes('/') && !SCRIPT_EXT.test(word)) || named.startsWith(IF_EXISTS)) && fileHash(full) === 'missing') return [];
    const inProject = (f: string) => {
      const rel = path.relative(dotted ? realRoot : projectRoot, f);
      return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? [rel] : [];
    };
    // A folder an interpreter runs (`node .`, `python3 tools/pkg`): the files it starts from.
    return fileHash(full) === 'folder' ? folderEntryFiles(full).flatMap(inProject) : inProject(full);
  };
  // Started in a subfolder, a hook or command runs there: `bash tools/x.sh` is sub/tools/x.sh when that exists.
  const here = cwd && path.resolve(cwd) !== path.resolve(projectRoot) ? path.resolve(cwd) : undefined;
  const inside = files.flatMap((word) => {
    if (/[$`*?[~]/.test(word) || /^[a-z][\w+.-]*:/i.test(word)) return []; // a value only the shell knows; a URL or npm:pkg
    const fromHere = here && !word.includes(ROOT) && !path.isAbsolute(word) ? resolve(word, here).filter((rel) => fileHash(path.join(projectRoot, rel)) !== 'missing') : [];
    return [...resolve(word, projectRoot), ...fromHere];
  });
  return [...new Set(inside)].sort();
}

/**
 * Trust entries for the project files of these commands: `scripts/x.sh (sha256:…)`, or `(missing)`. `cwd`: where
 * glm started, when that is a folder below the project root (relative paths there count too, where they exist).
 */
export function scriptEntries(commands: string[], projectRoot: string, cwd?: string): LooseningEntry[] {
  const files = [...new Set(commands.flatMap((c) => namedProjectFiles(c, projectRoot, cwd)))];
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

/** Marks an input redirection's file among a simple command's words (simpleCommands' `keepRedirects`): `bash < x.sh`. */
const REDIRECT = '\u0000<';

const realpathOr = (p: string): string => {
  try {
    return realpathSync.native(p); // the system's: the JS one drops `x/..` before it looks at x
  } catch {
    return path.resolve(p);
  }
};

/** A path with its folder resolved the way the shell walks it (symlinks before `..`). */
function physical(p: string): string {
  const dir = p.slice(0, p.lastIndexOf('/')) || '/';
  return path.join(realpathOr(dir), p.slice(p.lastIndexOf('/') + 1));
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
  while (i < words.length && WRAPPERS.has(path.basename(words[i]!))) {
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
    // `python -m tools.check` runs tools/check.py or the package's __main__.py, from the folder it starts in.
    if (w === '-m' && name.startsWith('python') && /^[\w.]+$/.test(words[i + 1] ?? '')) return [...direct, ...moduleFiles(words[i + 1]!)];
    if (/^-[cme]$/.test(w) || w === '--eval') return direct; // code on the command line, not a file
    if (RUNS_VALUE.has(w) && words[i + 1] !== undefined) {
      direct.push(words[++i]!);
      continue;
    }
    if (VALUED.has(w)) {
      // Taken as the option's value, yet a file where it exists: which interpreter's options take one differs
      // (python's -O and -E take none), and `python3 -O tools/lint` must not leave tools/lint out of trust.
      if (words[i + 1] !== undefined) direct.push(IF_EXISTS + words[i + 1]!);
      i++;
      continue;
    }
    if (w.startsWith('-') || SUBCOMMANDS.has(w)) continue;
    return [...direct, w];
  }
  return direct;
}

/** What `node <folder>` or `python3 <folder>` runs: its package.json and the main file it names, index.js, __main__.py. */
function folderEntryFiles(dir: string): string[] {
  const out = ['package.json', 'index.js', 'index.mjs', 'index.cjs', '__main__.py'].map((f) => path.join(dir, f));
  try {
    const main = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { main?: unknown }).main;
    if (typeof main === 'string') out.push(path.resolve(dir, main));
  } catch {
    // no package.json, or not JSON: node then falls back to index.js
  }
  return out.filter((f) => fileHash(f) !== 'missing' && fileHash(f) !== 'folder');
}

/** Marks a word that names a project file only where it exists (a Python module's candidate files). */
const IF_EXISTS = '\u0000if-exists\u0000';

function moduleFiles(module: string): string[] {
  const base = module.replaceAll('.', '/');
  return [`${base}.py`, `${base}/__main__.py`, `${base}/__init__.py`].map((f) => IF_EXISTS + f);
}

/**
 * A command line as simple commands of words: quotes removed, split at ; & | ( ) { } ` and newlines, redirections
 * dropped (with `keepRedirects`, an input redirection's file is kept as a word marked with REDIRECT).
 */
function simpleCommands(text: string, keepRedirects = false): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  let redirect: false | '<' | '>' = false;
  const endWord = () => {
    if (inWord && (!redirect || (keepRedirects && redirect === '<'))) words.push(redirect ? REDIRECT + word : word);
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
      redirect = ch;
    } else {
      word += ch;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}
