// Claude Code's other hook types and sandboxed hooks end to end, with the built `glm` and the fake GLM server: http
// hooks against a local endpoint (payload, headers with allowed variables only, a 500), prompt hooks answered by the
// fake model ({ok, reason}), and sandbox.hooks with real bwrap (a hook writes in the project, not in the home folder).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { userHooks, withType } from '../support/hook-settings.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';
import { lastContent, useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

const read = (sb: Sandbox, name: string) => readFileSync(path.join(sb.repo, name), 'utf8');
const json = (stdout: unknown) => JSON.parse(String(stdout));

describe('http hooks', () => {
  type Seen = { url: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> };
  /** A local endpoint: /deny answers a PreToolUse deny, /context plain text, /broken a 500. */
  async function endpoint(): Promise<{ url: string; seen: Seen[]; close: () => void }> {
    const seen: Seen[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(body) });
        if (req.url === '/broken') return res.writeHead(500).end('database down');
        if (req.url === '/context') return res.end('Ticket ABC-9 is open.');
        const deny = { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'the policy server says no' } };
        res.setHeader('content-type', 'application/json').end(JSON.stringify(deny));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => server.close() };
  }

  it('POSTs the payload with allowed variables in its headers; its JSON denies the call; plain text is context', async () => {
    const ep = await endpoint();
    try {
      const sb = await makeSandbox({}, fake.url);
      userHooks(sb, {
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'http', url: `${ep.url}/deny`, headers: { Authorization: 'Bearer ${HOOK_TOKEN}', 'X-Other': '$OTHER_SECRET' }, allowedEnvVars: ['HOOK_TOKEN'] }] }],
        UserPromptSubmit: [{ hooks: [{ type: 'http', url: `${ep.url}/context` }] }],
      });
      fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'touch MARKER' } }]), (body) => {
        expect(lastContent(body)).toContain('the policy server says no');
        return text('Not touched.');
      });
      const r = await runGlm(sb, ['-p', 'touch it', '--allowedTools', 'Bash'], { env: { HOOK_TOKEN: 'tok-123', OTHER_SECRET: 'must-not-leave' } });
      expect(r.exitCode).toBe(0);
      expect(existsSync(path.join(sb.repo, 'MARKER'))).toBe(false);
      expect(JSON.stringify(fake.requests[0].messages)).toContain('Ticket ABC-9 is open.');
      const pre = ep.seen.find((s) => s.url === '/deny')!;
      expect(pre.body).toMatchObject({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'touch MARKER' }, cwd: sb.repo });
      expect(pre.headers.authorization).toBe('Bearer tok-123');
      expect(pre.headers['x-other']).toBe('');
      expect(pre.headers['content-type']).toBe('application/json');
      expect(JSON.stringify(ep.seen)).not.toContain('must-not-leave');
      expect(String(r.stderr)).toContain('"hooks.PreToolUse[0].hooks[0].headers.X-Other" in');
      expect(String(r.stderr)).toContain('uses $OTHER_SECRET, which allowedEnvVars does not list: it is sent empty');
    } finally {
      ep.close();
    }
  });

  it('a 500 is a non-blocking error, unless the hook is failClosed', async () => {
    const ep = await endpoint();
    try {
      const sb = await makeSandbox({}, fake.url);
      userHooks(sb, { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'http', url: `${ep.url}/broken` }] }] });
      fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'touch MARKER' } }]), text('Done.'));
      const open = await runGlm(sb, ['-p', 'touch it', '--allowedTools', 'Bash']);
      expect(String(open.stderr)).toContain('glm: PreToolUse:Bash hook: failed: HTTP 500 Internal Server Error');
      expect(existsSync(path.join(sb.repo, 'MARKER'))).toBe(true);

      userHooks(sb, { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'http', url: `${ep.url}/broken`, failClosed: true }] }] });
      fake.reset();
      fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'touch SECOND' } }]), text('Denied.'));
      const closed = await runGlm(sb, ['-p', 'touch it', '--allowedTools', 'Bash']);
      expect(closed.exitCode).toBe(0);
      expect(existsSync(path.join(sb.repo, 'SECOND'))).toBe(false);
      expect(lastContent(fake.requests[1])).toContain('failed (HTTP 500 Internal Server Error), and it is failClosed');
    } finally {
      ep.close();
    }
  });
});

