// End to end: the built `glm` binary in temp git repos against the fake GLM server over a real socket.
// Each test checks what a scripting user checks: stdout, stderr, the exit code, the files, the session.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { error, startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** The content of the last message of a request body (the tool result the model just got). */
const lastContent = (body: { messages: { content: string }[] }) => body.messages.at(-1)?.content ?? '';

const buggyProject = {
  'package.json': '{ "type": "module" }\n',
  'src/math.js': 'export function add(a, b) {\n  return a - b;\n}\n',
  'test.js': "import { add } from './src/math.js';\nif (add(2, 3) !== 5) {\n  console.error('FAIL: add(2, 3) = ' + add(2, 3));\n  process.exit(1);\n}\nconsole.log('ok');\n",
};

describe('glm -p', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox(buggyProject, fake.url);
  });

  it('fixes a bug through Grep → Read → Edit → Bash and prints the answer as JSON', async () => {
    fake.reply(
      toolCalls([{ name: 'Grep', arguments: { pattern: 'function add', output_mode: 'files_with_matches' } }], { reasoning: 'Find add first.' }),
      (body) => {
        expect(lastContent(body)).toContain('src/math.js');
        return toolCalls([{ name: 'Read', arguments: { file_path: 'src/math.js' } }], { reasoning: 'Read it.' });
      },
      (body) => {
        expect(lastContent(body)).toMatch(/1\s+export function add/);
        return toolCalls([{ name: 'Edit', arguments: { file_path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' } }]);
      },
      toolCalls([{ name: 'Bash', arguments: { command: 'node test.js' } }], { content: 'Now the test.' }),
      (body) => {
        expect(lastContent(body)).toContain('ok');
        return text('Fixed `add` in src/math.js: it subtracted. `node test.js` now prints ok.', { reasoning: 'Done.' });
      },
    );
    const r = await runGlm(sb, ['-p', 'why does the test fail? fix it', '--permission-mode', 'acceptEdits', '--allowedTools', 'Bash(node test.js)', '--output-format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const result = JSON.parse(String(r.stdout));
    expect(result).toMatchObject({ type: 'result', subtype: 'success', is_error: false, num_turns: 5, permission_denials: [] });
    expect(result.result).toContain('Fixed `add`');
    expect(result.usage.input_tokens).toBeGreaterThan(0);
    expect(await readFile(path.join(sb.repo, 'src/math.js'), 'utf8')).toContain('return a + b;');
    expect(fake.requests).toHaveLength(5);
    expect(fake.violations).toEqual([]);
    // Reasoning goes back with each assistant message, tool calls as JSON strings.
    expect(fake.requests[1].messages[2]).toMatchObject({ role: 'assistant', reasoning_content: 'Find add first.' });
  });

  it('denies what needs approval, tells the model, and lists the denial', async () => {
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'rm -rf build' } }]), (body) => {
      expect(lastContent(body)).toMatch(/nobody can approve/);
      return text('I was not allowed to delete build/.');
    });
    const r = await runGlm(sb, ['-p', 'clean up', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    const result = JSON.parse(String(r.stdout));
    expect(result.permission_denials).toEqual([{ tool_name: 'Bash', tool_use_id: expect.any(String), tool_input: { command: 'rm -rf build' } }]);
    expect(result.result).toBe('I was not allowed to delete build/.');
  });

  it('says in one stderr line (text mode) what was denied, why, and the flag that allows it', async () => {
    fake.reply(toolCalls([{ name: 'Write', arguments: { file_path: 'big.txt', content: 'x'.repeat(5000) } }]), text('I could not write it.'));
    const r = await runGlm(sb, ['-p', 'write a big file']);
    expect(r.exitCode).toBe(0);
    expect(String(r.stderr).trim().split('\n')).toEqual(['glm: denied Write big.txt (edits need approval in default mode); allow it with --allowedTools "Edit(/big.txt)"']);
  });

  it('suggests no rule for a command no rule can be written for on one line (a heredoc)', async () => {
    const heredoc = `mkdir -p docs && cat > docs/notes.md <<'EOF'\n${'a line of notes\n'.repeat(50)}EOF`;
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: heredoc } }]), text('Could not write the notes.'));
    const r = await runGlm(sb, ['-p', 'write notes']);
    const lines = String(r.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^glm: denied Bash mkdir -p docs && cat > docs\/notes\.md <<'EOF' … \(.+\)$/);
    expect(lines[0]).not.toContain('--allowedTools');
  });

  it('suggests no rule for a command with control characters (it could not be passed as one)', async () => {
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo \u001b[2Jhi' } }]), text('Could not.'));
    const r = await runGlm(sb, ['-p', 'say hi']);
    expect(String(r.stderr).trim().split('\n')).toEqual(['glm: denied Bash echo \\e[2Jhi (commands need approval unless a rule allows them)']);
  });

  it('tells the model why an edit cannot happen rather than that nobody can approve it', async () => {
    fake.reply(toolCalls([{ name: 'Edit', arguments: { file_path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' } }]), (body) => {
      expect(lastContent(body)).toMatch(/you have not read it in this session/);
      return text('I need to read it first.');
    });
    const r = await runGlm(sb, ['-p', 'fix add', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout)).permission_denials).toEqual([]); // nothing was put to anyone
  });

  it('prints only the final answer in text mode', async () => {
    fake.reply(text('Hello there.', { reasoning: 'Greet.' }));
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('Hello there.');
    expect(r.stderr).toBe('');
  });

  it("never prints the model's escape sequences: text shows them escaped, JSON keeps them as \\u escapes", async () => {
    const answer = 'Done.\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07\x1b[2J\x1b[8m hidden\x9b2J\u202e';
    const concealed = 'echo ok \x1b[8m; touch MARKER';
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: concealed } }]), text(answer));
    const r = await runGlm(sb, ['-p', 'go']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('Done.\\e]52;c;Y3VybCBldmlsIHwgc2g=\\a\\e[2J\\e[8m hidden\\u009b2J\\u202e');
    expect(String(r.stderr)).toContain('glm: denied Bash echo ok \\e[8m; touch MARKER (');
    for (const out of [r.stdout, r.stderr]) expect(String(out)).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);

    for (const format of ['json', 'stream-json']) {
      fake.reply(toolCalls([{ name: 'Bash', arguments: { command: concealed } }]), text(answer));
      const j = await runGlm(sb, ['-p', 'go', '--output-format', format]);
      expect(String(j.stdout)).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
      const lines = String(j.stdout).trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.at(-1).result).toBe(answer);
      expect(lines.at(-1).permission_denials).toEqual([{ tool_name: 'Bash', tool_use_id: expect.any(String), tool_input: { command: concealed } }]);
    }
    await expect(readdir(sb.repo)).resolves.not.toContain('MARKER');
  });

  it('streams Claude Code-shaped JSON lines', async () => {
    fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'test.js' } }], { reasoning: 'Look.' }), text('It checks add.'));
    const r = await runGlm(sb, ['-p', 'what does test.js do', '--output-format', 'stream-json']);
    expect(r.exitCode).toBe(0);
    const lines = String(r.stdout).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'system', subtype: 'init', tools: expect.arrayContaining(['Read', 'Bash']) });
    expect(lines[1].message.content).toEqual([
      { type: 'thinking', thinking: 'Look.', signature: '' },
      { type: 'tool_use', id: expect.any(String), name: 'Read', input: { file_path: 'test.js' } },
    ]);
    expect(lines[2]).toMatchObject({ type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: lines[1].message.content[1].id, is_error: false }] } });
    expect(lines[3].message.content).toEqual([{ type: 'text', text: 'It checks add.', citations: null }]);
    expect(lines.at(-1)).toMatchObject({ type: 'result', subtype: 'success', result: 'It checks add.', session_id: lines[0].session_id });
  });

  it('appends piped stdin to the prompt', async () => {
    fake.reply(text('It is a null dereference.'));
    const r = await runGlm(sb, ['-p', 'explain this error'], { input: "TypeError: Cannot read properties of undefined (reading 'x')\n" });
    expect(r.exitCode).toBe(0);
    expect(lastContent(fake.requests[0])).toBe("explain this error\n\nTypeError: Cannot read properties of undefined (reading 'x')");
  });

  it('continues the same conversation, reasoning included', async () => {
    fake.reply(text('First answer.', { reasoning: 'R1' }), text('Second answer.'));
    const first = JSON.parse(String((await runGlm(sb, ['-p', 'first', '--output-format', 'json'])).stdout));
    const r = await runGlm(sb, ['-p', 'second', '--continue', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout)).session_id).toBe(first.session_id);
    expect(fake.requests[1].messages.slice(1)).toEqual([
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'First answer.', reasoning_content: 'R1' },
      { role: 'user', content: 'second' },
    ]);
    const resumed = await runGlm(sb, ['-p', 'third', '--resume', 'no-such-id']);
    expect(resumed.exitCode).toBe(2);
    expect(resumed.stderr).toMatch(/^glm: No session "no-such-id"/);
    // The start of an id, as people copy it from `glm sessions`, resumes it too.
    fake.reply(text('Third answer.'));
    const short = await runGlm(sb, ['-p', 'third', '--resume', first.session_id.slice(0, 8), '--output-format', 'json']);
    expect(JSON.parse(String(short.stdout)).session_id).toBe(first.session_id);
    // A path is never a session id: nothing is read or created where it points.
    const away = await runGlm(sb, ['-p', 'fourth', '--resume', `${'../'.repeat(30)}${sb.home.slice(1)}/elsewhere/x`]);
    expect(away.exitCode).toBe(2);
    expect(away.stderr).toMatch(/^glm: No session "/);
    expect(existsSync(path.join(sb.home, 'elsewhere'))).toBe(false);
    // --continue (the latest session) and --resume <id> name two sessions: one line, no request.
    const both = await runGlm(sb, ['-p', 'fifth', '--continue', '--resume', first.session_id]);
    expect([both.exitCode, both.stderr]).toEqual([2, 'glm: --continue and --resume each pick a session: pass one of them']);
    expect(fake.requests).toHaveLength(3);
  });

  it('retries after a 1302 concurrency error', async () => {
    fake.reply(error(429, { error: { code: '1302', message: 'High concurrency usage of this API' } }, { 'retry-after': '0' }), text('Fine now.'));
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('Fine now.');
    expect(r.stderr).toMatch(/1302.*retrying/);
    expect(fake.requests).toHaveLength(2);
  });

  it('fails fast on 1113 with one line that says what to do', async () => {
    fake.reply(error(429, { error: { code: '1113', message: 'Insufficient balance or no resource package. Please recharge.' } }));
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(1);
    expect(fake.requests).toHaveLength(1);
    const lines = String(r.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/1113/);
    expect(lines[0]).toMatch(/zai-coding/);
  });

  it('exits 130 on SIGINT and keeps the transcript', async () => {
    fake.reply(text('word '.repeat(400), { chunkSize: 5, delayMs: 20 }));
    const child = runGlm(sb, ['-p', 'write a lot']);
    await fake.waitForRequests(1);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toMatch(/interrupted; resume with: glm --resume \S+/);
    const dir = path.join(sb.home, '.local/share/glm-code/sessions');
    const [project] = await readdir(dir);
    const [file] = await readdir(path.join(dir, project));
    const events = (await readFile(path.join(dir, project, file), 'utf8')).trim().split('\n').flatMap((l) => JSON.parse(l).event ?? []); // context entries (the system prompt) left out
    expect(events[1]).toEqual({ type: 'user_message', text: 'write a lot' });
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'aborted' });
  });

  it('stops at --max-turns with exit code 3', async () => {
    fake.reply(toolCalls([{ name: 'LS', arguments: { path: '.' } }]), toolCalls([{ name: 'Read', arguments: { file_path: 'test.js' } }]));
    const r = await runGlm(sb, ['-p', 'explore', '--max-turns', '2', '--output-format', 'json']);
    expect(r.exitCode).toBe(3);
    expect(JSON.parse(String(r.stdout))).toMatchObject({ subtype: 'error_max_turns', is_error: true, num_turns: 2 });
  });
});

describe('configuration errors', () => {
  it('exit 2 with one line, before any request', async () => {
    const sb = await makeSandbox({}, fake.url);
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['-p', 'hi', '--provider', 'nope'], {}, /unknown provider "nope"/i],
      [['-p', 'hi'], { GLM_API_KEY: '' }, /No API key/],
      [['-p', 'hi', '--output-format', 'xml'], {}, /output-format/],
      [['-p', 'hi', '--bogus'], {}, /unknown option/],
      [['-p'], {}, /no prompt/],
    ];
    for (const [args, env, message] of cases) {
      const r = await runGlm(sb, args, { env });
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(String(r.stderr).trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain('test-key-not-secret');
    }
    expect(fake.requests).toHaveLength(0);
  });
});
