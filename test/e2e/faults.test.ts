// Every recorded GLM fault, injected by the fake server into an end-to-end run of the built `glm` binary:
// broken tool-call arguments, broken streams, stalled turns, filters, full context windows, markup leaking
// from a self-hosted server, loops. Each test checks what the user sees (stdout, stderr, exit code, files)
// and what the model is sent next (history keeps valid JSON; tools never run twice).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  corruptLine,
  dropBeforeDone,
  error,
  finish,
  idle,
  startFakeGlm,
  text,
  toolCalls,
  type FakeGlm,
  type ReplyStep,
} from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
let sb: Sandbox;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  sb = await makeSandbox({ 'notes.txt': 'one\n' }, fake.url);
  // A stalled stream is given up on after 1.5 s (the default is 90 s); less made a busy machine's retry time out too.
  await mkdir(path.join(sb.home, '.config/glm-code'), { recursive: true });
  await writeFile(path.join(sb.home, '.config/glm-code/settings.json'), JSON.stringify({ idleTimeoutMs: 1500 }));
});

type Body = { messages: { role: string; content: string; tool_calls?: { function: { arguments: string } }[] }[] };
/** The tool result the model got last, and the assistant call it answers. */
const lastResult = (body: Body) => body.messages.at(-1)?.content ?? '';
const lastCallArguments = (body: Body) => body.messages.findLast((m) => m.role === 'assistant')?.tool_calls?.[0]?.function.arguments;

