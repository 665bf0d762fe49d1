import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createRawToolCallScanner,
  parseLegacyGlm4Call,
  parseRawToolCalls,
  recoverCallsFromReasoning,
  type TextToolCall,
} from '../../src/model/raw-tool-calls.ts';
import { splitThink } from '../../src/model/think-split.ts';
import type { ToolSchema } from '../../src/types.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');
const fixtureJson = <T>(name: string): T => JSON.parse(fixture(name)) as T;

const str = { type: 'string' };
function tool(name: string, properties: Record<string, unknown> = {}): ToolSchema {
  return { name, description: name, parameters: { type: 'object', properties } };
}

/** Feeds chunks to a fresh scanner; returns the content shown while streaming, and what end() gave. */
function stream(chunks: string[], tools: ToolSchema[]) {
  const scanner = createRawToolCallScanner(tools);
  let shown = '';
  for (const chunk of chunks) {
    const { content } = scanner.push(chunk);
    expect(content, `markup reached the screen: ${JSON.stringify(content)}`).not.toMatch(/<\/?(tool_call|arg_key|arg_value)>/);
    shown += content;
  }
  const end = scanner.end();
  return { shown, content: shown + end.content, calls: end.calls, unterminated: end.unterminated };
}

/** Re-chunks the concatenated text at several sizes, like vLLM's stream_interval 1, 2, 3, 5, 8 and 9999. */
function rechunk(text: string): string[][] {
  return [1, 2, 3, 5, 8, 9999].map((size) => {
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
    return pieces;
  });
}

const argsOf = (calls: TextToolCall[]) => calls.map((c) => JSON.parse(c.arguments) as unknown);

// ---- vLLM glm45 parser table ----

interface ExpectedCall {
  name: string;
  arguments?: Record<string, unknown>;
  arguments_raw?: string;
}
interface ParserCase {
  id: string;
  mode: 'non_streaming' | 'streaming' | 'streaming_steps';
  input: unknown;
  expected: {
    tools_called?: boolean;
    tool_calls?: ExpectedCall[];
    content?: string | null;
    content_equals_input?: boolean;
    raw_arguments_contain?: string[];
    raw_arguments_must_not_contain?: string[];
    tool_calls_count?: number;
    final_arguments?: Record<string, unknown>[];
    final_arguments_valid_json?: boolean;
    name_emitted_before_argument_fragments?: boolean;
    must_not_hang?: boolean;
    min_tool_calls_recorded?: number;
    step1_tool_deltas?: number;
    step2_tool_deltas?: { name?: string; arguments: unknown }[];
  };
}

// vLLM parses calls to any name; we drop calls to undeclared tools (as SGLang does), so every tool the table calls
// is declared here. `calculate` has no property schemas: the table's "tool not in the request schema" case, where
// values are typed by trying JSON. get_weather is vLLM's default `get_weather(city: string)`.
const vllm45Tools = [
  tool('get_weather', { city: str }),
  tool('get_current_weather', { city: str, state: str, unit: str }),
  tool('get_current_time'),
  tool('get_time'),
  tool('calculate'),
  tool('apply_diff', { s: str }),
  tool('send_message', { recipient: str, message: str, priority: str }),
];

/** Our documented content where it differs from vLLM by design. */
const contentDeviations: Record<string, string> = {
  // vLLM drops text between calls in non-streaming mode but emits it when streaming; we keep it in both so a
  // streamed and a whole response give the same content.
  mixed_content_two_calls:
    'I will help you get the weather info.\n\n\n\nmeaningwhile, I will also check the weather in Shanghai.\n\n',
};

