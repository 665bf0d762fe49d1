// End to end: Claude Code's command line as scripts and wrappers use it, on the built `glm`: every flag of
// Claude Code's headless protocol accepted (the ones glm cannot honour named once in system/init, never exit 2),
// NDJSON input answered line by line before stdin ends, and the session options (--session-id, --fork-session,
// --no-session-persistence, --system-prompt, --json-schema, --tools, --include-partial-messages).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { beforeEach, describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';
import { GLM_BIN, makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));
let sb: Sandbox;
beforeEach(async () => {
  sb = await makeSandbox({ 'a.txt': 'alpha\n' }, fake.url);
});

const jsonLines = (stdout: unknown) => String(stdout).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
const STREAM = ['--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json'];
const user = (t: string) => JSON.stringify({ type: 'user', message: { role: 'user', content: t }, parent_tool_use_id: null, session_id: '' }) + '\n';

describe("Claude Code's flags", () => {
  it('accepts every flag the SDK and wrappers pass, and names the ones glm cannot honour once, in system/init', async () => {
    fake.reply(text('ok'));
    const args = [
      '-p', 'hi', '--output-format', 'stream-json', '--verbose', '--include-partial-messages',
      '--append-system-prompt', 'Be terse.', '--add-dir', sb.home, '--allow-dangerously-skip-permissions',
      '--session-id', '0b8f3c1e-6a2d-4f6e-9b1a-2c3d4e5f6a7b', '--no-session-persistence', '--strict-mcp-config',
      '--settings', '{"model":"x"}', '--setting-sources', 'user', '--fallback-model', 'glm-4.7',
      '--max-thinking-tokens', '4000', '--effort', 'high', '--tools', 'Read,Grep', '--thinking', 'adaptive',
      '--permission-mode', 'dontAsk', '--max-budget-usd', '1', '--betas', 'x', '--debug-to-stderr', '--input-format', 'text',
    ]; // prettier-ignore
    const r = await runGlm(sb, args);
    expect(r.exitCode).toBe(0);
    const lines = jsonLines(r.stdout);
    const init = lines.find((l) => l.subtype === 'init');
    expect(init).toMatchObject({ session_id: '0b8f3c1e-6a2d-4f6e-9b1a-2c3d4e5f6a7b', tools: ['Grep', 'Read'], permissionMode: 'default' });
    expect(init.unsupported_options.map((u: string) => u.split(':')[0])).toEqual(['--settings', '--setting-sources', '--fallback-model', '--max-budget-usd', '--betas']);
    expect(r.stderr).toBe('');
    expect(fake.requests[0]).toMatchObject({ thinking: { type: 'enabled' }, reasoning_effort: 'high' });
    expect(fake.requests[0].messages[0].content).toContain('Be terse.');
    expect(fake.requests[0].tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['Grep', 'Read']);
    // --no-session-persistence: nothing to resume.
    expect(existsSync(path.join(sb.home, '.local/share/glm-code'))).toBe(false);
    expect(lines.some((l) => l.type === 'stream_event' && l.event.type === 'content_block_delta')).toBe(true);
  });

  it('--max-thinking-tokens 0 and --thinking disabled turn reasoning off', async () => {
    fake.reply(text('a'), text('b'));
    await runGlm(sb, ['-p', 'hi', '--max-thinking-tokens', '0']);
    await runGlm(sb, ['-p', 'hi', '--thinking', 'disabled']);
    expect(fake.requests.map((r) => r.thinking)).toEqual([{ type: 'disabled' }, { type: 'disabled' }]);
  });

  it('a session id that is not a UUID, or a bad --input-format, is one line and exit 2', async () => {
    const bad = await runGlm(sb, ['-p', 'hi', '--session-id', 'not-a-uuid']);
    expect([bad.exitCode, bad.stderr]).toEqual([2, 'glm: --session-id must be a UUID, not "not-a-uuid"']);
    const format = await runGlm(sb, ['-p', 'hi', '--input-format', 'stream-json']);
    expect([format.exitCode, format.stderr]).toEqual([2, 'glm: --input-format stream-json needs --output-format stream-json']);
  });

  it('--system-prompt replaces the base instructions; memory and the environment stay', async () => {
    fake.reply(text('ok'));
    const r = await runGlm(sb, ['-p', 'hi', '--system-prompt', 'You are a pirate.']);
    expect(r.exitCode).toBe(0);
    const system = fake.requests[0].messages[0].content as string;
    expect(system.startsWith('You are a pirate.')).toBe(true);
    expect(system).not.toContain('GLM Code');
    expect(system).toContain(`Working directory: ${sb.repo}`);
  });

  it('--json-schema puts the answer in structured_output, and an answer that is not JSON is an error result', async () => {
    fake.reply(text('{"answer": 42}'), text('forty-two'));
    const schema = '{"type":"object","properties":{"answer":{"type":"number"}}}';
    const ok = jsonLines((await runGlm(sb, ['-p', 'the answer?', '--output-format', 'json', '--json-schema', schema])).stdout)[0];
    expect(ok).toMatchObject({ subtype: 'success', structured_output: { answer: 42 } });
    expect(fake.requests[0].messages[0].content).toContain(schema);
    const bad = await runGlm(sb, ['-p', 'the answer?', '--output-format', 'json', '--json-schema', schema]);
    expect(bad.exitCode).toBe(1);
    expect(jsonLines(bad.stdout)[0]).toMatchObject({ subtype: 'error_max_structured_output_retries', is_error: true, errors: [expect.stringMatching(/not JSON/)] });
  });

  it('--fork-session goes on from a session under a new id and leaves the original as it was', async () => {
    fake.reply(text('one'), text('two'));
    const first = jsonLines((await runGlm(sb, ['-p', 'first', '--output-format', 'json'])).stdout)[0];
    const fork = jsonLines((await runGlm(sb, ['-p', 'second', '--output-format', 'json', '--resume', first.session_id, '--fork-session'])).stdout)[0];
    expect(fork.session_id).not.toBe(first.session_id);
    expect(fake.requests[1].messages.slice(1).map((m: { content: string }) => m.content)).toEqual(['first', 'one', 'second']);
    const dir = path.join(sb.home, '.local/share/glm-code/sessions');
    const [project] = await readdir(dir);
    expect((await readdir(path.join(dir, project!))).filter((f) => f.endsWith('.jsonl')).sort()).toEqual([`${first.session_id}.jsonl`, `${fork.session_id}.jsonl`].sort());
  });
});