const WRITE = ['--permission-mode', 'acceptEdits'];
const APPEND = 'echo run >> ran.txt';
const BASH = ['--allowedTools', `Bash(${APPEND})`];
const runs = async () => (await readFile(path.join(sb.repo, 'ran.txt'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

describe('broken tool-call arguments', () => {
  it('duplicated arguments {…}{…} from a buggy final delta run once, with the arguments once', async () => {
    const args = { file_path: 'out.txt', content: 'hello' };
    fake.reply(toolCalls([{ name: 'Write', arguments: args }], { split: true, duplicateFinal: true, chunkSize: 6 }), text('Written.'));
    const r = await runGlm(sb, ['-p', 'write it', ...WRITE]);
    expect(r.exitCode).toBe(0);
    expect(await readFile(path.join(sb.repo, 'out.txt'), 'utf8')).toBe('hello');
    expect(JSON.parse(lastCallArguments(fake.requests[1])!)).toEqual(args);
    expect(fake.violations).toEqual([]);
  });

  it('spaced JSON from a vLLM server is used as is', async () => {
    fake.reply(
      toolCalls([{ name: 'Write', arguments: '{"file_path": "out.txt", "content": "spaced"}' }], { profile: 'vllm', reasoning: 'Write.' }),
      text('Done.', { profile: 'vllm' }),
    );
    const r = await runGlm(sb, ['-p', 'write it', '--provider', 'vllm', ...WRITE], { env: { GLM_BASE_URL: fake.v1Url } });
    expect(r.exitCode).toBe(0);
    expect(await readFile(path.join(sb.repo, 'out.txt'), 'utf8')).toBe('spaced');
    expect(fake.violations).toEqual([]);
  });

  it('unquoted keys and a trailing comma are repaired; the repaired JSON is what is sent back', async () => {
    fake.reply(toolCalls([{ name: 'Write', arguments: '{file_path: "out.txt", content: "fixed",}' }]), text('Done.'));
    const r = await runGlm(sb, ['-p', 'write it', ...WRITE]);
    expect(r.exitCode).toBe(0);
    expect(await readFile(path.join(sb.repo, 'out.txt'), 'utf8')).toBe('fixed');
    expect(lastCallArguments(fake.requests[1])).toBe('{"file_path":"out.txt","content":"fixed"}');
    expect(fake.violations).toEqual([]);
  });

  it('unrepairable JSON: the model sees its bad arguments, history keeps valid JSON', async () => {
    const bad = '{"file_path":: "out.txt", "content": "x"}';
    fake.reply(toolCalls([{ name: 'Write', arguments: bad }]), text('Sorry.'));
    const r = await runGlm(sb, ['-p', 'write it', ...WRITE]);
    expect(r.exitCode).toBe(0);
    expect(lastResult(fake.requests[1])).toContain('not valid JSON');
    expect(lastResult(fake.requests[1])).toContain(bad);
    expect(lastCallArguments(fake.requests[1])).toBe('{}');
    expect(fake.violations).toEqual([]);
    await expect(readFile(path.join(sb.repo, 'out.txt'))).rejects.toThrow();
  });

  it('finish_reason length with a half-written call: the model is told to send a smaller call', async () => {
    fake.reply(toolCalls([{ name: 'Write', arguments: '{"file_path":"big.txt","content":"aaaaaaaa' }], { finish: 'length' }), text('Smaller then.'));
    const r = await runGlm(sb, ['-p', 'write a big file', ...WRITE]);
    expect(r.exitCode).toBe(0);
    expect(lastResult(fake.requests[1])).toMatch(/cut off/);
    expect(lastResult(fake.requests[1])).toMatch(/send a smaller call/);
    expect(fake.violations).toEqual([]);
  });
});

describe('broken streams are retried without running a tool twice', () => {
  const faults: [string, () => ReplyStep, RegExp][] = [
    ['a corrupt SSE line', () => corruptLine({ content: 'Half an ans' }), /corrupt stream event/],
    ['a connection dropped before [DONE]', () => dropBeforeDone({ content: 'Half an ans' }), /dropped|ended before/],
    ['an idle stream', () => idle(10_000, { content: 'Half' }), /no complete event for 1\.5 s/],
    ['finish_reason network_error', () => finish('network_error', { content: 'Half an ans' }), /network_error/],
  ];
  for (const [name, fault, reason] of faults) {
    it(name, async () => {
      fake.reply(toolCalls([{ name: 'Bash', arguments: { command: APPEND } }]), fault(), text('All done.'));
      const r = await runGlm(sb, ['-p', 'run it', ...BASH]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe('All done.');
      const notices = String(r.stderr).trim().split('\n');
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/^glm: .*; retrying in \d+\.\d s \(2\/4\)$/);
      expect(notices[0]).toMatch(reason);
      expect(await runs()).toBe(1);
      expect(fake.requests).toHaveLength(3);
      // The retry resends the same conversation: the tool result, not a second run.
      expect(fake.requests[2].messages).toEqual(fake.requests[1].messages);
    });
  }

  it('gives up after 3 retries with one line per retry and exit 1', async () => {
    const busy = () => error(500, { error: { code: '500', message: 'Internal error' } }, { 'retry-after-ms': '5' });
    fake.reply(busy(), busy(), busy(), busy(), text('never'));
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(1);
    const lines = String(r.stderr).trim().split('\n');
    expect(lines.slice(0, 3).map((l) => l.match(/\((\d)\/4\)$/)?.[1])).toEqual(['2', '3', '4']);
    expect(lines[3]).toMatch(/gave up after 3 retries/);
    expect(fake.requests).toHaveLength(4);
  });
});

describe('turns that end without an answer', () => {
  it('a reasoning-only turn is nudged to continue', async () => {
    fake.reply(text('', { reasoning: 'I know this one.' }), text('The answer is 42.'));
    const r = await runGlm(sb, ['-p', 'answer?']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('The answer is 42.');
    expect(fake.requests[1].messages.at(-1)).toMatchObject({ role: 'user', content: expect.stringMatching(/gave no answer/) });
  });

  it('a self-hosted server that keeps putting the answer in reasoning: the reasoning is the answer', async () => {
    fake.reply(...Array.from({ length: 4 }, () => text('', { profile: 'vllm', reasoning: 'The answer is 42.' })));
    const r = await runGlm(sb, ['-p', 'answer?', '--provider', 'vllm'], { env: { GLM_BASE_URL: fake.v1Url } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('The answer is 42.');
    expect(fake.requests[1].messages.at(-1)).toMatchObject({ role: 'user', content: expect.stringMatching(/gave no answer/) });
    expect(fake.pending()).toBeGreaterThan(0); // it stopped asking
  });

  it('finish_reason sensitive: exit 1 with the content-filter message', async () => {
    fake.reply(finish('sensitive', { content: 'Here is how to' }));
    const r = await runGlm(sb, ['-p', 'something flagged']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/content filter blocked/);
    expect(fake.requests).toHaveLength(1);
  });

  it('model_context_window_exceeded: says how full the context is and what to do', async () => {
    const usage = { prompt_tokens: 199_000, completion_tokens: 5_000, total_tokens: 204_000 };
    fake.reply(finish('model_context_window_exceeded', { content: 'Partial', usage }));
    const r = await runGlm(sb, ['-p', 'go on', '--model', 'glm-4.7']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/no longer fits glm-4\.7's context window of 204,800 tokens \(204,000 tokens, 100% of it\)/);
    expect(r.stderr).toMatch(/Start a new session, or use \/compact/);
    expect(fake.requests).toHaveLength(1);
  });

  it('a context-length 400 from vLLM: the same advice, with what the server said, and no retry', async () => {
    const said = "This model's maximum context length is 131072 tokens. However, you requested 140000 tokens.";
    fake.reply(error(400, { object: 'error', message: said, type: 'BadRequestError', code: 400 }));
    const r = await runGlm(sb, ['-p', 'go on', '--provider', 'vllm', '--model', 'glm-4.5'], { env: { GLM_BASE_URL: fake.v1Url } });
    expect(r.exitCode).toBe(1);
    const lines = String(r.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/no longer fits glm-4\.5's context window of 131,072 tokens \(about [\d,]+ tokens, \d+% of it\)\. Start a new session, or use \/compact/);
    expect(lines[0]).toContain(said);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('a self-hosted server without a tool parser', () => {
  it('raw <tool_call> markup in content runs as a tool call, and no markup is printed', async () => {
    const markup = `Let me run it.\n<tool_call>Bash\n<arg_key>command</arg_key>\n<arg_value>${APPEND}</arg_value>\n</tool_call>`;
    fake.reply(text(markup, { profile: 'vllm', reasoning: 'Run the command.', chunkSize: 5 }), text('Ran it.', { profile: 'vllm' }));
    const r = await runGlm(sb, ['-p', 'run it', '--provider', 'vllm', '--output-format', 'stream-json', ...BASH], { env: { GLM_BASE_URL: fake.v1Url } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toMatch(/<\/?(tool_call|arg_key|arg_value)>/);
    const lines = String(r.stdout).trim().split('\n').map((l) => JSON.parse(l));
    const first = lines.find((l) => l.type === 'assistant');
    expect(first.message.content).toEqual([
      { type: 'thinking', thinking: 'Run the command.', signature: '' },
      { type: 'text', text: 'Let me run it.\n', citations: null },
      { type: 'tool_use', id: expect.stringMatching(/^call_/), name: 'Bash', input: { command: APPEND } },
    ]);
    expect(await runs()).toBe(1);
    expect(lines.at(-1)).toMatchObject({ type: 'result', subtype: 'success', result: 'Ran it.' });
    // The recovered call goes back to the server as a structured call.
    expect(lastCallArguments(fake.requests[1])).toBe(JSON.stringify({ command: APPEND }));
    expect(fake.violations).toEqual([]);
  });
});

describe('loops', () => {
  it('the same call five times in a row: warned on the third, stopped on the fifth', async () => {
    const same = () => toolCalls([{ name: 'Read', arguments: { file_path: 'notes.txt' } }]);
    fake.reply(same(), same(), same(), same(), same(), text('never'));
    const r = await runGlm(sb, ['-p', 'read it']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/kept repeating the same tool call/);
    expect(fake.requests).toHaveLength(5);
    expect(lastResult(fake.requests[2])).not.toMatch(/Warning/);
    expect(lastResult(fake.requests[3])).toMatch(/Warning: this is call number 3/);
  });
});