function checkNonStreaming(c: ParserCase, tools: ToolSchema[]): void {
  const input = c.input as string;
  const result = parseRawToolCalls(input, tools);
  const e = c.expected;
  if (e.tools_called !== undefined) expect(result.calls.length > 0).toBe(e.tools_called);
  if (e.tool_calls) {
    expect(result.calls.map((call) => call.name)).toEqual(e.tool_calls.map((call) => call.name));
    e.tool_calls.forEach((want, i) => {
      const got = result.calls[i]!;
      if (want.arguments) expect(JSON.parse(got.arguments)).toEqual(want.arguments);
      if (want.arguments_raw !== undefined) expect(got.arguments).toBe(want.arguments_raw);
      expect(got.arguments).toBe(JSON.stringify(JSON.parse(got.arguments))); // compact JSON
    });
  }
  if (c.id in contentDeviations) expect(result.content).toBe(contentDeviations[c.id]);
  else if (e.content !== undefined) expect(result.content).toBe(e.content ?? ''); // None is ''
  if (e.content_equals_input) expect(result.content).toBe(input);
  for (const text of e.raw_arguments_contain ?? []) expect(result.calls[0]!.arguments).toContain(text);
  for (const text of e.raw_arguments_must_not_contain ?? []) expect(result.calls[0]!.arguments).not.toContain(text);
  if (e.tool_calls_count !== undefined) expect(result.calls).toHaveLength(e.tool_calls_count);
}

function checkStreaming(c: ParserCase, tools: ToolSchema[]): void {
  const chunks = c.input as string[];
  const e = c.expected;
  // Same result whatever the chunking, and the same as parsing the whole text at once.
  const whole = parseRawToolCalls(chunks.join(''), tools);
  for (const pieces of [chunks, ...rechunk(chunks.join(''))]) {
    const result = stream(pieces, tools);
    expect(result.calls).toEqual(whole.calls);
    if (e.final_arguments) expect(argsOf(result.calls)).toEqual(e.final_arguments);
    if (e.final_arguments_valid_json) for (const call of result.calls) expect(() => JSON.parse(call.arguments)).not.toThrow();
    // vLLM streams a call's name, then argument fragments; our scanner hands over each call whole at end(), so
    // "name before arguments" holds trivially; the name must be the complete declared one.
    if (e.name_emitted_before_argument_fragments) expect(result.calls[0]!.name).toBe('get_weather');
    // vLLM has no end-of-stream step: its "content" is what was shown while streaming. An unclosed `<tool_call>`
    // is held back and reported by end() as `unterminated`, never shown.
    if (e.content !== undefined) {
      expect(result.shown).toBe(e.content);
      expect(result.unterminated).toBe('<tool_call>');
    }
    if (e.must_not_hang) expect(result).toMatchObject({ calls: [], content: '', unterminated: undefined });
    if (e.min_tool_calls_recorded !== undefined) expect(result.calls.length).toBeGreaterThanOrEqual(e.min_tool_calls_recorded);
  }
}

describe('vLLM glm45 tool-parser table', () => {
  const table = fixtureJson<{ cases: ParserCase[] }>('vllm-glm45-parser-cases.json');
  it.each(table.cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    if (c.mode === 'non_streaming') checkNonStreaming(c, vllm45Tools);
    else checkStreaming(c, vllm45Tools);
  });
});

describe('vLLM glm47 tool-parser table', () => {
  const table = fixtureJson<{ cases: ParserCase[] }>('vllm-glm47-parser-cases.json');
  const tools = [tool('get_current_date'), tool('get_weather', { city: str, date: str })];
  it.each(table.cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    if (c.mode === 'non_streaming') return checkNonStreaming(c, tools);
    if (c.mode === 'streaming') return checkStreaming(c, tools);
    // "prefix name delayed": vLLM re-parses a rewritten current_text (step 2 is not step 1 + delta), which a push
    // stream cannot express. What it protects: no call under the partial name "get". We never emit a name before
    // its call is complete, and "get" is not a declared tool, so step 1 gives no call; step 2 gives the call.
    const steps = c.input as { current_text: string }[];
    expect(parseRawToolCalls(steps[0]!.current_text, tools).calls).toHaveLength(c.expected.step1_tool_deltas!);
    const step2 = parseRawToolCalls(steps[1]!.current_text, tools);
    const [nameDelta, argsDelta] = c.expected.step2_tool_deltas!;
    expect(step2.calls).toHaveLength(1);
    expect(step2.calls[0]!.name).toBe(nameDelta!.name);
    expect(JSON.parse(step2.calls[0]!.arguments)).toEqual(argsDelta!.arguments);
  });
});

// ---- SGLang detector cases ----

