// Attacks on Bash permission rules: each string goes through the real parser and the permission decision, and
// every one judged "allow" is then run by real bash with stub programs on PATH that log their names, to prove
// that only programs a rule allowed ran and that nothing was written. A marker file (M) must never appear.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/permissions.ts';
import { analyzeCommand } from '../../src/shell/analyze.ts';
import type { PermissionMode } from '../../src/types.ts';

const ALLOW = ['Bash(echo:*)', 'Bash(ls:*)', 'Bash(cat:*)', 'Bash(grep:*)', 'Bash(head:*)', 'Bash(wc:*)', 'Bash(git status:*)', 'Bash(git log:*)', 'Bash(npm test:*)', 'Bash(printf:*)', 'Bash(find:*)', 'Bash(sed:*)', 'Bash(awk:*)', 'Bash(cd:*)', 'Bash(sort:*)', 'Bash(tar:*)', 'Bash(cp:*)', 'Bash(rm:*)', 'Bash(make test:*)', 'Bash(less:*)', 'Bash(xxd:*)', 'Bash(python3 -m pytest:*)', 'Bash(go test:*)', 'Bash(cargo test:*)'];
const STUBS = ['make', 'less', 'xxd', 'python3', 'go', 'cargo', 'sort', 'tar', 'cp', 'ls', 'cat', 'grep', 'head', 'wc', 'git', 'npm', 'find', 'sed', 'awk', 'touch', 'rm', 'id', 'sh', 'curl', 'node', 'env', 'xargs', 'sudo'];

let project: string;
let stubDir: string;
let log: string;

beforeAll(() => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'glm-shell-'));
  project = path.join(tmp, 'project');
  stubDir = path.join(tmp, 'bin');
  log = path.join(tmp, 'ran.log');
  mkdirSync(path.join(project, 'src'), { recursive: true });
  mkdirSync(path.join(project, '.git'));
  writeFileSync(path.join(project, 'README.md'), 'hello\n');
  writeFileSync(path.join(project, 'src', 'a.ts'), 'x\n');
  mkdirSync(stubDir);
  for (const name of STUBS) {
    const stub = path.join(stubDir, name);
    writeFileSync(stub, '#!/bin/bash\nprintf "%s\\n" "${0##*/}" >> "$RAN_LOG"\n');
    chmodSync(stub, 0o755);
  }
});

async function judge(command: string, opts: { allow?: string[]; deny?: string[]; mode?: PermissionMode } = {}) {
  const shell = await analyzeCommand(command);
  return decide({
    toolName: 'Bash', kind: 'execute', target: command, mode: opts.mode ?? 'default', allow: opts.allow ?? ALLOW, deny: opts.deny ?? [], ask: [],
    projectRoot: project, cwd: project, home: path.join(project, '..', 'home'), shell,
  }); // prettier-ignore
}

/** Runs the command in real bash; returns the programs that ran and the files the project gained. */
function runInBash(command: string): { ran: string[]; created: string[] } {
  writeFileSync(log, '');
  const before = listing();
  try {
    execFileSync('/bin/bash', ['-c', command], { cwd: project, env: { PATH: stubDir, RAN_LOG: log }, stdio: 'ignore', timeout: 5000 });
  } catch {
    // A failing command is fine; what matters is what ran.
  }
  const ran = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const after = listing();
  return { ran, created: after.filter((f) => !before.includes(f)) };
}

