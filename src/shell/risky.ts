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

const option = (words: string[], names: string[]) =>
  words.find((w) => names.some((n) => w === n || (n.startsWith('--') && w.startsWith(n + '=')) || (!n.startsWith('--') && n.length === 2 && w.startsWith(n) && !w.startsWith('--'))));

/** Options that run code or write files, for any command. */
const EVERYWHERE = ['--output', '--output-file', '--output-document', '--exec', '--node-options', '--upload-pack', '--receive-pack', '--config-env', '--exec-path', '--pre', '--use-compress-program', '--to-command', '--checkpoint-action', '--info-script', '--new-volume-script', '--rsh-command', '--script-shell', '--pager', '--open-files-in-pager', '--eval', '--require', '--import', '--loader', '--experimental-loader'];

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
  awk: ['-f'], gawk: ['-f', '-l', '-i', '-E'], mawk: ['-f'], nawk: ['-f'],
  sed: ['-i', '-f'],
  perl: ['-e', '-E', '-i'], ruby: ['-e', '-i'], python: ['-c'], python3: ['-c'], php: ['-r'],
}; // prettier-ignore

/** Commands whose arguments (other than options) are files they write. */
const WRITERS = new Set(['cp', 'mv', 'tee', 'touch', 'ln', 'rm', 'rmdir', 'mkdir', 'chmod', 'chown', 'chgrp', 'install', 'truncate', 'shred', 'unlink', 'patch', 'split', 'csplit']);

const FIND_ACTIONS = ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls'];

export function argumentRisk(words: string[]): ArgumentRisk {
  const name = baseName(words[0] ?? '');
  const args = words.slice(1);
  const risk = (reason: string): ArgumentRisk => ({ reason, writes: [] });
  const general = option(args, EVERYWHERE);
  if (general) return risk(`${general.split('=')[0]} can run code or write files`);
  const short = option(args, SHORT[name] ?? []);
  if (short) return risk(`${name} ${short.slice(0, 2)} can run code or write files`);
  const special = specialRisk(name, args);
  if (special) return risk(special);
  if (WRITERS.has(name)) return { writes: writeTargets(name, args) };
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
    const mode = args.find((a) => !a.startsWith('--'))?.replace(/^-/, '') ?? '';
    const writes = /^[a-zA-Z]+$/.test(mode) && /[xcruA]/.test(mode);
    return writes || option(args, ['--extract', '--create', '--append', '--update', '--get']) ? 'tar that extracts or creates files' : undefined;
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
  if (GIT_RUNNERS.has(name)) return `git ${name} runs other programs`;
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
  if (args.some((a) => /^-[a-zA-Z]*i/.test(a) || a.startsWith('--in-place'))) return 'sed -i edits files in place';
  const scripts: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-e' || args[i] === '--expression') scripts.push(args[++i] ?? '');
    else if (args[i].startsWith('--expression=')) scripts.push(args[i].slice(13));
  }
  if (scripts.length === 0) {
    const first = args.find((a) => !a.startsWith('-'));
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

function awkRisk(args: string[]): string | undefined {
  const program = args.find((a) => !a.startsWith('-')) ?? '';
  if (/system|getline|[|>]|@load|@include/.test(program)) return 'an awk program that can run commands or write files';
  return undefined;
}

function writeTargets(name: string, args: string[]): string[] {
  const paths = args.filter((a) => !a.startsWith('-') || a === '-');
  // cp/mv/install/ln write only their last argument (or the -t folder); the others write every path they get.
  const t = args.findIndex((a) => a === '-t' || a === '--target-directory');
  if (t >= 0) return [args[t + 1] ?? ''];
  const attached = args.find((a) => a.startsWith('--target-directory=') || /^-t./.test(a));
  if (attached) return [attached.startsWith('--') ? attached.slice(attached.indexOf('=') + 1) : attached.slice(2)];
  if (['cp', 'install', 'ln'].includes(name)) return paths.slice(-1);
  if (name === 'mv') return paths; // moving a file away also changes the place it came from
  return paths.filter((p) => p !== '-');
}
