// What a command that a prefix rule allows can still do through its arguments: options that run code or write
// files (`find -exec`, `sed e`, `git -c`, `curl -o` …), and the paths that file-writing commands (cp, mv, tee …)
// write to, which are judged like Write. A prefix rule allows any arguments; these are the ones glm refuses
// anyway (listed in the README). Imports the normaliser only.
import { baseName } from './normalize.ts';

export interface ArgumentRisk {
  /** Why the call must ask despite an allow rule; undefined when no option runs code or writes. */
  reason?: string;
  /** Paths the command writes through its arguments, judged like Write. */
  writes: string[];
}

/**
 * The first word that is one of the options: a short one alone or with its value attached (`-ofile`), a long one
 * whole, with `=value`, or abbreviated as GNU getopt accepts (`--outp` for `--output`).
 */
const option = (words: string[], names: string[]) =>
  words.find((w) => names.some((n) => (n.startsWith('--') ? longMatches(w, n) : !w.startsWith('--') && n.length === 2 && w.startsWith(n))));

/** `--name`, `--name=value`, any prefix GNU getopt would take (`--e` for `--expression`), `_` for `-` (npm). */
function longMatches(word: string, name: string): boolean {
  if (!word.startsWith('--')) return false;
  const given = word.split('=')[0].replaceAll('_', '-');
  return given === name || (given.length >= 3 && name.startsWith(given));
}

/** Go-style single-dash long options (`-exec`, `-toolexec=…`) are the same options. */
const singleDashLong = (words: string[], names: string[]) =>
  words.find((w) => /^-[a-z][a-z-]{2,}/.test(w) && names.some((n) => n === '-' + w.split('=')[0]));

/** Options that run code or write files, for any command. */
const EVERYWHERE = ['--toolexec', '--userconfig', '--globalconfig', '--lesskey', '--lesskey-src', '--lesskey-file', '--junitxml', '--junit-xml', '--basetemp', '--target-dir', '--rcfile', '--init-file', '--compress-program', '--output', '--output-file', '--output-document', '--exec', '--node-options', '--upload-pack', '--receive-pack', '--config-env', '--exec-path', '--pre', '--use-compress-program', '--to-command', '--checkpoint-action', '--info-script', '--new-volume-script', '--rsh-command', '--script-shell', '--pager', '--open-files-in-pager', '--eval', '--require', '--import', '--loader', '--experimental-loader'];

/** Per command: short options that run code or write files there (and only there: `-o` is harmless to grep). */
const SHORT: Record<string, string[]> = {
  curl: ['-o', '-O', '-K', '-T', '-D', '-c'],
  wget: ['-O', '-o', '-a', '-P', '-x'],
  sort: ['-o'],
  node: ['-e', '-p', '-r'],
  deno: ['-e'],
  bun: ['-e', '-p', '-r'],
  npx: ['-c'],
  ssh: ['-o', '-F'],
  scp: ['-o', '-F', '-S'],
  rsync: ['-e'],
  man: ['-P', '-H'],
  tar: ['-I', '-F'],
  rg: [],
  tree: ['-o'],
  make: ['-f', '-E', '-C', '-I'], gmake: ['-f', '-E', '-C', '-I'],
  less: ['-k'],
  go: ['-o'],
  pytest: ['-p', '-c', '-o'], 'py.test': ['-p', '-c', '-o'],
  cargo: ['-Z'],
  npm: ['-c'],
  awk: ['-f', '-W'], gawk: ['-f', '-l', '-i', '-E', '-W'], mawk: ['-f', '-W'], nawk: ['-f', '-W'],
  sed: ['-i', '-f'],
  perl: ['-e', '-E', '-i'], ruby: ['-e', '-i'], python: ['-c'], python3: ['-c'], php: ['-r'],
}; // prettier-ignore

/** Commands whose arguments are files they write (sources too: a moved file leaves its place; judging more is safe). */
const WRITERS = new Set(['cp', 'mv', 'tee', 'touch', 'ln', 'rm', 'rmdir', 'mkdir', 'chmod', 'chown', 'chgrp', 'install', 'truncate', 'shred', 'unlink', 'patch', 'split', 'csplit', 'rsync', 'xxd']);

