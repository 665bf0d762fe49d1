// Real MCP servers for tests: server-everything and server-filesystem as child processes (stdio, or
// server-everything's streamable HTTP mode on a free local port), tiny misbehaving servers, and a check that no
// process whose command line holds a marker is left running.
import { execa, type ResultPromise } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const modules = path.resolve(import.meta.dirname, '../../node_modules/@modelcontextprotocol');
export const EVERYTHING = path.join(modules, 'server-everything/dist/index.js');
export const FILESYSTEM = path.join(modules, 'server-filesystem/dist/index.js');
/** The project's Node (24): the servers need a recent one. */
export const NODE = process.execPath;

/** A word to put on a server's command line (an ignored extra argument) to find its process later. */
export const marker = () => `glm-mcp-test-${randomBytes(6).toString('hex')}`;

/** `{command, args}` of server-everything over stdio, carrying `mark` on its command line. */
export const everythingStdio = (mark: string) => ({ command: NODE, args: [EVERYTHING, 'stdio', mark] });

/** Pids of running processes whose command line contains `mark` (not zombies). */
export async function processesWith(mark: string): Promise<number[]> {
  const { stdout } = await execa('ps', ['-eo', 'pid=,stat=,args=']);
  return stdout
    .split('\n')
    .filter((line) => line.includes(mark) && !/^\s*\d+\s+Z/.test(line) && !line.includes('ps -eo'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** Waits up to `ms` for every process carrying `mark` to be gone; returns the ones left. */
export async function orphansOf(mark: string, ms = 3000): Promise<number[]> {
  const until = Date.now() + ms;
  for (;;) {
    const left = await processesWith(mark);
    if (!left.length || Date.now() > until) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** server-everything in streamable HTTP mode on a free port; resolves once it listens. */
export async function startEverythingHttp(mark: string): Promise<{ url: string; child: ResultPromise; stop(): Promise<void> }> {
  const port = await freePort();
  const child = execa(NODE, [EVERYTHING, 'streamableHttp', mark], { env: { PORT: String(port) }, reject: false, stdout: 'ignore', stderr: 'pipe' });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server-everything did not listen within 10 s')), 10_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      if (/listening on port/.test(chunk.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    child,
    async stop() {
      child.kill('SIGTERM');
      await child;
    },
  };
}

/** Tiny servers that misbehave, as node scripts in a temp folder (their path holds the marker). */
export async function badServers(mark: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), `${mark}-`));
  const script = async (name: string, code: string) => {
    const file = path.join(dir, name);
    await writeFile(file, code);
    return { command: NODE, args: [file] };
  };
  return {
    dir,
    /** Says why on stderr and exits 1 at once. */
    exitsAtStart: await script('exits.mjs', "process.stderr.write('config missing: set DOCS_TOKEN\\n'); process.exit(1);\n"),
    /** Reads stdin and never answers; ignores stdin closing and SIGTERM (only SIGKILL ends it). */
    neverAnswers: await script('silent.mjs', "process.stdin.resume(); process.stdin.on('end', () => {}); process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);\n"),
    /** Creates `marker-file` in the working directory when started: proof that it ran. */
    leavesMarker: await script('marker.mjs', "import { writeFileSync } from 'node:fs'; writeFileSync('marker-file', 'ran'); setInterval(() => {}, 1000);\n"),
  };
}

/** test/support/generated-mcp-server.mjs: `tools` generated back-office tools, plus crash and wait_forever. */
export const GENERATED = path.resolve(import.meta.dirname, 'generated-mcp-server.mjs');
export const generatedStdio = (mark: string, tools: number) => ({ command: NODE, args: [GENERATED, '--tools', String(tools), mark] });
