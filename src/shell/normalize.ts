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
  coproc: { valued: [] },
  busybox: { valued: [] },
  flock: { valued: ['-w', '--timeout', '-E', '--conflict-exit-code'], positional: 1 },
  taskset: { valued: [], positional: 1 },
  chrt: { valued: [], positional: 1 },
  chroot: { valued: ['--userspec', '--groups'], positional: 1 },
  unshare: { valued: ['--setuid', '--setgid', '--wd', '--root', '-S', '-G', '-R', '-w'] },
  nsenter: { valued: ['-t', '--target', '-S', '-G', '--setuid', '--setgid', '-w', '-r'] },
  strace: { valued: ['-e', '-o', '-p', '-s', '-u', '-E', '-a', '-b', '-I', '-O', '-P', '-S', '-X'] },
  ltrace: { valued: ['-e', '-o', '-p', '-s', '-u', '-n', '-a', '-A', '-D', '-F', '-l'] },
  valgrind: { valued: [] },
  firejail: { valued: [] },
  proxychains: { valued: ['-f'] }, proxychains4: { valued: ['-f'] }, torsocks: { valued: ['-u', '-p', '-a', '-P'] },
  'systemd-run': { valued: ['-p', '--property', '-u', '--unit', '-E', '--setenv', '--uid', '--gid', '-M', '--machine', '--working-directory'] },
  setpriv: { valued: ['--reuid', '--regid', '--groups', '--inh-caps', '--ambient-caps', '--bounding-set', '--securebits', '--selinux-label', '--apparmor-profile'] },
  runuser: { valued: ['-u', '--user', '-g', '--group', '-G', '--supp-group'] },
}; // prettier-ignore
/** Wrappers that take NAME=value assignments before the command, as env does. */
const ASSIGNING = new Set(['env', 'sudo', 'doas']);
/** git's own subcommands; anything else may be an alias from the repository's config, so deny rules treat it as unknown. */
const GIT_COMMANDS = new Set(
  'add am annotate apply archive bisect blame branch bundle cat-file check-attr check-ignore checkout cherry cherry-pick citool clean clone commit commit-tree config count-objects describe diff diff-files diff-index diff-tree difftool fetch for-each-ref format-patch fsck gc grep gui hash-object help init instaweb log ls-files ls-remote ls-tree merge merge-base mergetool mv name-rev notes prune pull push range-diff read-tree rebase reflog remote repack replace request-pull reset restore rev-list rev-parse revert rm send-email shortlog show show-ref sparse-checkout stash status submodule switch symbolic-ref tag update-index update-ref var verify-commit verify-tag version whatchanged worktree write-tree lfs maintenance'.split(' '),
);

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
    const after = skipOptions(rest.slice(1), spec.valued, ASSIGNING.has(name!));
    rest = after.slice(spec.positional ?? 0);
    // xargs adds words read from its input: unknown, so they could be anything (`echo push | xargs git`).
    if (name === 'xargs') rest = rest.length === 0 ? ['echo', undefined] : [...rest.map((w) => (w === '{}' ? undefined : w)), undefined];
  }
  if (rest.length === 0) return words.length ? [baseNameOf(words[0])] : [];
  const out = [baseNameOf(rest[0]), ...rest.slice(1)];
  return out[0] === 'git' ? gitWords(out.slice(1)) : out;
}

/** git with its global options skipped; a subcommand that may be an alias (`-c alias.p=push p`) is unknown. */
function gitWords(args: Word[]): Word[] {
  const rest = skipOptions(args, [...GIT_VALUED], false);
  const configured = args.slice(0, args.length - rest.length).some((w) => w === '-c' || w?.startsWith('--config-env'));
  const [sub, ...more] = rest;
  const known = sub !== undefined && GIT_COMMANDS.has(sub) && !configured;
  return ['git', known ? sub : undefined, ...more];
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
  if (name !== undefined && SHELLS.has(name)) inner.push(shellScript(args));
  if (name === 'eval') inner.push({ kind: 'script', script: joinKnown(args) });
  if (name === 'trap' && args[0] !== undefined && !args[0].startsWith('-')) inner.push({ kind: 'script', script: args[0] });
  // Code from standard input, or a table that renames commands: nothing here says what runs.
  if ((name === '.' || name === 'source') && (args[0] === undefined || STDIN.has(args[0]))) inner.push({ kind: 'script', script: undefined });
  if (name === 'hash' && args.some((a) => a === undefined || a.startsWith('-p'))) inner.push({ kind: 'script', script: undefined });
  if (name === 'su') {
    const c = args.findIndex((a) => a === '-c' || a === '--command');
    if (c >= 0) inner.push({ kind: 'script', script: args[c + 1] });
  }
  if (words[0] !== undefined && baseName(words[0]) === 'env') inner.push(...envSplitStrings(words.slice(1)));
  if (name === 'alias') {
    for (const a of args) if (a?.includes('=')) inner.push({ kind: 'script', script: a.slice(a.indexOf('=') + 1) });
  }
  if (name === 'script' || name === 'flock') {
    const c = args.findIndex((a) => a === '-c' || a === '--command');
    if (c >= 0) inner.push({ kind: 'script', script: args[c + 1] });
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

const STDIN = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0', '-']);

/** What a shell runs: its -c string (after any `--`), or a script from standard input (`bash <<< …`, `| sh`, `-s`). */
function shellScript(args: Word[]): Inner {
  const c = args.findIndex((a) => a === undefined || /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a));
  if (c >= 0) {
    if (args[c] === undefined) return { kind: 'script', script: undefined };
    const rest = args.slice(c + 1);
    return { kind: 'script', script: rest[0] === '--' ? rest[1] : rest[0] };
  }
  const operand = args.find((a) => a === undefined || !a.startsWith('-') || a === '-');
  const fromStdin = operand === undefined || STDIN.has(operand) || args.some((a) => a !== undefined && /^-[a-zA-Z]*s/.test(a));
  // A script file is the user's code, not a spelling of a command: only standard input is unknown.
  return { kind: 'script', script: fromStdin ? undefined : '' };
}

/** env -S 'cmd args', also attached (`-Scmd`) or abbreviated (`--split-str=…`): a command line of its own. */
function envSplitStrings(args: Word[]): Inner[] {
  const found: Inner[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (w === undefined || !w.startsWith('-') || w === '--') break;
    if (/^-[a-zA-Z]*S/.test(w)) {
      const rest = w.slice(w.indexOf('S') + 1);
      found.push({ kind: 'script', script: rest || args[++i] });
    } else if (w.startsWith('--s') && '--split-string'.startsWith(w.split('=')[0])) {
      found.push({ kind: 'script', script: w.includes('=') ? w.slice(w.indexOf('=') + 1) : args[++i] });
    }
  }
  return found;
}

function joinKnown(words: Word[]): Word {
  return words.every((w) => w !== undefined) ? words.join(' ') : undefined;
}