const FIND_ACTIONS = ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls'];

export function argumentRisk(words: string[]): ArgumentRisk {
  // `python3 -m pytest …` is pytest's options.
  const module = /^python[\d.]*$/.test(baseName(words[0] ?? '')) && words[1] === '-m' ? 2 : 0;
  const name = baseName(words[module] ?? '');
  const args = words.slice(module + 1);
  const risk = (reason: string): ArgumentRisk => ({ reason, writes: [] });
  const general = option(args, EVERYWHERE) ?? singleDashLong(args, EVERYWHERE);
  if (general) return risk(`${general.split('=')[0]} can run code or write files`);
  const short = option(args, SHORT[name] ?? []);
  if (short) return risk(`${name} ${short.slice(0, 2)} can run code or write files`);
  const special = specialRisk(name, args);
  if (special) return risk(special);
  if (WRITERS.has(name)) return { writes: writeTargets(args) };
  if (name === 'dd') return { writes: args.filter((a) => a.startsWith('of=')).map((a) => a.slice(3)) };
  return { writes: [] };
}

function specialRisk(name: string, args: string[]): string | undefined {
  if (name === 'find') {
    const action = args.find((a) => FIND_ACTIONS.includes(a));
    return action && `find ${action} runs commands or writes files`;
  }
  if (name === 'git') return gitRisk(args);
  if (name === 'sed') return sedRisk(args);
  if (/^[gmn]?awk$/.test(name)) return awkRisk(args);
  if (name === 'tar') {
    // The mode can sit in any cluster (`tar -v -cf x`) or in the first word without a dash (`tar czf x`).
    const clusters = args.filter((a, i) => /^-[a-zA-Z]+$/.test(a) || (i === 0 && /^[a-zA-Z]+$/.test(a)));
    const writes = clusters.some((c) => /[xcruA]/.test(c.replace(/^-/, '')));
    return writes || option(args, ['--extract', '--create', '--append', '--update', '--get', '--concatenate', '--catenate', '--delete']) ? 'tar that extracts or creates files' : undefined;
  }
  if (name === 'wget' && !args.some((a) => a === '--spider' || a === '-O-' || a === '-qO-')) return 'wget saves what it downloads to a file';
  if (name === 'make' && args.some((a) => /^[A-Za-z_]\w*=/.test(a))) return 'make with a variable set on its command line (it can replace the shell make runs)';
  if (['xargs', 'env', 'sudo', 'doas', 'nohup', 'timeout', 'watch', 'nice', 'time', 'setsid', 'stdbuf', 'ionice'].includes(name) && args.some((a) => !a.startsWith('-'))) {
    return `${name} runs the command in its arguments, which no rule has checked`;
  }
  return undefined;
}

/** Subcommand options of git that run commands or write where the subcommand would not. */
const GIT_SUB_RISK: Record<string, string[]> = {
  clone: ['-u'], fetch: ['-u'], pull: ['-u'], 'ls-remote': ['-u'], archive: ['-o'], rebase: ['-x'],
  'format-patch': ['-o', '--output-directory'], grep: ['-O'], submodule: [],
}; // prettier-ignore
const GIT_RUNNERS = new Set(['difftool', 'mergetool', 'filter-branch', 'filter-repo', 'bisect', 'daemon', 'instaweb', 'web--browse', 'credential', 'upload-pack', 'receive-pack']);

function gitRisk(args: string[]): string | undefined {
  const sub = args.findIndex((a) => !a.startsWith('-'));
  const globals = sub < 0 ? args : args.slice(0, sub);
  const global = option(globals, ['-c', '--config-env', '--exec-path']);
  if (global) return `git ${global.split('=')[0].slice(0, 2) === '-c' ? '-c' : global.split('=')[0]} sets configuration that can run commands`;
  if (sub < 0) return undefined;
  const name = args[sub];
  const rest = args.slice(sub + 1);
  if (GIT_RUNNERS.has(name) || (name === 'submodule' && rest.includes('foreach'))) return `git ${name} runs other programs`;
  const specific = option(rest, GIT_SUB_RISK[name] ?? []);
  if (specific) return `git ${name} ${specific.split('=')[0]} can run commands or write files`;
  const positional = rest.filter((a) => !a.startsWith('-'));
  const setting = option(rest, ['--add', '--replace-all', '--unset', '--unset-all', '--edit', '-e', '--rename-section', '--remove-section']);
  if (name === 'config' && (positional.length >= 2 || setting || positional[0] === 'set' || positional[0] === 'edit')) {
    return 'git config that changes configuration, which can make git run commands';
  }
  return undefined;
}

