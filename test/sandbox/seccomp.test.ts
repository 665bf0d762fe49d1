// The seccomp filter that refuses unix sockets: its program run by a small classic-BPF interpreter for both
// architectures glm ships it for, then real bwrap with a unix socket server in the project that a sandboxed command
// must not reach (unless the user's settings allow unix sockets), while TCP inside and socketpair still work.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandSandbox } from '../../src/sandbox/sandbox.ts';
import { ARCHES, unixSocketFilter } from '../../src/sandbox/seccomp.ts';

/** Runs a seccomp program (the subset it uses: ld abs, jeq, jge, ret) on one system call. */
function verdict(program: Buffer, call: { arch: number; nr: number; arg0?: number }): number {
  const data = Buffer.alloc(64);
  data.writeInt32LE(call.nr, 0);
  data.writeUInt32LE(call.arch, 4);
  data.writeUInt32LE(call.arg0 ?? 0, 16);
  let acc = 0;
  for (let pc = 0; pc * 8 < program.length; pc++) {
    const code = program.readUInt16LE(pc * 8);
    const [jt, jf, k] = [program.readUInt8(pc * 8 + 2), program.readUInt8(pc * 8 + 3), program.readUInt32LE(pc * 8 + 4)];
    if (code === 0x20) acc = data.readUInt32LE(k);
    else if (code === 0x15) pc += acc === k ? jt : jf;
    else if (code === 0x35) pc += acc >= k ? jt : jf;
    else if (code === 0x06) return k;
    else throw new Error(`unexpected instruction ${code}`);
  }
  throw new Error('fell off the end');
}

const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;
const KILL = 0x80000000;

describe('the filter program', () => {
  it.each(Object.entries(ARCHES))('on %s: socket(AF_UNIX) and io_uring_setup get EPERM, other sockets and calls run', (_name, arch) => {
    const p = unixSocketFilter(arch);
    expect(verdict(p, { arch: arch.audit, nr: arch.socket, arg0: 1 })).toBe(EPERM);
    expect(verdict(p, { arch: arch.audit, nr: arch.ioUringSetup })).toBe(EPERM);
    expect(verdict(p, { arch: arch.audit, nr: arch.socket, arg0: 2 })).toBe(ALLOW); // AF_INET
    expect(verdict(p, { arch: arch.audit, nr: arch.socket, arg0: 10 })).toBe(ALLOW); // AF_INET6
    expect(verdict(p, { arch: arch.audit, nr: 0 })).toBe(ALLOW);
    expect(verdict(p, { arch: arch.audit, nr: 1, arg0: 1 })).toBe(ALLOW); // another call with 1 as its first argument
    expect(verdict(p, { arch: 0x40000003, nr: arch.socket, arg0: 1 })).toBe(KILL); // a 32-bit binary
  });

  it('on x86_64, x32 calls (which have their own socket number) are refused whole', () => {
    const p = unixSocketFilter(ARCHES.x64!);
    expect(verdict(p, { arch: 0xc000003e, nr: 0x40000000 + 41, arg0: 1 })).toBe(EPERM);
    expect(verdict(p, { arch: 0xc000003e, nr: 0x40000000 })).toBe(EPERM);
  });

  it('uses the system call numbers of each architecture', () => {
    expect(ARCHES.x64).toMatchObject({ audit: 0xc000003e, socket: 41, ioUringSetup: 425 });
    expect(ARCHES.arm64).toMatchObject({ audit: 0xc00000b7, socket: 198, ioUringSetup: 425 });
  });
});

describe('a unix socket server in the project', () => {
  let project = '';
  let server: net.Server;
  let connections = 0;
  const socketPath = () => path.join(project, 'daemon.sock');
  beforeAll(async () => {
    project = path.join(mkdtempSync(path.join(os.tmpdir(), 'glm-seccomp-')), 'project');
    execFileSync('git', ['init', '-q', project]);
    server = net.createServer((s) => (connections++, s.end('hello\n')));
    await new Promise<void>((r) => server.listen(socketPath(), r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  async function run(allowUnixSockets: boolean, script: string): Promise<string> {
    const s = new CommandSandbox({ config: { mode: 'on', allowWrite: [], allowedDomains: [], hooks: false, allowUnixSockets }, projectRoot: project, additionalDirs: [], denyRules: () => [], configDir: '/nonexistent', env: { PATH: process.env.PATH } });
    try {
      const launch = await s.launch([process.execPath, '-e', script], project, { PATH: process.env.PATH });
      if ('refused' in launch) throw new Error(launch.refused);
      return await new Promise((resolve) => execFile(launch.argv[0]!, launch.argv.slice(1), { env: launch.env, timeout: 20_000 }, (_e, out, err) => resolve(`${out}${err}`)));
    } finally {
      await s.close();
    }
  }

  const connect = `require('net').connect(${JSON.stringify(path.join('PROJECT', 'daemon.sock'))}).on('error', (e) => console.log('unix', e.code)).on('data', (d) => (console.log('unix got', String(d).trim()), process.exit()))`;
  const others = `const n = require('net'); const srv = n.createServer((c) => c.end('tcp-ok')).listen(0, '127.0.0.1', () => n.connect(srv.address().port, '127.0.0.1').on('data', (d) => (console.log(String(d)), process.exit())));`;

  it('is out of reach of a sandboxed command; TCP inside the sandbox and child processes still work', async () => {
    const before = connections;
    const out = await run(false, `${connect.replace('PROJECT', project)}; ${others}`);
    expect(out).toContain('unix EPERM');
    expect(out).toContain('tcp-ok');
    expect(connections).toBe(before);
    // A child with an IPC channel (a socketpair), as test runners start their workers.
    const ipc = `require('child_process').spawn(process.execPath, ['-e', 'process.send("ipc-ok")'], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] }).on('message', (m) => (console.log(m), process.exit()))`;
    expect(await run(false, ipc)).toContain('ipc-ok');
  });

  it('is reachable when the user settings allow unix sockets', async () => {
    const before = connections;
    const out = await run(true, connect.replace('PROJECT', project));
    expect(out).toContain('unix got hello');
    expect(connections).toBe(before + 1);
  });
});
