// The command sandbox end to end: the built `glm -p` with real bubblewrap. Commands the rules allow (echo, npm test)
// try to write the home folder, outside the project and .git/config, reach a local server, read ~/.ssh and glm's own
// environment: all fail and leave nothing behind, while work inside the project runs. Leaving the sandbox asks;
// timeouts and a killed glm take the sandboxed tree with them; without bwrap, auto runs as before and on refuses.
import { execFileSync } from 'node:child_process';
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { lastContent, useFakeGlm } from '../support/use-fake-glm.ts';
import { GLM_BIN, makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

// Each test starts glm (and bwrap) a few times: slow on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

/** One Bash call with these arguments; resolves to what the model was told. */
function bashOnce(args: Record<string, unknown>): () => string {
  let told = '';
  fake.reply(toolCalls([{ name: 'Bash', arguments: args }]), (body) => {
    told = lastContent(body);
    return text('done');
  });
  return () => told;
}

/** A local server that counts the connections it gets. */
let server: net.Server;
let connections = 0;
let port = 0;
beforeAll(async () => {
  server = net.createServer((s) => (connections++, s.end('hello\n')));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function project(scripts: Record<string, string> = {}): Promise<Sandbox> {
  const sb = await makeSandbox({ 'package.json': JSON.stringify({ name: 'p', version: '1.0.0', scripts }, null, 2) }, fake.url);
  mkdirSync(path.join(sb.home, '.ssh'), { recursive: true });
  writeFileSync(path.join(sb.home, '.ssh', 'id_rsa'), 'PRIVATE-KEY-MATERIAL\n');
  writeFileSync(path.join(sb.home, '.bashrc'), '# mine\n');
  return sb;
}

const OUTSIDE = `/var/tmp/glm-sandbox-outside-${process.pid}.txt`;

const gitConfig = (sb: Sandbox) => readFileSync(path.join(sb.repo, '.git', 'config'), 'utf8');

describe('sandboxed commands under Bash(npm test:*)', () => {
  const attacks: [string, string, (sb: Sandbox) => boolean][] = [
    ['writes $HOME/.bashrc', 'echo pwned >> "$HOME/.bashrc"', (sb) => readFileSync(path.join(sb.home, '.bashrc'), 'utf8').includes('pwned')],
    // Outside the project and /tmp (which is the session's own inside: a write there reaches only that).
    ['writes outside the project', `echo pwned > ${OUTSIDE}`, () => existsSync(OUTSIDE)],
    ['writes .git/config', 'git config core.hooksPath /tmp/evil', (sb) => gitConfig(sb).includes('hooksPath') || existsSync(path.join(sb.repo, '.git', 'config.lock'))],
    ['writes a git hook', 'echo "touch /tmp/pwned" > .git/hooks/pre-commit', (sb) => existsSync(path.join(sb.repo, '.git', 'hooks', 'pre-commit'))],
  ];
  it.each(attacks)('npm test that %s fails and leaves nothing behind', async (_what, script, left) => {
    const sb = await project({ test: script });
    const told = bashOnce({ command: 'npm test' });
    const r = await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash(npm test:*)']);
    expect(r.exitCode).toBe(0);
    expect(left(sb)).toBe(false);
    expect(told()).toMatch(/Read-only file system|Device or resource busy/);
    expect(told()).toMatch(/\[sandbox\].*dangerouslyDisableSandbox/);
  });

  it('npm test that connects to a local server gets no connection through', async () => {
    const sb = await project({ test: `bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3'` });
    const before = connections;
    const told = bashOnce({ command: 'npm test' });
    await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash(npm test:*)']);
    expect(connections).toBe(before);
    expect(told()).toMatch(/Connection refused/);
    expect(told()).toContain('[sandbox]');
  });

  it('npm test that writes inside the project and reads the system works', async () => {
    const sb = await project({ test: 'head -1 /etc/os-release > out.txt && echo tmp > "$TMPDIR/t" && cat "$TMPDIR/t"' });
    const told = bashOnce({ command: 'npm test' });
    const r = await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash(npm test:*)']);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(path.join(sb.repo, 'out.txt'), 'utf8')).toMatch(/\S/);
    expect(told()).toContain('tmp');
    expect(told()).not.toContain('[sandbox]');
  });
});

describe('what a sandboxed command cannot read', () => {
  it('~/.ssh/id_rsa, even under Bash(echo:*) with $(< file)', async () => {
    const sb = await project();
    const told = bashOnce({ command: 'echo "key: $(< ~/.ssh/id_rsa)"' });
    await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash(echo:*)']);
    expect(told()).toContain('key:');
    expect(told()).not.toContain('PRIVATE-KEY-MATERIAL');
  });

  it('files a Read deny pattern matches, under Bash(cat:*)', async () => {
    const sb = await project();
    mkdirSync(path.join(sb.repo, 'config'));
    writeFileSync(path.join(sb.repo, '.env'), 'TOP-ENV-SECRET\n');
    writeFileSync(path.join(sb.repo, 'config', '.env'), 'NESTED-ENV-SECRET\n');
    const told = bashOnce({ command: 'cat .env config/.env package.json' });
    await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash(cat:*)', '--disallowedTools', 'Read(**/.env)']);
    expect(told()).toContain('"name": "p"');
    expect(told()).not.toMatch(/ENV-SECRET/);
  });

  it("glm's session data: the transcripts of earlier sessions", async () => {
    const sb = await project();
    fake.reply(text('noted'));
    await runGlm(sb, ['-p', 'my password is HUNTER2-IN-TRANSCRIPT']);
    const data = path.join(sb.home, '.local', 'share', 'glm-code');
    expect(execFileSync('grep', ['-rl', 'HUNTER2-IN-TRANSCRIPT', data], { encoding: 'utf8' })).toMatch(/\.jsonl/);
    const told = bashOnce({ command: `grep -r HUNTER2 '${data}'; ls -A '${data}' | wc -l; echo end` });
    await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash']);
    expect(told()).toMatch(/^0$/m);
    expect(told()).toContain('end');
    expect(told()).not.toContain('HUNTER2-IN-TRANSCRIPT');
  });

  it("glm's own environment (the provider key) through /proc/$PPID/environ", async () => {
    const sb = await project();
    const told = bashOnce({ command: 'tr "\\0" "\\n" < /proc/$PPID/environ; cat /proc/*/environ | tr "\\0" "\\n"; echo end' });
    await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash(tr:*)', 'Bash(cat:*)', 'Bash(echo:*)']);
    expect(told()).toContain('end');
    expect(told()).not.toContain('test-key-not-secret');
  });
});

describe('dangerouslyDisableSandbox', () => {
  it('asks, so headless denies it even under a matching allow rule', async () => {
    const sb = await project();
    const told = bashOnce({ command: 'echo out > ../outside.txt', dangerouslyDisableSandbox: true });
    const r = await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash(echo:*)', 'Write(//**)']);
    expect(told()).toMatch(/Permission denied.*outside the sandbox/);
    expect(r.stderr).toMatch(/outside the sandbox/);
    expect(existsSync(path.join(sb.repo, '..', 'outside.txt'))).toBe(false);
  });

  it('runs outside the sandbox in bypassPermissions', async () => {
    const sb = await project();
    bashOnce({ command: 'echo out > ../outside.txt', dangerouslyDisableSandbox: true });
    await runGlm(sb, ['-p', 'go', '--permission-mode', 'bypassPermissions']);
    expect(readFileSync(path.join(sb.repo, '..', 'outside.txt'), 'utf8')).toBe('out\n');
  });
});

describe('acceptEdits with the sandbox on', () => {
  it('runs a command no rule allows, inside the sandbox', async () => {
    const sb = await project();
    const told = bashOnce({ command: 'touch made.txt && touch ../outside.txt; ls' });
    await runGlm(sb, ['-p', 'go', '--permission-mode', 'acceptEdits']);
    expect(existsSync(path.join(sb.repo, 'made.txt'))).toBe(true);
    expect(existsSync(path.join(sb.repo, '..', 'outside.txt'))).toBe(false);
    expect(told()).toContain('made.txt');
  });

  it('still asks (and headless denies) with the sandbox off', async () => {
    const sb = await project();
    const told = bashOnce({ command: 'touch made.txt' });
    await runGlm(sb, ['-p', 'go', '--permission-mode', 'acceptEdits', '--sandbox', 'off']);
    expect(existsSync(path.join(sb.repo, 'made.txt'))).toBe(false);
    expect(told()).toMatch(/Permission denied/);
  });
});

/** Processes whose command line holds `marker`. */
function running(marker: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.trim().split(/\s+/)[1] === marker);
}

describe('sandboxed processes die with the Bash call', () => {
  it('on timeout, the whole tree, backgrounded children too', async () => {
    const sb = await project();
    const marker = `glm-sbx-${process.pid}-t`;
    const told = bashOnce({ command: `(exec -a ${marker} sleep 300) & exec -a ${marker} sleep 300`, timeout: 1500 });
    await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash']);
    expect(told()).toMatch(/timed out/);
    await new Promise((r) => setTimeout(r, 300));
    expect(running(marker)).toEqual([]);
  });

  it('when glm itself is killed', async () => {
    const sb = await project();
    const marker = `glm-sbx-${process.pid}-k`;
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: `(exec -a ${marker} sleep 300) & exec -a ${marker} sleep 300` } }]), () => text('done'));
    const child = runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash']);
    try {
      for (let i = 0; i < 100 && running(marker).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(running(marker).length).toBe(2);
    } finally {
      child.kill('SIGKILL');
      await child;
    }
    for (let i = 0; i < 30 && running(marker).length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(running(marker)).toEqual([]);
  });

  it('on abort (SIGINT to glm -p), the whole tree', async () => {
    const sb = await project();
    const marker = `glm-sbx-${process.pid}-a`;
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: `(exec -a ${marker} sleep 300) & exec -a ${marker} sleep 300` } }]), () => text('done'));
    const child = runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash']);
    for (let i = 0; i < 100 && running(marker).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(running(marker).length).toBe(2);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    for (let i = 0; i < 30 && running(marker).length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(running(marker)).toEqual([]);
  });

  it('a background shell is sandboxed too', async () => {
    const sb = await project();
    // The model waits for the background command before it answers: glm -p stops background shells when it ends.
    const wait = 'for i in $(seq 100); do [ -e bg-inside.txt ] && break; sleep 0.1; done';
    fake.reply(
      toolCalls([{ name: 'Bash', arguments: { command: 'touch ../bg-outside.txt; touch bg-inside.txt', run_in_background: true } }]),
      toolCalls([{ name: 'Bash', arguments: { command: wait } }]),
      () => text('done'),
    );
    await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash']);
    expect(existsSync(path.join(sb.repo, 'bg-inside.txt'))).toBe(true);
    expect(existsSync(path.join(sb.repo, '..', 'bg-outside.txt'))).toBe(false);
  });
});