/** sed's `e`, `w`, `W`, `r`, `R` commands and the s///e and s///w flags run commands or touch files. */
function sedRisk(args: string[]): string | undefined {
  const scripts: string[] = [];
  let explicit = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (a.startsWith('--')) {
      const value = () => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : (args[++i] ?? ''));
      if (longMatches(a, '--in-place')) return 'sed -i edits files in place';
      if (longMatches(a, '--file')) return 'sed -f runs a script from a file';
      if (longMatches(a, '--expression')) {
        scripts.push(value());
        explicit = true;
      } else if (longMatches(a, '--line-length')) value();
      continue;
    }
    if (!a.startsWith('-') || a === '-') continue;
    // A short cluster (`-ne`, `-e1e cmd`): e and f take the rest of the word or the next one; i edits in place.
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === 'i') return 'sed -i edits files in place';
      if (c === 'f') return 'sed -f runs a script from a file';
      if (c === 'e' || c === 'l') {
        const v = a.slice(j + 1) || (args[++i] ?? '');
        if (c === 'e') {
          scripts.push(v);
          explicit = true;
        }
        break;
      }
    }
  }
  if (!explicit) {
    const first = args.find((a, i) => !a.startsWith('-') && !(i > 0 && /^-[a-zA-Z]*l$/.test(args[i - 1])));
    if (first !== undefined) scripts.push(first);
  }
  for (const script of scripts) {
    const rest = script
      .replace(/s(.)((?:\\.|(?!\1).)*)\1((?:\\.|(?!\1).)*)\1([a-zA-Z0-9]*)/gs, (_m, _d, _p, _r, flags: string) => `s${flags}`)
      .replace(/y(.)((?:\\.|(?!\1).)*)\1((?:\\.|(?!\1).)*)\1/gs, 'y')
      .replace(/\/(?:\\.|[^/\\])*\//g, '')
      .replace(/\\(.)((?:\\.|(?!\1).)*)\1/gs, '');
    if (/[ewWrR]/.test(rest.replace(/s[a-zA-Z0-9]*/g, (m) => (/[ew]/.test(m) ? 'e' : '')))) return 'a sed script that can run commands or read and write files (e, w, r)';
  }
  return undefined;
}

/** awk options that take a value (`-v x=1`, `-F :`) come before the program; program files and extensions ask. */
function awkRisk(args: string[]): string | undefined {
  let program: string | undefined;
  for (let i = 0; i < args.length && program === undefined; i++) {
    const a = args[i];
    if (a === '--') {
      program = args[i + 1];
      break;
    }
    if (/^-[fEie]/.test(a) || /^--(file|exec|source|include|load)/.test(a) || a === '-l' || a.startsWith('-l')) {
      return 'awk reading its program from a file or loading an extension';
    }
    if (/^-[vF]$/.test(a)) i++;
    else if (a.startsWith('-')) continue;
    else program = a;
  }
  if (program !== undefined && /system|getline|[|>]|@load|@include/.test(program)) return 'an awk program that can run commands or write files';
  return undefined;
}

/** Every path a file-writing command names: its arguments, `--opt=value` values and `-tDIR`, all judged like Write. */
function writeTargets(args: string[]): string[] {
  const paths: string[] = [];
  for (const a of args) {
    if (a === '-' || a === '--') continue;
    if (a.startsWith('--')) {
      if (a.includes('=')) paths.push(a.slice(a.indexOf('=') + 1));
    } else if (a.startsWith('-')) {
      const t = a.indexOf('t');
      if (t > 0 && t < a.length - 1) paths.push(a.slice(t + 1));
    } else paths.push(a);
  }
  return paths;
}