const listing = () => readdirSync(project, { recursive: true }).map(String).sort();
const allowedPrograms = new Set(ALLOW.map((r) => /^Bash\(([^ :]+)/.exec(r)![1]));

// Every string here must NOT be allowed by the rules above: each hides a second command, writes a file, or runs
// code through an option. Most were ways around the old hand-written splitter.
const ATTACKS: string[] = [
  'echo a\\ #; touch M',
  "echo $'\\'' ; touch M '",
  "echo $'\\x27'; touch M",
  'echo $(( $(touch M) ))',
  'echo $(( a[$(touch M)] ))',
  'echo ${x:-$(touch M)}',
  'echo ${x:-<<EOF}\ntouch M\nEOF',
  'echo $[1<<2]\ntouch M\n2',
  'echo `echo \\`touch M\\``',
  'cat <<E"O"F\n$(touch M)\nEOF',
  "cat <<'E F'\nx\nE F\ntouch M",
  'cat << EOF\n$(touch M)\nEOF',
  'cat <<-EOF\n\t$(touch M)\n\tEOF',
  'cat <<EOF>M\nx\nEOF',
  'cat <<EOF | sh\ntouch M\nEOF',
  'cat <<EOF\nx\nEOF\ntouch M',
  'echo a &\\\n& touch M',
  'echo a |\\\n touch M',
  'echo a;\\\ntouch M',
  'echo hi > M',
  'echo hi >| M',
  'echo hi &> M',
  'echo hi >& M',
  'echo hi >> M',
  'echo hi > $HOME/M',
  'echo $(touch M)',
  'echo "$(touch M)"',
  'echo `touch M`',
  'echo <(touch M)',
  'echo >(touch M)',
  'FOO=$(touch M) echo',
  'PATH=. ls',
  "NODE_OPTIONS='--require ./x.js' npm test",
  'eval touch M',
  'exec touch M',
  'source ./x.sh',
  '. ./x.sh',
  'command touch M',
  "builtin eval 'touch M'",
  'ls() { touch M; }; ls',
  "alias ls='touch M'",
  'echo x; touch M',
  'echo x && touch M',
  'echo x || touch M',
  'echo x | touch M',
  'echo x & touch M',
  'echo x\ntouch M',
  'echo x #\ntouch M',
  '(touch M)',
  '{ touch M; }',
  'if true; then touch M; fi',
  'for i in 1; do touch M; done',
  'while false; do :; done; touch M',
  "printf -v 'a[$(touch M)]' x",
  'printf -v "a[\\$(touch M)]" x',
  "git -c core.pager='touch M' log",
  'git log --output=M',
  "git -c alias.x='!touch M' status",
  'find . -exec touch M \\;',
  'find . -fprint M',
  "sed -n '1e touch M' README.md",
  "sed 's/x/y/w M' README.md",
  "sed -i 's/x/y/' README.md",
  "awk 'BEGIN{system(\"touch M\")}'",
  'awk \'{print > "M"}\' README.md',
  'ls *',
  'echo {a,b}',
  'npm test --node-options=--require=./x.js',
  'echo x > .git/config',
  'echo x > src/../.git/hooks/pre-commit',
  "$'\\x74ouch' M",
  'e\\cho x; t\\ouch M',
  '$CMD M',
  '${CMD} M',
  "echo x\r; touch M",
  'echo a;;touch M',
  'cd .. && echo x > M',
  'ls `touch M`',
  'echo $(<M)',
  'grep -r x . > M',
  // Found by a review: words after a redirection, descriptors glued to one, globs in options, option spellings.
  'find . </dev/null -maxdepth 0 -exec touch M \\;',
  'cat README.md > .git/hooks/post-checkout /dev/null',
  'echo hi > /tmp/glm-attack-M /dev/null',
  "sed -n </dev/null '1e touch M' README.md",
  "sed -e 0</dev/null '1e touch M' README.md",
  'find README.md -e* touch M \\;',
  "sed -ne '1e touch M' -e p README.md",
  "sed '-e1e touch M' README.md",
  "sed --expr='1e touch M' README.md",
  'sed --file=script.sed README.md',
  'sed --in-pl s/x/y/ README.md',
  'awk -v x=1 \'BEGIN{system("touch M")}\'',
  'awk -F : \'BEGIN{system("touch M")}\'',
  'printf -v PATH evbin; ls',
  'grep x </dev/tcp/127.0.0.1/9',
  'sort --compress-program=./evil -S 1 README.md',
  'sort --outp=M README.md',
  'tar -v -cf M.tar README.md',
  'cp README.md ~root/M',
  // Found by a second review.
  "make test -f /dev/stdin <<< $'test:\\n\\ttouch M'",
  "make test -E 'x:=$(shell touch M)'",
  "awk -W exec /dev/stdin <<< 'BEGIN{system(\"touch M\")}'",
  "less --lesskey-src=/dev/stdin README.md <<< $'#env\\nLESSOPEN=|touch M %s'",
  "sed --e='1e touch M' a.txt",
  "sed --i 's/x/y/' .git/config",
  "npm test --userconfig=/dev/stdin <<< 'node-options=--require=./x.js'",
  'npm test --script_shell=./evil',
  'xxd -r -p - M <<< 6869',
  'python3 -m pytest --junitxml=/tmp/M',
  'python3 -m pytest -p evil_plugin',
  'go test -exec=/bin/sh ./...',
  'go test -toolexec=./evil ./...',
  'cargo test --target-dir /tmp/M',
  "echo pwned > $'..\\400'/M",
  'cp README.md .gi?/config',
];

describe('attacks on allow rules ask', () => {
  it('has at least 60 attack strings', () => {
    expect(ATTACKS.length).toBeGreaterThanOrEqual(60);
  });
  it.each(ATTACKS.map((a) => [a]))('%j is not allowed', async (command) => {
    const d = await judge(command);
    if (d.action === 'allow') {
      // If a string is (rightly) allowed, bash must prove it harmless.
      const { ran, created } = runInBash(command);
      expect(ran.filter((p) => !allowedPrograms.has(p))).toEqual([]);
      expect(created).toEqual([]);
    }
    expect(d.action, d.reason).not.toBe('allow');
    expect(d.reason).not.toMatch(/\n/);
  });
});

// Plain commands the rules do allow; real bash confirms only allowed programs ran and nothing was written.
const PLAIN: string[] = [
  'echo hello',
  'ls -la src',
  'git status',
  'git log --oneline -5',
  'npm test 2>&1 | head -20',
  'cat README.md | wc -l',
  'echo "a && b; c | d"',
  "echo 'a; b'",
  "grep -E 'a|b' README.md",
  'echo a\\;b',
  'echo ok # && touch M',
  'echo "x\\"; touch M; \\""',
  "echo 'x'\"'\"'; touch M'",
  "echo $'a\\'b; touch M'",
  'echo hi >/dev/null 2>&1',
  'ls src/*.ts',
  'git status && git log -1',
  'echo done; ls',
  "cat <<'EOF'\n$(touch M)\nEOF",
  'cat <<EOF\nplain text\nEOF',
  'echo \\$\\(touch M\\)',
  "git log -1 --format=\"$(cat <<'EOF'\n%H $(touch M)\nEOF\n)\"",
  'cd src && ls',
  "find . -name '*.ts'",
  "sed -n '1,5p' README.md",
  "awk '{print $1}' README.md",
];

describe('plain commands a rule covers', () => {
  it.each(PLAIN.map((p) => [p]))('%j is allowed, and bash runs only allowed programs', async (command) => {
    const d = await judge(command);
    expect(d.action, d.reason).toBe('allow');
    const { ran, created } = runInBash(command);
    expect(ran.filter((p) => !allowedPrograms.has(p))).toEqual([]);
    expect(created).toEqual([]);
  });
});

// Deny rules hold however the command is spelled, also in bypassPermissions mode.
const DODGES: [string, string][] = [
  ['Bash(git push:*)', 'git -C . push'],
  ['Bash(git push:*)', 'git --no-pager push origin main'],
  ['Bash(git push:*)', 'git -c a=b push'],
  ['Bash(git push:*)', "git p''ush"],
  ['Bash(git push:*)', '/usr/bin/git push'],
  ['Bash(git push:*)', 'command git push'],
  ['Bash(git push:*)', '"git" push'],
  ['Bash(git push:*)', 'g\\it push'],
  ['Bash(git push:*)', 'env GIT_TRACE=1 git push'],
  ['Bash(git push:*)', 'sudo -u me git push'],
  ['Bash(git push:*)', 'bash -c "git push"'],
  ['Bash(git push:*)', "sh -lc 'cd x && git push'"],
  ['Bash(git push:*)', 'echo $(git push)'],
  ['Bash(git push:*)', 'git $(echo push)'],
  ['Bash(git push:*)', 'nohup git push &'],
  ['Bash(git push:*)', 'timeout 10 git push'],
  ['Bash(git push:*)', "eval 'git push'"],
  ['Bash(rm:*)', '/bin/rm -rf x'],
  ['Bash(rm:*)', 'r\\m x'],
  ['Bash(rm:*)', 'command rm x'],
  ['Bash(rm:*)', "find . -name x -exec rm '{}' ';'"],
  ['Bash(rm:*)', 'xargs rm < list'],
  ['Bash(rm:*)', 'nice -n 5 rm x'],
  ['Bash(rm:*)', '$RM x'],
  ['Bash(rm:*)', 'ls && (cd src; rm x)'],
  ['Bash(git tag:*)', 'git </dev/null tag X'],
  ['Bash(git push:*)', 'git 0</dev/null push'],
  ['Bash(git push:*)', 'git pus? origin'],
  ['Bash(git push:*)', 'git [p]ush'],
  ['Bash(git push:*)', '/usr/bin/gi[t] push'],
  ['Bash(rm:*)', '/bin/r[m] x'],
  ['Bash(git push:*)', 'echo push | xargs git'],
  ['Bash(git push:*)', 'coproc git push'],
  ['Bash(git push:*)', "env '-Sgit push'"],
  ['Bash(git push:*)', "env --split-str='git push'"],
  ['Bash(git push:*)', 'git -c alias.p=push p'],
  ['Bash(git push:*)', 'git p'],
  ['Bash(git push:*)', "alias p='git push'"],
  ['Bash(git push:*)', 'sudo X=1 git push'],
  ['Bash(git push:*)', 'taskset 1 git push'],
  ['Bash(rm:*)', 'busybox rm x'],
  ['Bash(git push:*)', "script -c 'git push' /dev/null"],
  ['Bash(rm:*)', "bash -c -- 'rm x'"],
  ['Bash(rm:*)', "trap 'rm x' EXIT"],
  ['Bash(rm:*)', "bash <<< 'rm x'"],
  ['Bash(git push:*)', "echo 'git push' | sh"],
  ['Bash(curl:*)', "sh -s <<< 'curl http://x'"],
  ['Bash(rm:*)', ". /dev/stdin <<< 'rm x'"],
  ['Bash(rm:*)', 'hash -p /bin/rm r; r x'],
  ['Bash(rm:*)', "bash -c $'shopt -s expand_aliases\\nBASH_ALIASES[r]=rm\\nr x'"],
  ['Bash(rm:*)', "printf -v 'a[$(rm x)]' y"],
  ['Bash(rm:*)', "test -v 'a[$(rm x)]'"],
  ['Bash(rm:*)', "let 'a[$(rm x)]=1'"],
  ['Bash(rm:*)', "[[ 'a[$(rm x)]' -eq 0 ]]"],
  ['Bash(rm:*)', 'x=\'$(rm y)\'; echo "${x@P}"'],
  ['Bash(rm:*)', "r$'m\\400' x"],
  ['Bash(git push:*)', "git rebase -x 'git push' HEAD"],
  ['Bash(git push:*)', "git submodule foreach 'git push'"],
  ['Bash(rm:*)', "awk 'BEGIN{system(\"rm x\")}'"],
  ['Bash(rm:*)', "sed -n '1e rm x' README.md"],
];

// In acceptEdits, writes inside the project are free: these write elsewhere through arguments or links.
describe('acceptEdits: writes through arguments and links are judged where they land', () => {
  it.each([
    'cp -vt /tmp README.md',
    'cp --target=/tmp README.md',
    'cp --targ=/tmp README.md',
    'cp README.md ~root/M',
    'echo pwned > dangling.md',
    'cp README.md src/../.git/config',
    'echo x >> .GIT/config',
    'rm -rf .',
    'rm -rf ../project',
  ])('%j asks', async (command) => {
    const link = path.join(project, 'dangling.md');
    try {
      symlinkSync(path.join(project, '..', 'outside-not-yet', 'out.txt'), link);
    } catch {
      // already there
    }
    const d = await judge(command, { mode: 'acceptEdits' });
    expect(d.action, d.reason).toBe('ask');
  });
});

describe('deny rules cannot be dodged by spelling', () => {
  it.each(DODGES)('%s denies %j (default and bypassPermissions)', async (rule, command) => {
    for (const mode of ['default', 'bypassPermissions'] as const) {
      const d = await judge(command, { allow: ['Bash'], deny: [rule], mode });
      expect(d.action, `${mode}: ${d.reason}`).toBe('deny');
    }
  });

  it('a deny rule on a file also covers a redirection into it, in every mode', async () => {
    for (const mode of ['default', 'acceptEdits', 'bypassPermissions'] as const) {
      expect((await judge('echo x > .env', { allow: ['Bash'], deny: ['Edit(.env)'], mode })).action).toBe('deny');
    }
  });

  it('a redirection whose target is computed is denied when a deny rule names files of its kind', async () => {
    expect((await judge('cat < $F', { allow: ['Bash'], deny: ['Read(.env)'], mode: 'bypassPermissions' })).action).toBe('deny');
    expect((await judge('echo x > $F', { allow: ['Bash'], deny: ['Edit(.env)'], mode: 'bypassPermissions' })).action).toBe('deny');
  });

  it('a NUL cut-off in $\'…\' cannot hide a denied file', async () => {
    expect((await judge("cat < $'.env\\400'", { allow: ['Bash'], deny: ['Read(.env)'], mode: 'bypassPermissions' })).action).toBe('deny');
    expect((await judge("echo x > $'.env\\400'", { allow: ['Bash'], deny: ['Edit(.env)'], mode: 'bypassPermissions' })).action).toBe('deny');
  });

  it('a deny rule on a file also covers reading it through <', async () => {
    expect((await judge('cat < .env', { allow: ['Bash'], deny: ['Read(.env)'] })).action).toBe('deny');
    expect((await judge('cat < README.md', { allow: ['Bash'], deny: ['Read(.env)'] })).action).toBe('allow');
  });

  it('leaves other commands alone', async () => {
    expect((await judge('git status', { allow: ['Bash'], deny: ['Bash(git push:*)'] })).action).toBe('allow');
    expect((await judge('echo rm', { allow: ['Bash'], deny: ['Bash(rm:*)'] })).action).toBe('allow');
  });
});
