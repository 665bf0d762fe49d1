// End to end: WebFetch from `glm -p` against a local HTTP server: denied in headless runs unless a rule
// allows the domain, refused for private addresses unless the user allows them, and no API key sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
let site: http.Server;
let url: string;
const hits: http.IncomingHttpHeaders[] = [];
beforeAll(async () => {
  fake = await startFakeGlm();
  site = http.createServer((req, res) => {
    hits.push(req.headers);
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body><article><h1>Release notes</h1><p>Version 2 adds the frobnicate flag.</p></article></body></html>');
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(site.address() as AddressInfo).port}/notes`;
});
afterAll(async () => {
  site.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  hits.length = 0;
});

const lastContent = (body: { messages: { content: string }[] }) => body.messages.at(-1)?.content ?? '';

describe('WebFetch from glm -p', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox({}, fake.url);
  });

  it('is denied in a headless run without a rule, and the denial names the rule that allows it', async () => {
    fake.reply(toolCalls([{ name: 'WebFetch', arguments: { url, prompt: 'what changed?' } }]), text('I could not fetch it.'));
    const r = await runGlm(sb, ['-p', 'read the release notes'], { env: { GLM_WEBFETCH_ALLOW_PRIVATE: '1' } });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('allow it with --allowedTools "WebFetch(domain:127.0.0.1)"');
    expect(hits).toHaveLength(0);
  });

  it('with WebFetch(domain:…) allowed and private addresses allowed, the page arrives as Markdown; no API key is sent', async () => {
    fake.reply(toolCalls([{ name: 'WebFetch', arguments: { url, prompt: 'what changed?' } }]), (body) => {
      expect(lastContent(body)).toContain('# Release notes');
      expect(lastContent(body)).toContain('Version 2 adds the frobnicate flag.');
      return text('Version 2 adds --frobnicate.');
    });
    const r = await runGlm(sb, ['-p', 'read the release notes', '--allowedTools', 'WebFetch(domain:127.0.0.1)'], { env: { GLM_WEBFETCH_ALLOW_PRIVATE: '1' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Version 2 adds --frobnicate.');
    expect(hits).toHaveLength(1);
    expect(JSON.stringify(hits[0])).not.toContain('test-key-not-secret');
  });

  it('without the private-network setting, a loopback address is refused even when the domain is allowed', async () => {
    fake.reply(toolCalls([{ name: 'WebFetch', arguments: { url, prompt: 'what changed?' } }]), (body) => {
      expect(lastContent(body)).toContain('is a private or local address');
      return text('It is on a private address.');
    });
    const r = await runGlm(sb, ['-p', 'read the release notes', '--allowedTools', 'WebFetch(domain:127.0.0.1)']);
    expect(r.exitCode).toBe(0);
    expect(hits).toHaveLength(0);
  });
});