describe('stream-json input', () => {
  it('answers each user line before stdin ends, and exits once stdin closes', async () => {
    fake.reply(text('First.'), text('Second.'));
    const child = spawn(process.execPath, [GLM_BIN, ...STREAM], { cwd: sb.repo, env: sb.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const seen: { type: string; subtype?: string; result?: string }[] = [];
    child.stdin.write('{"type":"keep_alive"}\n');
    child.stdin.write('this is not json\n');
    child.stdin.write(user('one'));
    for await (const l of createInterface({ input: child.stdout })) {
      const m = JSON.parse(l);
      seen.push(m);
      if (m.type !== 'result') continue;
      if (seen.filter((s) => s.type === 'result').length === 1) child.stdin.write(user('two'));
      else child.stdin.end();
    }
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(seen.filter((s) => s.type === 'result').map((s) => s.result)).toEqual(['First.', 'Second.']);
    expect(stderr).toBe('glm: stdin line 2 is not JSON; with --input-format stream-json every line is one JSON message\n');
  });

  it('control requests are answered, unknown ones with an error, and set_permission_mode cannot pick bypass without the flag', async () => {
    const input = [
      { type: 'control_request', request_id: 'a', request: { subtype: 'initialize', systemPrompt: [''] } },
      { type: 'control_request', request_id: 'b', request: { subtype: 'set_permission_mode', mode: 'bypassPermissions' } },
      { type: 'control_request', request_id: 'c', request: { subtype: 'set_permission_mode', mode: 'plan' } },
      { type: 'control_request', request_id: 'd', request: { subtype: 'mcp_status' } },
      { type: 'control_request', request_id: 'e', request: { subtype: 'rewind_files' } },
    ];
    const r = await runGlm(sb, STREAM, { input: input.map((l) => JSON.stringify(l)).join('\n') + '\n' });
    expect(r.exitCode).toBe(0);
    const answers = Object.fromEntries(jsonLines(r.stdout).filter((l) => l.type === 'control_response').map((l) => [l.response.request_id, l.response]));
    expect(answers.a).toMatchObject({ subtype: 'success', response: { claude_code_version: expect.any(String), models: [expect.objectContaining({ value: expect.any(String) })] } });
    expect(answers.b).toMatchObject({ subtype: 'error', error: expect.stringMatching(/allow-dangerously-skip-permissions/) });
    expect(answers.c).toMatchObject({ subtype: 'success', response: { mode: 'plan' } });
    expect(answers.d).toMatchObject({ subtype: 'success', response: { mcpServers: [] } });
    expect(answers.e).toMatchObject({ subtype: 'error', error: 'glm does not support the "rewind_files" control request' });
  });

  it('--permission-prompt-tool stdio asks with can_use_tool; a deny rule still wins over an allow that rewrote the input', async () => {
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'touch one.txt' } }]), text('Done.'));
    const child = spawn(process.execPath, [GLM_BIN, ...STREAM, '--permission-prompt-tool', 'stdio', '--disallowedTools', 'Bash(rm:*)'], { cwd: sb.repo, env: sb.env, stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdin.write(user('go'));
    const asked: unknown[] = [];
    for await (const l of createInterface({ input: child.stdout })) {
      const m = JSON.parse(l);
      if (m.type === 'control_request' && m.request.subtype === 'can_use_tool') {
        asked.push(m.request);
        const response = { behavior: 'allow', updatedInput: { command: 'rm -rf a.txt' } };
        child.stdin.write(JSON.stringify({ type: 'control_response', response: { subtype: 'success', request_id: m.request_id, response } }) + '\n');
      }
      if (m.type === 'result') child.stdin.end();
    }
    expect(asked).toEqual([expect.objectContaining({ tool_name: 'Bash', input: { command: 'touch one.txt' }, tool_use_id: expect.any(String) })]);
    expect(existsSync(path.join(sb.repo, 'a.txt'))).toBe(true);
    expect(existsSync(path.join(sb.repo, 'one.txt'))).toBe(false);
    expect(fake.requests[1].messages.at(-1).content).toMatch(/denied/i);
  });
});
