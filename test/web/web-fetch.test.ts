// WebFetch against real local HTTP servers: HTML → Markdown, same-host redirects, other-host redirects
// reported, huge pages cut, timeouts, private addresses refused, the 15-minute cache, and no credentials sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { decide } from '../../src/permissions.ts';
import { guardedLookup, isPrivateAddress } from '../../tools/web-address.ts';
import { clearWebFetchCache, webFetchTool } from '../../tools/web-fetch.ts';
import { fetchUrl, normalizeUrl } from '../../tools/web-fetch-http.ts';
import { makeCtx } from '../tools/helpers.ts';

const PAGE = `<!doctype html><html><head><title>Widget docs</title><script>var secret = 1;</script></head><body>
<nav><a href="/">Home</a> <a href="/pricing">Pricing</a></nav>
<article><h1>Installing widgets</h1><p>Run <code>npm install widget</code> first. ${'Widgets are configured in widget.json, which lists every option the widget reads. '.repeat(8)}</p>
<h2>Options</h2><ul><li><strong>size</strong>: small or large</li><li><strong>colour</strong>: any CSS colour</li></ul>
<pre><code>widget --size large</code></pre></article><footer>Copyright 2026</footer></body></html>`;

let server: http.Server;
let base: string;
const seen: http.IncomingHttpHeaders[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(req.headers);
    const port = (server.address() as AddressInfo).port;
    switch (req.url) {
      case '/docs': return void res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE);
      case '/old': return void res.writeHead(301, { Location: '/docs' }).end();
      case '/away': return void res.writeHead(302, { Location: `http://localhost:${port}/docs` }).end();
      case '/data.json': return void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"a": [1, 2]}');
      case '/huge': {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        const chunk = 'x'.repeat(1024 * 1024);
        for (let i = 0; i < 8; i++) res.write(chunk);
        return void res.end();
      }
      case '/slow': return void setTimeout(() => res.writeHead(200).end('late'), 5000);
      case '/bin': return void res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(Buffer.from([0, 1, 2]));
      default: return void res.writeHead(404).end('nope');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  clearWebFetchCache();
  seen.length = 0;
});

const local = () => makeCtx(process.cwd(), { allowPrivateNetwork: true, env: { GLM_API_KEY: 'sk-secret-key' } });
const run = (url: string, ctx = local()) => webFetchTool.execute({ url, prompt: 'how do I install it?' }, ctx);

describe('WebFetch', () => {
  test('an HTML page becomes Markdown of its main content, without navigation or scripts', async () => {
    const r = await run(`${base}/docs`);
    expect(r.isError).toBeFalsy();
    expect(r.output).toContain(`Source: ${base}/docs`);
    expect(r.output).toContain('Title: Widget docs');
    expect(r.output).toMatch(/^#+ Options$/m);
    expect(r.output).toContain('`npm install widget`');
    expect(r.output).toMatch(/^-\s+\*\*size\*\*: small or large$/m);
    expect(r.output).toContain('```\nwidget --size large\n```');
    expect(r.output).not.toContain('var secret');
    expect(r.output).not.toContain('Pricing');
  });

  test('JSON comes back as it is', async () => {
    expect((await run(`${base}/data.json`)).output).toContain('{"a": [1, 2]}');
  });

  test('a redirect on the same host is followed; one to another host is reported, not followed', async () => {
    expect((await run(`${base}/old`)).output).toContain('Installing widgets');
    const away = await run(`${base}/away`);
    expect(away.output).toMatch(/redirects \(HTTP 302\) to another host: http:\/\/localhost:\d+\/docs/);
    expect(away.output).toContain('call WebFetch again with that URL');
    expect(seen).toHaveLength(3);
  });

  test('a huge page is cut at the byte cap and says so', async () => {
    const r = await run(`${base}/huge`);
    expect(r.output).toMatch(/The page was longer than 5242880 bytes/);
  });

  test('a server that does not answer in time is one line for the model', async () => {
    await expect(fetchUrl(`${base}/slow`, { allowPrivate: true, signal: new AbortController().signal, timeoutMs: 300 })).rejects.toThrow(/did not answer within 0 s|did not answer within/);
  });

  test('binary data and HTTP errors are refused with one line', async () => {
    expect((await run(`${base}/bin`)).output).toMatch(/application\/octet-stream, not a page/);
    expect(await run(`${base}/missing`)).toMatchObject({ isError: true, output: expect.stringContaining('HTTP 404') });
  });

  test('private and loopback addresses are refused unless the user allowed them', async () => {
    const r = await run(`${base}/docs`, makeCtx(process.cwd()));
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/127.0.0.1 is a private or local address; .*"webFetch": \{"allowPrivateNetwork": true\}/);
    expect(seen).toHaveLength(0);
    for (const ip of ['127.0.0.1', '10.1.2.3', '192.168.0.1', '169.254.169.254', '::1', 'fe80::1', '::ffff:127.0.0.1', '100.64.0.1']) expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700::1111']) expect(isPrivateAddress(ip), ip).toBe(false);
    // A name that resolves to a private address is caught at connect time too.
    const err = await new Promise((resolve) => guardedLookup(false)('localhost', {}, (e) => resolve(e)));
    expect(String(err)).toMatch(/resolves to the private address/);
  });

  test('http:// is upgraded to https:// for public hosts', () => {
    expect(normalizeUrl('http://example.com/a', false).href).toBe('https://example.com/a');
    expect(normalizeUrl('http://127.0.0.1:8080/a', true).href).toBe('http://127.0.0.1:8080/a');
    expect(() => normalizeUrl('file:///etc/passwd', true)).toThrow(/only http and https/);
  });

  test('results are cached per URL for 15 minutes', async () => {
    await run(`${base}/docs`);
    const again = await run(`${base}/docs`);
    expect(again.display?.summary).toContain('(cached)');
    expect(seen).toHaveLength(1);
  });

  test('sends no API key or credentials', async () => {
    await run(`${base}/docs`);
    const headers = JSON.stringify(seen[0]);
    expect(seen[0].authorization).toBeUndefined();
    expect(seen[0].cookie).toBeUndefined();
    expect(headers).not.toContain('sk-secret-key');
  });

  test('permission: asks by default; WebFetch(domain:…) allows that domain and its subdomains', () => {
    const base = { toolName: 'WebFetch', kind: 'web' as const, mode: 'default' as const, deny: [], ask: [], projectRoot: '/p', cwd: '/p' };
    expect(decide({ ...base, allow: [], target: 'https://docs.example.com/x' }).action).toBe('ask');
    expect(decide({ ...base, allow: ['WebFetch(domain:example.com)'], target: 'https://docs.example.com/x' }).action).toBe('allow');
    expect(decide({ ...base, allow: ['WebFetch(domain:example.com)'], target: 'https://example.org/x' }).action).toBe('ask');
    expect(decide({ ...base, mode: 'plan', allow: [], target: 'https://example.org/x' }).action).toBe('ask');
  });
});
