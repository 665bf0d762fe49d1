// The filtering proxy behind sandbox.network.allowedDomains: an HTTP proxy (CONNECT for https, absolute URLs for
// http) listening on a unix socket that is the sandbox's only way out. Hosts not listed get 403 and one line saying
// why; a listed name that resolves to this machine is refused too (no way round the sandbox to local servers).
// Imports node built-ins only.
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import net from 'node:net';

/** `github.com` matches itself; `*.npmjs.org` matches its subdomains (and npmjs.org itself). */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return allowed.some((d) => (d.startsWith('*.') ? h === d.slice(2) || h.endsWith(d.slice(1)) : h === d));
}

const LOCAL = /^(127\.|0\.|10\.0\.2\.2$|::1$|::$|::ffff:127\.|169\.254\.|fe80:)/i;

/** The address to connect to, or why not. */
async function resolveAllowed(host: string, allowed: readonly string[]): Promise<{ address: string } | { refused: string }> {
  if (!hostAllowed(host, allowed)) return { refused: `glm sandbox: ${host} is not in sandbox.network.allowedDomains` };
  try {
    const { address } = await lookup(host);
    // Only a list that names this machine itself ("localhost", "127.0.0.1") reaches it.
    const named = allowed.includes(host.toLowerCase()) && (host.toLowerCase() === 'localhost' || net.isIP(host) !== 0);
    if (LOCAL.test(address) && !named) return { refused: `glm sandbox: ${host} resolves to this machine (${address})` };
    return { address };
  } catch {
    return { refused: `glm sandbox: ${host} could not be resolved` };
  }
}

function refuse(socket: net.Socket, why: string): void {
  socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(why) + 1}\r\n\r\n${why}\n`);
}

export interface FilteringProxy {
  close(): Promise<void>;
}

/** Starts the proxy on `socketPath`; resolves once it listens. */
export async function startProxy(socketPath: string, allowed: readonly string[]): Promise<FilteringProxy> {
  const server = http.createServer((req, res) => void forward(req, res, allowed));
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => void tunnel(req, socket, head, allowed));
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  server.unref();
  return { close: () => new Promise((r) => server.close(() => r())) };
}

async function tunnel(req: http.IncomingMessage, socket: net.Socket, head: Buffer, allowed: readonly string[]): Promise<void> {
  socket.on('error', () => socket.destroy());
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(req.url ?? '');
  if (!m) return refuse(socket, 'glm sandbox: CONNECT needs host:port');
  const target = await resolveAllowed(m[1]!, allowed);
  if ('refused' in target) return refuse(socket, target.refused);
  const upstream = net.connect(Number(m[2]), target.address, () => {
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on('error', () => (socket.writable ? refuse(socket, `glm sandbox: could not connect to ${m[1]}`) : socket.destroy()));
  socket.on('close', () => upstream.destroy());
}

async function forward(req: http.IncomingMessage, res: http.ServerResponse, allowed: readonly string[]): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '');
  } catch {
    res.writeHead(400).end('glm sandbox: the proxy needs absolute URLs\n');
    return;
  }
  if (url.protocol !== 'http:') return void res.writeHead(400).end('glm sandbox: only http:// URLs go through without CONNECT\n');
  const target = await resolveAllowed(url.hostname, allowed);
  if ('refused' in target) return void res.writeHead(403, { 'content-type': 'text/plain' }).end(`${target.refused}\n`);
  const upstream = http.request(
    { host: target.address, port: url.port || 80, path: url.pathname + url.search, method: req.method, headers: { ...req.headers, host: url.host }, setHost: false },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end(`glm sandbox: could not connect to ${url.hostname}\n`)));
  req.pipe(upstream);
}
