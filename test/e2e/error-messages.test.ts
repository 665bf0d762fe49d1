// Errors that say what happened: a web page where the API should be, a request the server finds too large, a
// piped prompt bigger than the context window. One line each, no retries, never raw HTML on the terminal.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { error, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

const PAGE = '<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head><body><h1>Welcome</h1><script>x()</script></body></html>\n';
const TOO_LARGE = '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

describe('error messages', () => {
  it('HTTP 200 with an HTML page: says so, names the URL, no retries, no HTML', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(error(200, PAGE, { 'Content-Type': 'text/html; charset=utf-8' }));
    const r = await runGlm(sb, ['-p', 'hi', '--output-format', 'json']);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toBe('');
    const result = JSON.parse(String(r.stdout));
    expect(result.result).toBe(`Z.ai (${fake.url}): the endpoint answered with an HTML page, not an API response — check the base URL`);
    expect(fake.requests).toHaveLength(1);
  });

  it('HTTP 413 from a proxy: the request is too large (N bytes), not a full context window, no HTML', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(error(413, TOO_LARGE, { 'Content-Type': 'text/html' }));
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(1);
    const bytes = Buffer.byteLength(fake.calls[0]!.raw).toLocaleString('en-US');
    expect(String(r.stderr).split('\n')).toEqual([`glm: Z.ai (${fake.url}): the request is too large for the server (${bytes} bytes)`]);
    expect(String(r.stderr)).not.toMatch(/<|no longer fits/);
    expect(fake.requests).toHaveLength(1);
  });

  it('an error page on a retried status shows its title, not its HTML', async () => {
    const sb = await makeSandbox({}, fake.url);
    const page = '<html><head><title>502 Bad Gateway</title></head><body>…</body></html>';
    fake.reply(...Array.from({ length: 4 }, () => error(502, page, { 'Content-Type': 'text/html', 'retry-after-ms': '1' })));
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toContain('Z.ai returned HTTP 502: an HTML page ("502 Bad Gateway")');
    expect(String(r.stderr)).not.toContain('<');
  });

  it('a piped prompt larger than the context window is refused with its size before anything is sent', async () => {
    const sb = await makeSandbox({}, fake.url);
    await mkdir(path.join(sb.home, '.config/glm-code'), { recursive: true });
    await writeFile(path.join(sb.home, '.config/glm-code/settings.json'), JSON.stringify({ contextWindow: 4096 }));
    const r = await runGlm(sb, ['-p', 'summarise this log'], { input: 'x'.repeat(40_000) });
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/^glm: the prompt is 40,020 bytes \(about 10,005 tokens\), more than glm-[\d.]+'s context window of 4,096 tokens; send a part of it/);
    expect(fake.requests).toHaveLength(0);
  });
});