describe('the bwrap probe waits for the first command', () => {
  /** A PATH whose first `bwrap` logs each start to `log`, then runs the real one. */
  function loggingBwrap(log: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'glm-logbwrap-'));
    const real = execFileSync('sh', ['-c', 'command -v bwrap'], { encoding: 'utf8' }).trim();
    writeFileSync(path.join(dir, 'bwrap'), `#!/bin/sh\necho started >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
    return `${dir}:${process.env.PATH}`;
  }

  it('glm -p hi starts no bwrap; a Bash call does', async () => {
    const sb = await project();
    const log = path.join(path.dirname(sb.repo), 'bwrap.log');
    fake.reply(text('hello'));
    const quiet = await runGlm(sb, ['-p', 'hi'], { env: { PATH: loggingBwrap(log) } });
    expect(quiet.stdout).toContain('hello');
    expect(existsSync(log)).toBe(false);
    const told = bashOnce({ command: 'echo ran' });
    await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash(echo:*)'], { env: { PATH: loggingBwrap(log) } });
    expect(told()).toContain('ran');
    expect(readFileSync(log, 'utf8')).toMatch(/started/);
  });
});

describe('without bwrap on PATH', () => {
  /** A PATH with the tools the tests use, but no bwrap. */
  function pathWithoutBwrap(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'glm-nobwrap-'));
    for (const tool of ['git', 'touch', 'ls', 'cat', 'sh', 'bash', 'env']) {
      const at = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      symlinkSync(at, path.join(dir, tool));
    }
    return dir;
  }

  it('auto runs commands as before, with one notice', async () => {
    const sb = await project();
    const told = bashOnce({ command: 'touch ../outside.txt && echo ran' });
    const r = await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash'], { env: { PATH: pathWithoutBwrap() } });
    expect(told()).toContain('ran');
    expect(existsSync(path.join(sb.repo, '..', 'outside.txt'))).toBe(true);
    expect(String(r.stderr).match(/without a sandbox: bwrap is not installed/g)).toHaveLength(1);
  });

  it('a run that starts no command says nothing about the sandbox', async () => {
    const sb = await project();
    fake.reply(text('hello'));
    const r = await runGlm(sb, ['-p', 'hi'], { env: { PATH: pathWithoutBwrap() } });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('glm doctor says why and how to install it', async () => {
    const sb = await project();
    const r = await runGlm(sb, ['doctor', '--output-format', 'json', '--timeout', '2'], { env: { PATH: pathWithoutBwrap() } });
    const check = JSON.parse(String(r.stdout)).checks.find((c: { id: string }) => c.id === 'sandbox');
    expect(check).toMatchObject({ status: 'warn', detail: expect.stringMatching(/bwrap is not installed/), fix: expect.stringMatching(/bubblewrap/) });
  });

  it('on refuses to run commands', async () => {
    const sb = await project();
    const told = bashOnce({ command: 'touch made.txt' });
    const r = await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash', '--sandbox', 'on'], { env: { PATH: pathWithoutBwrap() } });
    expect(told()).toMatch(/sandbox cannot start: bwrap is not installed.*did not run/);
    expect(existsSync(path.join(sb.repo, 'made.txt'))).toBe(false);
    expect(r.stderr).toMatch(/Commands will not run/);
  });
});

describe('sandbox.network.allowedDomains', () => {
  /** An HTTP server that answers every request with "served". */
  let web: import('node:http').Server;
  let webPort = 0;
  beforeAll(async () => {
    const http = await import('node:http');
    web = http.createServer((_req, res) => res.end('served\n'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    webPort = (web.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => web.close(() => r())));

  /** A raw HTTP request through the proxy the sandbox offers at $HTTP_PROXY (no curl needed). */
  const viaProxy = (host: string) =>
    `bash -c 'exec 3<>/dev/tcp/127.0.0.1/3128 && printf "GET http://${host}:${'$'}{1}/ HTTP/1.1\\r\\nHost: ${host}\\r\\nConnection: close\\r\\n\\r\\n" >&3 && cat <&3' _ PORT; echo "proxy=$HTTP_PROXY"`;

  it('listed hosts go through the proxy, others get a 403 naming the setting', async () => {
    const sb = await project();
    mkdirSync(path.join(sb.home, '.config', 'glm-code'), { recursive: true });
    const settings = { sandbox: { network: { allowedDomains: ['localhost'] } } };
    writeFileSync(path.join(sb.home, '.config', 'glm-code', 'settings.json'), JSON.stringify(settings));
    const command = `${viaProxy('localhost')}; ${viaProxy('127.0.0.1')}`.replaceAll('PORT', String(webPort));
    const told = bashOnce({ command });
    await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash']);
    expect(told()).toContain('proxy=http://127.0.0.1:3128');
    expect(told()).toMatch(/200 OK[\s\S]*served/);
    expect(told()).toMatch(/403 Forbidden[\s\S]*127\.0\.0\.1 is not in sandbox\.network\.allowedDomains/);
  });
});

describe('as a normal user', () => {
  // CI runs as root, where bwrap needs no user namespace: run glm as nobody to use the unprivileged path too.
  it('the sandbox works through an unprivileged user namespace', async () => {
    const sb = await project();
    const told = bashOnce({ command: 'id -u; touch inside.txt; touch ../outside.txt; cat ~/.ssh/id_rsa; echo done' });
    const asRoot = process.getuid?.() === 0;
    if (asRoot) execFileSync('chown', ['-R', '65534:65534', path.dirname(sb.repo)]);
    const user = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    const argv = [...user, process.execPath, GLM_BIN, '-p', 'go', '--allowedTools', 'Bash', '--sandbox', 'on'];
    const r = await execa(argv[0]!, argv.slice(1), { cwd: sb.repo, env: sb.env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 30_000 });
    expect(r.stderr).toBe('');
    if (asRoot) expect(told()).toMatch(/^65534$/m);
    expect(told()).toContain('done');
    expect(existsSync(path.join(sb.repo, 'inside.txt'))).toBe(true);
    expect(existsSync(path.join(sb.repo, '..', 'outside.txt'))).toBe(false);
    expect(told()).not.toContain('PRIVATE-KEY-MATERIAL');
  });
});