describe('prompt hooks', () => {
  it('a Stop prompt hook asks the model it names with the payload; ok: false makes the model go on with the reason', async () => {
    const sb = await makeSandbox({}, fake.url);
    userHooks(sb, { Stop: [{ hooks: [{ type: 'prompt', prompt: 'Did the agent run the tests? Event: $ARGUMENTS', model: 'glm-4.5-air' }] }] });
    fake.reply(
      text('All done.'),
      text('{"ok": false, "reason": "run the tests first"}'),
      (body) => {
        expect(lastContent(body)).toContain('run the tests first');
        return text('Tests pass.');
      },
      text('```json\n{"ok": true}\n```'),
    );
    const r = await runGlm(sb, ['-p', 'finish', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(json(r.stdout).result).toBe('Tests pass.');
    expect(fake.requests).toHaveLength(4);
    const judged = fake.requests[1] as { model: string; messages: { role: string; content: string }[] };
    expect(judged.model).toBe('glm-4.5-air');
    const asked = judged.messages.at(-1)!.content;
    expect(asked).toMatch(/^Did the agent run the tests\? Event: \{/);
    expect(JSON.parse(asked.slice(asked.indexOf('{')))).toMatchObject({ hook_event_name: 'Stop', stop_hook_active: false });
    expect(fake.requests[3].messages.at(-1).content).toContain('"stop_hook_active":true');
  });

  it('glm hooks test asks the model for a prompt hook and says what glm would do with its answer', async () => {
    const sb = await makeSandbox({}, fake.url);
    userHooks(sb, { Stop: [{ hooks: [{ type: 'prompt', prompt: 'Are the tests green?' }] }] });
    fake.reply(text('{"ok": false, "reason": "tests are red"}'));
    const r = await runGlm(sb, ['hooks', 'test', 'Stop']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('prompt: Are the tests green?');
    expect(r.stdout).toContain('exit 2 (blocked)');
    expect(r.stdout).toContain('glm would: not stop: the model goes on with "tests are red".');
    expect(fake.requests[0].messages.at(-1).content).toMatch(/^Are the tests green\?\n\n\{.*"hook_event_name":"Stop"/);
  });

  it('a PreToolUse prompt hook that says ok: false denies the call; an answer that is not JSON does not block', async () => {
    const sb = await makeSandbox({}, fake.url);
    userHooks(sb, { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'prompt', prompt: 'Is this command safe?' }] }] });
    fake.reply(
      toolCalls([{ name: 'Bash', arguments: { command: 'touch MARKER' } }]),
      text('{"ok": false, "reason": "no new files today"}'),
      (body) => {
        expect(lastContent(body)).toContain('no new files today');
        return toolCalls([{ name: 'Bash', arguments: { command: 'touch OTHER' } }]);
      },
      text('I think it is fine.'),
      text('Done.'),
    );
    const r = await runGlm(sb, ['-p', 'touch it', '--allowedTools', 'Bash']);
    expect(r.exitCode).toBe(0);
    expect(existsSync(path.join(sb.repo, 'MARKER'))).toBe(false);
    expect(existsSync(path.join(sb.repo, 'OTHER'))).toBe(true);
    expect(String(r.stderr)).toContain('PreToolUse:Bash hook: denied: no new files today');
    expect(String(r.stderr)).toContain('PreToolUse:Bash hook: failed: the model did not answer {"ok": true|false, "reason": "…"}');
    expect(fake.requests[1].messages.at(-1).content).toMatch(/^Is this command safe\?\n\n\{.*"tool_input":\{"command":"touch MARKER"\}/);
  });
});

describe('sandbox.hooks', () => {
  const writer = 'cat >/dev/null; echo in > "$GLM_PROJECT_DIR/inside.txt"; echo out > "$HOME/outside.txt"; exit 0';
  const settings = (sb: Sandbox, sandbox: Record<string, unknown>) => {
    const dir = path.join(sb.home, '.config', 'glm-code');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ sandbox, hooks: withType({ UserPromptSubmit: [{ hooks: [{ command: writer }] }] }) }));
  };

  it('with sandbox.hooks a hook runs in bwrap: it writes in the project but not in the home folder', async () => {
    const sb = await makeSandbox({}, fake.url);
    settings(sb, { enabled: true, hooks: true });
    fake.reply(text('Hi.'));
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(0);
    expect(read(sb, 'inside.txt')).toBe('in\n');
    expect(existsSync(path.join(sb.home, 'outside.txt'))).toBe(false);
  });

  it('a sandboxed hook that hangs is ended at its timeout, and nothing it started writes afterwards', async () => {
    const sb = await makeSandbox({}, fake.url);
    const dir = path.join(sb.home, '.config', 'glm-code');
    mkdirSync(dir, { recursive: true });
    const hang = 'cat >/dev/null; (sleep 3; echo late > "$GLM_PROJECT_DIR/late.txt") & sleep 300';
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ sandbox: { enabled: true, hooks: true }, hooks: withType({ UserPromptSubmit: [{ hooks: [{ command: hang, timeout: 1 }] }] }) }));
    fake.reply(text('Hi.'));
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(0);
    expect(String(r.stderr)).toContain('UserPromptSubmit hook: failed: timed out after 1 s');
    await new Promise((done) => setTimeout(done, 3500));
    expect(existsSync(path.join(sb.repo, 'late.txt'))).toBe(false);
  });

  it("a sandboxed hook reads its session's transcript (transcript_path) but no other, and a Bash command reads neither", async () => {
    const sb = await makeSandbox({}, fake.url);
    settings(sb, { enabled: true });
    fake.reply(text('EARLIER-SESSION-MARKER'));
    expect((await runGlm(sb, ['-p', 'earlier'])).exitCode).toBe(0);
    const dir = path.join(sb.home, '.config', 'glm-code');
    const stop = `p=$(sed -n 's/.*"transcript_path":"\\([^"]*\\)".*/\\1/p'); cat "$p" > "$GLM_PROJECT_DIR/hook-saw.txt"; cat "$(dirname "$p")"/*.jsonl > "$GLM_PROJECT_DIR/hook-dir.txt"; echo x >> "$p"; exit 0`;
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ sandbox: { enabled: true, hooks: true }, hooks: withType({ Stop: [{ hooks: [{ command: stop }] }] }) }));
    const bash = 'cat "$HOME"/.local/share/glm-code/sessions/*/*.jsonl > bash-saw.txt; true';
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: bash } }]), text('THIS-SESSION-MARKER'));
    const r = await runGlm(sb, ['-p', 'now', '--allowedTools', 'Bash', '--permission-mode', 'acceptEdits']);
    expect(r.exitCode).toBe(0);
    expect(read(sb, 'hook-saw.txt')).toContain('THIS-SESSION-MARKER');
    expect(read(sb, 'hook-dir.txt')).not.toContain('EARLIER-SESSION-MARKER');
    expect(read(sb, 'bash-saw.txt')).not.toContain('MARKER');
  });

  it('without it, hooks run as the user (the sandbox is for commands)', async () => {
    const sb = await makeSandbox({}, fake.url);
    settings(sb, { enabled: true });
    fake.reply(text('Hi.'));
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(path.join(sb.home, 'outside.txt'), 'utf8')).toBe('out\n');
  });
});