describe('SGLang Glm4MoeDetector cases', () => {
  const f = fixtureJson<{
    multiple_calls_input: string;
    expected_parameters: string[];
    expected_normal_text: string;
    streaming_chunks: string[];
    unknown_tool_input: string;
    unknown_tool_expected_calls: number;
    empty_name_chunks: string[];
    whitespace_input: string;
    whitespace_expected: Record<string, string>;
    quoted_backslash_input: string;
    quoted_backslash_expected_city: string;
  }>('sglang-glm45-detector-cases.json');
  // The doc does not give these tests' schema; `city`/`date` are left untyped so the quoted-backslash case reads
  // the quoted value like SGLang's literal-eval fallback does (a string-typed value is kept verbatim, see below).
  const tools = [tool('get_weather', { city: {}, date: {} }), tool('apply_diff', { old_string: str, new_string: str })];
  // SGLang emits `{"city": "Beijing", …}` (", " / ": " spacing); we emit compact JSON, like Z.ai. Compare parsed.
  const expectedArgs = f.expected_parameters.map((p) => JSON.parse(p) as unknown);

  it('multiple calls, whole text', () => {
    const result = parseRawToolCalls(f.multiple_calls_input, tools);
    expect(argsOf(result.calls)).toEqual(expectedArgs);
    expect(result.content).toBe(f.expected_normal_text);
  });

  it('multiple calls, streamed in the recorded chunks and re-chunked', () => {
    for (const pieces of [f.streaming_chunks, ...rechunk(f.streaming_chunks.join(''))]) {
      const result = stream(pieces, tools);
      expect(argsOf(result.calls)).toEqual(expectedArgs);
      expect(result.content).toBe(f.expected_normal_text);
    }
  });

  it('drops a call to an undeclared tool, markup included', () => {
    const result = parseRawToolCalls(f.unknown_tool_input, tools);
    expect(result.calls).toHaveLength(f.unknown_tool_expected_calls);
    expect(result.content).toBe('');
  });

  it('an empty name neither hangs nor shows markup', () => {
    const result = stream(f.empty_name_chunks, tools);
    expect(result).toMatchObject({ calls: [], content: '', unterminated: '<tool_call>\n' });
  });

  it('keeps leading whitespace of string values', () => {
    expect(argsOf(parseRawToolCalls(f.whitespace_input, tools).calls)).toEqual([f.whitespace_expected]);
  });

  it('reads a quoted value with non-JSON backslashes', () => {
    const [args] = argsOf(parseRawToolCalls(f.quoted_backslash_input, tools).calls) as Record<string, unknown>[];
    expect(args!.city).toBe(f.quoted_backslash_expected_city);
    // Our documented behaviour for a string-typed parameter: the value is taken verbatim, quotes and all.
    const typed = parseRawToolCalls(f.quoted_backslash_input, [tool('get_weather', { city: str, date: str })]);
    expect((argsOf(typed.calls)[0] as Record<string, unknown>).city).toBe('"\\C|\\."');
  });
});

describe('SGLang Glm47MoeDetector cases', () => {
  const f = fixtureJson<{
    single: string;
    single_expected_parameters: string;
    no_arg: string;
    no_arg_expected: Record<string, never>;
    mtp_chunks: string[];
    mtp_expected_normal_text: string;
    mtp_expected_call: { name: string; arguments: Record<string, unknown> };
    noarg_then_call_chunks: string[];
    noarg_then_call_expect: string;
  }>('sglang-glm47-detector-cases.json');
  const tools = [
    tool('get_weather', { city: str, date: str }),
    tool('list_filenames'),
    tool('list_files'),
    tool('create_task', { title: str, location: str }),
  ];

  it('single call without separators', () => {
    expect(argsOf(parseRawToolCalls(f.single, tools).calls)).toEqual([JSON.parse(f.single_expected_parameters)]);
  });

  it('zero-argument call', () => {
    expect(parseRawToolCalls(f.no_arg, tools)).toEqual({ content: '', calls: [{ name: 'list_filenames', arguments: '{}' }] });
    expect(JSON.parse(parseRawToolCalls(f.no_arg, tools).calls[0]!.arguments)).toEqual(f.no_arg_expected);
  });

  it('MTP chunks that split names and values', () => {
    for (const pieces of [f.mtp_chunks, ...rechunk(f.mtp_chunks.join(''))]) {
      const result = stream(pieces, tools);
      expect(result.content).toBe(f.mtp_expected_normal_text);
      expect(result.calls.map((c) => ({ name: c.name, arguments: JSON.parse(c.arguments) as unknown }))).toEqual([f.mtp_expected_call]);
    }
  });

  it('a zero-argument call then a call with arguments', () => {
    // Prose expectation: "2 calls; at most one '{}' parameters fragment; second call {"city": "Beijing"}".
    expect(f.noarg_then_call_expect).toContain('2 calls');
    const result = stream(f.noarg_then_call_chunks, tools);
    expect(result.calls).toEqual([
      { name: 'list_files', arguments: '{}' },
      { name: 'get_weather', arguments: '{"city":"Beijing"}' },
    ]);
  });
});

