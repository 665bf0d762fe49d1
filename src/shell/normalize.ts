// The command a list of words really runs, as deny and ask rules must see it: wrappers (`command`, `env`, `sudo`,
// `nohup`, `xargs` …) and their options removed, the name's folder dropped (`/usr/bin/git` is git), git's global
// options skipped (`git -C . --no-pager push` is git push), and commands handed on as strings (`bash -c '…'`,
// `eval`, `find -exec`) found. Imports nothing.

export type Word = string | undefined;
export type Inner = { kind: 'words'; words: Word[] } | { kind: 'script'; script: Word };

/** For each wrapper: options that take a value (next word, or attached as --opt=value). Other options are flags. */
const WRAPPERS: Record<string, { valued: string[]; positional?: number }> = {
  command: { valued: [] },
  builtin: { valued: [] },
  exec: { valued: ['-a'] },
  env: { valued: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'] },
  nohup: { valued: [] },
  time: { valued: [] },
  nice: { valued: ['-n', '--adjustment'] },
  timeout: { valued: ['-s', '--signal', '-k', '--kill-after'], positional: 1 },
  sudo: { valued: ['-u', '--user', '-g', '--group', '-h', '--host', '-p', '--prompt', '-C', '--close-from', '-r', '--role', '-t', '--type', '-U', '--other-user', '-D', '--chdir', '-R', '--chroot', '-T', '--command-timeout'] },
  doas: { valued: ['-u', '-C'] },
  stdbuf: { valued: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  setsid: { valued: [] },
  ionice: { valued: ['-c', '--class', '-n', '--classdata', '-p', '--pid', '-P', '--pgid', '-u', '--uid'] },
  xargs: { valued: ['-a', '--arg-file', '-d', '--delimiter', '-E', '-e', '--eof', '-I', '-i', '--replace', '-L', '-l', '--max-lines', '-n', '--max-args', '-P', '--max-procs', '-s', '--max-chars', '--process-slot-var'] },
  watch: { valued: ['-n', '--interval', '-d', '--differences', '-q', '--equexit'] },
}; // prettier-ignore

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'yash', 'fish', 'busybox']);
const GIT_VALUED = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env', '--super-prefix', '--attr-source', '--list-cmds']);
const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);

export const baseName = (w: string): string => w.slice(w.lastIndexOf('/') + 1);

/** The words of the command that really runs, wrappers removed; the name without its folder. */
export function commandWords(words: Word[]): Word[] {
  let rest = words;
  for (let guard = 0; guard < 8 && rest.length > 0; guard++) {
    const name = rest[0] === undefined ? undefined : baseName(rest[0]);
    const spec = name === undefined ? undefined : WRAPPERS[name];
    if (!spec) break;
    const after = skipOptions(rest.slice(1), spec.valued, name === 'env');
    rest = after.slice(spec.positional ?? 0);
    if (name === 'xargs' && rest.length === 0) rest = ['echo'];
  }
  if (rest.length === 0) return words.length ? [baseNameOf(words[0])] : [];
  const out = [baseNameOf(rest[0]), ...rest.slice(1)];
  return out[0] === 'git' ? ['git', ...skipOptions(out.slice(1), [...GIT_VALUED], false)] : out;
}

const baseNameOf = (w: Word): Word => (w === undefined ? undefined : baseName(w));

/** Drops leading options (and the values of `valued` ones), `--`, and for env NAME=value assignments. */
function skipOptions(words: Word[], valued: string[], assignments: boolean): Word[] {
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    if (w === undefined) break;
    if (w === '--') return words.slice(i + 1);
    if (assignments && /^[A-Za-z_]\w*=/.test(w)) {
      i++;
      continue;
    }
    if (!w.startsWith('-') || w === '-') break;
    const takesValue = valued.includes(w) || (/^-[a-zA-Z]$/.test(w.slice(0, 2)) && valued.includes(w.slice(0, 2)) && w.length === 2);
    i += takesValue ? 2 : 1;
  }
  return words.slice(i);
}

/** Commands a command hands on to run: a shell's -c string, eval's words, env -S, find's -exec. */
export function innerCommands(words: Word[]): Inner[] {
  const run = commandWords(words);
  const inner: Inner[] = [];
  if (run.length !== words.length || run[0] !== words[0]) inner.push({ kind: 'words', words: run });
  const [name, ...args] = run;
  if (name !== undefined && SHELLS.has(name)) {
    const c = args.findIndex((a) => a === undefined || /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a));
    if (c >= 0) inner.push({ kind: 'script', script: args[c] === undefined ? undefined : args[c + 1] });
  }
  if (name === 'eval') inner.push({ kind: 'script', script: joinKnown(args) });
  if (name === 'su') {
    const c = args.findIndex((a) => a === '-c' || a === '--command');
    if (c >= 0) inner.push({ kind: 'script', script: args[c + 1] });
  }
  const split = words.findIndex((w) => w === '-S' || w === '--split-string' || w?.startsWith('--split-string='));
  if (words[0] !== undefined && baseName(words[0]) === 'env' && split >= 0) {
    const w = words[split]!;
    inner.push({ kind: 'script', script: w.includes('=') ? w.slice(w.indexOf('=') + 1) : words[split + 1] });
  }
  if (name === 'find') {
    for (let i = 0; i < args.length; i++) {
      if (args[i] === undefined || !FIND_EXEC.has(args[i]!)) continue;
      const end = args.findIndex((a, j) => j > i && (a === ';' || a === '+'));
      inner.push({ kind: 'words', words: commandWords(args.slice(i + 1, end < 0 ? undefined : end)) });
    }
  }
  return inner;
}

function joinKnown(words: Word[]): Word {
  return words.every((w) => w !== undefined) ? words.join(' ') : undefined;
}