// ---- Raw output recordings ----

describe('raw GLM outputs', () => {
  it('GLM-4.5/4.6: reasoning, text, then a newline-separated call', () => {
    const tools = [tool('get_weather', { city: str, date: str })];
    const split = splitThink(fixture('glm45-raw-output-tool-call.txt'), {});
    expect(split.reasoning).toBe('The user wants the weather. I should call get_weather.');
    const result = parseRawToolCalls(split.content!, tools);
    expect(result.content).toBe('\nI will help you get the weather.\n');
    expect(result.calls).toEqual([{ name: 'get_weather', arguments: '{"city":"Beijing","date":"2025-08-01"}' }]);
  });

  it('GLM-4.7/5.x: starts inside reasoning, no separators', () => {
    const tools = [tool('get_weather', { city: str })];
    const split = splitThink(fixture('glm47-raw-output-tool-call.txt'), { startsInThinking: true });
    expect(split.reasoning).toBe('The user wants the weather.');
    expect(parseRawToolCalls(split.content!, tools)).toEqual({
      content: 'Checking.',
      calls: [{ name: 'get_weather', arguments: '{"city":"Beijing"}' }],
    });
  });

  it('GLM-5.3-Flash JSON form with a namespaced name, whole and streamed', () => {
    const raw = fixture('glm53flash-raw-output-json-form.txt');
    const tools = [tool('get_weather_by_city', { location: str })];
    const expected = { content: '', calls: [{ name: 'get_weather_by_city', arguments: '{"location":"Beijing"}' }] };
    expect(parseRawToolCalls(raw, tools)).toEqual(expected);
    for (const pieces of rechunk(raw)) expect(stream(pieces, tools)).toMatchObject({ content: '', calls: expected.calls });
  });

  it('GLM-5.3-Flash JSON form: an optional </tool_call> after the object never reaches content', () => {
    const tools = [tool('read', { path: str })];
    const text = 'Reading.<tool_call>read>{"path": "a.ts"}</tool_call>Done.';
    for (const pieces of rechunk(text)) {
      expect(stream(pieces, tools)).toMatchObject({ content: 'Reading.Done.', calls: [{ name: 'read', arguments: '{"path":"a.ts"}' }] });
    }
  });

  it('GLM-5.3-Flash JSON form: whitespace after the name split from the object, and unrepairable arguments', () => {
    const tools = [tool('read', { path: str })];
    expect(stream(['<tool_call>read>  ', ' \n', '{"path": "a.ts"}'], tools)).toMatchObject({ calls: [{ name: 'read', arguments: '{"path":"a.ts"}' }] });
    expect(stream(['<tool_call>read\n', '{"path": "b.ts"}', '\nthen'], tools)).toMatchObject({ content: '\nthen', calls: [{ arguments: '{"path":"b.ts"}' }] });
    const two = '<tool_call>Fs/read>{"path": "a.ts"}\n<tool_call>read>{"path": "<tool_call>.md"}';
    for (const pieces of rechunk(two)) {
      expect(stream(pieces, tools)).toMatchObject({ content: '', calls: [{ arguments: '{"path":"a.ts"}' }, { arguments: '{"path":"<tool_call>.md"}' }] });
    }
    const [broken] = parseRawToolCalls('<tool_call>read>{"path": "a.ts"}{"other": 1}</tool_call>', tools).calls;
    expect(broken).toEqual({ name: 'read', arguments: '{}', invalid: { raw: '{"path": "a.ts"}{"other": 1}', error: expect.stringMatching(/back to back/) } });
  });

  it('GLM-4-0414 / Z1: a tool name line and a JSON object', () => {
    const prompt = fixture('glm4-0414-prompt-and-call.txt');
    // Declared tools are the prompt's "## name" headings; the model's turn runs from <|assistant|> to <|observation|>.
    const tools = [...prompt.matchAll(/^## (\S+)$/gm)].map((m) => tool(m[1]!, { city: str }));
    const start = prompt.indexOf('<|assistant|>') + '<|assistant|>'.length;
    const output = prompt.slice(start, prompt.indexOf('<|observation|>') + '<|observation|>'.length);
    expect(output).toBe('\nget_weather\n{"city": "Beijing"}<|observation|>');
    expect(parseLegacyGlm4Call(output, tools)).toEqual({ name: 'get_weather', arguments: '{"city":"Beijing"}' });
  });

  it('GLM-4-0414: plain answers are not taken as calls', () => {
    const tools = [tool('get_weather', { city: str })];
    expect(parseLegacyGlm4Call('get_weather', tools)).toBeUndefined();
    expect(parseLegacyGlm4Call('get_weather\nis the tool I would use.', tools)).toBeUndefined();
    expect(parseLegacyGlm4Call('The weather\n{"city": "Beijing"}', tools)).toBeUndefined();
    expect(parseLegacyGlm4Call('get_time\n{}', tools)).toBeUndefined();
    expect(parseLegacyGlm4Call('get_weather\n[1, 2]', tools)).toBeUndefined();
    expect(parseLegacyGlm4Call('get_weather\n{city: Beijing}', tools)).toEqual({ name: 'get_weather', arguments: '{"city":"Beijing"}' });
  });
});

// ---- Beyond the tables ----

describe('typing values by the tool schema', () => {
  const call = (value: string, schema: unknown) =>
    (argsOf(parseRawToolCalls(`<tool_call>t<arg_key>v</arg_key><arg_value>${value}</arg_value></tool_call>`, [tool('t', { v: schema })]).calls)[0] as {
      v: unknown;
    }).v;

  it('keeps string values verbatim, even when they look like JSON', () => {
    expect(call('123_456', str)).toBe('123_456');
    expect(call('42', str)).toBe('42');
    expect(call(' true \n', str)).toBe(' true \n');
    expect(call('C:\\Users\\test', str)).toBe('C:\\Users\\test');
  });

  it('parses numbers, booleans, arrays and objects, including quoted digits for numbers', () => {
    expect(call('"42"', { type: 'number' })).toBe(42);
    expect(call('3.14', { type: 'number' })).toBe(3.14);
    expect(call('true', { type: 'boolean' })).toBe(true);
    expect(call('{"a": 1}', { type: 'object' })).toEqual({ a: 1 });
  });

  it('decodes the GLM-4.6 escaped-JSON array form (todo_write), with Windows paths and literal \\n', () => {
    const todos = '[{"id": "1", "content": "Read C:\\\\Users\\\\test.txt", "status": "pending"}, {"id": "2", "content": "Print \\\\n to see newline", "status": "pending"}]';
    expect(call(todos, { type: 'array' })).toEqual([
      { id: '1', content: 'Read C:\\Users\\test.txt', status: 'pending' },
      { id: '2', content: 'Print \\n to see newline', status: 'pending' },
    ]);
  });

  it('keeps a value that does not parse as the declared type, for validation to report', () => {
    expect(call('twenty', { type: 'integer' })).toBe('twenty');
  });

  it('types undeclared parameters by trying JSON (no Python literals: 123_456 stays a string)', () => {
    expect(call('7', undefined)).toBe(7);
    expect(call('2025-08-01', undefined)).toBe('2025-08-01');
    expect(call('123_456', undefined)).toBe('123_456');
  });
});

describe('streaming scanner', () => {
  const tools = [tool('get_weather', { city: str }), tool('write_to_file', { file_path: str, content: str })];

  it('gives identical results at every chunk size, including text between calls', () => {
    const text =
      'Checking Beijing.\n<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Beijing</arg_value>\n</tool_call>' +
      '\nAlso Shanghai.\n<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Shanghai</arg_value>\n</tool_call>';
    for (const pieces of rechunk(text)) {
      const result = stream(pieces, tools);
      expect(result.content).toBe('Checking Beijing.\n\nAlso Shanghai.\n');
      expect(argsOf(result.calls)).toEqual([{ city: 'Beijing' }, { city: 'Shanghai' }]);
      expect(result.unterminated).toBeUndefined();
    }
    expect(parseRawToolCalls(text, tools).content).toBe('Checking Beijing.\n\nAlso Shanghai.\n');
  });

  it('reassembles long file content fed line by line (vLLM #32829)', () => {
    // vLLM requires >= 10 argument fragments here; our scanner hands calls over whole, so what we check is that a
    // long value fed in many pieces arrives intact.
    const program = Array.from({ length: 25 }, (_, i) => `    line_${i} = [x for x in range(${i})]  # <tag> "quoted"\n`).join('');
    const text = `Writing it.\n<tool_call>write_to_file\n<arg_key>file_path</arg_key>\n<arg_value>/tmp/bubble_sort.py</arg_value>\n<arg_key>content</arg_key>\n<arg_value>${program}</arg_value>\n</tool_call>`;
    const lines = text.split(/(?<=\n)/);
    const result = stream(lines, tools);
    expect(result.content).toBe('Writing it.\n');
    expect(argsOf(result.calls)).toEqual([{ file_path: '/tmp/bubble_sort.py', content: program }]);
  });

  it('lets values contain call markup', () => {
    const value = 'Write <tool_call>x</tool_call> and <arg_key>k</arg_key> literally';
    const text = `<tool_call>write_to_file<arg_key>file_path</arg_key><arg_value>a.md</arg_value><arg_key>content</arg_key><arg_value>${value}</arg_value></tool_call>after`;
    for (const pieces of rechunk(text)) {
      const result = stream(pieces, tools);
      expect(argsOf(result.calls)).toEqual([{ file_path: 'a.md', content: value }]);
      expect(result.content).toBe('after');
    }
  });

  it('passes plain text through at once, holding back only a possible <tool_call> prefix', () => {
    const scanner = createRawToolCallScanner(tools);
    expect(scanner.push('a < b and c > d. ')).toEqual({ content: 'a < b and c > d. ' });
    expect(scanner.push('Next: <tool')).toEqual({ content: 'Next: ' });
    expect(scanner.push('box>')).toEqual({ content: '<toolbox>' });
    expect(scanner.push('<tool_ca')).toEqual({ content: '' });
    expect(scanner.end()).toEqual({ content: '<tool_ca', calls: [] });
  });

  it('reports a call cut off by the token limit as unterminated, not as a call', () => {
    const text = 'Let me look.<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Bei';
    const result = stream(rechunk(text)[2]!, tools);
    expect(result).toMatchObject({ content: 'Let me look.', calls: [], unterminated: '<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Bei' });
    expect(parseRawToolCalls(text, tools)).toEqual({ content: text, calls: [] });
  });

  it('reads a block with a missing </arg_value> leniently once it is closed', () => {
    const text = '<tool_call>get_weather<arg_key>city</arg_key><arg_value>Beijing</tool_call>ok';
    for (const pieces of rechunk(text)) expect(stream(pieces, tools)).toMatchObject({ content: 'ok', calls: [{ name: 'get_weather', arguments: '{"city":"Beijing"}' }] });
  });

  it('treats a literal <tool_call> followed by long prose as text', () => {
    // More than 256 characters without a newline or tag after `<tool_call>` cannot be a call name.
    const prose = `<tool_call> is the tag GLM uses ${'and so on '.repeat(40)}`;
    for (const pieces of rechunk(prose)) {
      const scanner = createRawToolCallScanner(tools);
      const shown = pieces.map((p) => scanner.push(p).content).join('');
      expect(shown + scanner.end().content).toBe(prose);
    }
    expect(parseRawToolCalls(prose, tools)).toEqual({ content: prose, calls: [] });
  });
});

describe('recoverCallsFromReasoning (vLLM test_glm45_fix shapes)', () => {
  const tools = [tool('bash', { command: str }), tool('str_replace_editor', { command: str, path: str, view_range: { type: 'array' } })];

  it('leaves plain reasoning alone', () => {
    const reasoning = 'This is just reasoning about the task.';
    expect(recoverCallsFromReasoning(reasoning, tools)).toEqual({ reasoning, calls: [] });
  });

  it('moves whole <tool_call> blocks out of reasoning, keeping the prose', () => {
    const reasoning = 'Step 1.\n<tool_call>bash<arg_key>command</arg_key><arg_value>ls</arg_value></tool_call>\nStep 2.\n<tool_call>bash<arg_key>command</arg_key><arg_value>pwd</arg_value></tool_call>';
    expect(recoverCallsFromReasoning(reasoning, tools)).toEqual({
      reasoning: 'Step 1.\n\nStep 2.',
      calls: [
        { name: 'bash', arguments: '{"command":"ls"}' },
        { name: 'bash', arguments: '{"command":"pwd"}' },
      ],
    });
  });

  it('recovers a body whose <tool_call> token was stripped', () => {
    const body = 'bash<arg_key>command</arg_key><arg_value>grep -n "def distance" /testbed/sympy/geometry/point.py</arg_value></tool_call>';
    expect(recoverCallsFromReasoning(body, tools)).toEqual({
      reasoning: '',
      calls: [{ name: 'bash', arguments: JSON.stringify({ command: 'grep -n "def distance" /testbed/sympy/geometry/point.py' }) }],
    });
  });

  it('recovers a multi-key headless body with typed values', () => {
    const body = 'str_replace_editor\n<arg_key>command</arg_key><arg_value>view</arg_value><arg_key>path</arg_key><arg_value>/testbed/p.py</arg_value><arg_key>view_range</arg_key><arg_value>[1, 100]</arg_value></tool_call>';
    expect(recoverCallsFromReasoning(body, tools).calls).toEqual([
      { name: 'str_replace_editor', arguments: '{"command":"view","path":"/testbed/p.py","view_range":[1,100]}' },
    ]);
  });

  it('recovers a whole block followed by a headless one, in order', () => {
    const reasoning = '<tool_call>bash<arg_key>command</arg_key><arg_value>grep -n def</arg_value></tool_call>bash<arg_key>command</arg_key><arg_value>pytest -k distance\n271</arg_value></tool_call>';
    expect(recoverCallsFromReasoning(reasoning, tools)).toEqual({
      reasoning: '',
      calls: [
        { name: 'bash', arguments: '{"command":"grep -n def"}' },
        { name: 'bash', arguments: '{"command":"pytest -k distance\\n271"}' },
      ],
    });
  });

  it('recovers a headless body after prose when its name is a declared tool', () => {
    // vLLM refuses this shape (its guard needs the whole reasoning to be the body); requiring a declared tool name
    // standing at a line start is our guard instead.
    const reasoning = 'Let me think about this carefully.\nbash<arg_key>command</arg_key><arg_value>ls</arg_value></tool_call>';
    expect(recoverCallsFromReasoning(reasoning, tools)).toEqual({
      reasoning: 'Let me think about this carefully.',
      calls: [{ name: 'bash', arguments: '{"command":"ls"}' }],
    });
  });

  it.each([
    ['a truncated headless body', 'bash<arg_key>command</arg_key><arg_value>grep -n def'],
    ['a truncated whole block', 'I will run:\n<tool_call>bash<arg_key>command</arg_key>'],
    ['a closing fragment only (its head is elsewhere)', '0.0, 0.0, 0.0</arg_value></tool_call>'],
    ['an undeclared name', 'python<arg_key>code</arg_key><arg_value>1+1</arg_value></tool_call>'],
    ['a name glued to prose', 'I will use mybash<arg_key>command</arg_key><arg_value>ls</arg_value></tool_call>'],
  ])('leaves %s in reasoning', (_label, reasoning) => {
    expect(recoverCallsFromReasoning(reasoning, tools)).toEqual({ reasoning, calls: [] });
  });
});
