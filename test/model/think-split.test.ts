import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createThinkSplitter, splitThink, type ThinkSplitOptions } from '../../src/model/think-split.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');

interface ReasoningCase {
  id: string;
  streaming: boolean;
  input: string;
  expected: { reasoning: string | null; content: string | null };
}
interface ReasoningTable {
  cases: ReasoningCase[];
  is_reasoning_end_cases?: { id: string; input: string; expected: { is_reasoning_end: boolean } }[];
}

const glm45 = JSON.parse(fixture('vllm-glm45-reasoning-parser-cases.json')) as ReasoningTable;
const glm47 = JSON.parse(fixture('vllm-glm47-reasoning-parser-cases.json')) as ReasoningTable;

/** Feeds `text` to a fresh splitter in pieces of `size` and returns everything it emitted. */
function stream(text: string, opts: ThinkSplitOptions, pieces: string[]): { reasoning: string; content: string } {
  const splitter = createThinkSplitter(opts);
  let reasoning = '';
  let content = '';
  for (const piece of pieces) {
    const out = splitter.push(piece);
    reasoning += out.reasoning;
    content += out.content;
  }
  const out = splitter.end();
  return { reasoning: reasoning + out.reasoning, content: content + out.content };
}

function chunkings(text: string): string[][] {
  const result: string[][] = [[text]];
  for (const size of [1, 2, 3, 5, 8]) {
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
    result.push(pieces);
  }
  for (let cut = 1; cut < text.length; cut++) result.push([text.slice(0, cut), text.slice(cut)]);
  return result;
}

const tables: [string, ReasoningTable, ThinkSplitOptions][] = [
  ['glm45 (output may open with <think>)', glm45, { startsInThinking: false }],
  ['glm47 (output starts inside thinking)', glm47, { startsInThinking: true }],
];

describe.each(tables)('vLLM %s reasoning-parser table', (_label, table, opts) => {
  const nonStream = table.cases.filter((c) => !c.streaming);
  const streamed = table.cases.filter((c) => c.streaming);

  it.each(nonStream.map((c) => [c.id, c] as const))('splitThink: %s', (_id, c) => {
    const result = splitThink(c.input, opts);
    // null (Python None) is an absent field in our result.
    expect(result.reasoning).toBe(c.expected.reasoning ?? undefined);
    expect(result.content).toBe(c.expected.content ?? undefined);
  });

  it.each(streamed.map((c) => [c.id, c] as const))('stream splitter, every chunking: %s', (_id, c) => {
    // A stream has no "absent": null means nothing was emitted on that side.
    for (const pieces of chunkings(c.input)) {
      expect(stream(c.input, opts, pieces), JSON.stringify(pieces)).toEqual({
        reasoning: c.expected.reasoning ?? '',
        content: c.expected.content ?? '',
      });
    }
  });
});

describe('vLLM glm45 is_reasoning_end prompts', () => {
  // These assert a server-side question (has the last assistant turn closed </think>?) on rendered prompts;
  // we have no such function. Our equivalent: split the last assistant turn of each prompt as a stream and
  // check whether anything reached content, which happens exactly when reasoning has ended.
  it.each((glm45.is_reasoning_end_cases ?? []).map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const lastTurn = c.input.slice(c.input.lastIndexOf('<|assistant|>') + '<|assistant|>'.length);
    const splitter = createThinkSplitter({});
    const out = splitter.push(lastTurn);
    expect(out.reasoning.length).toBeGreaterThan(0);
    expect(out.content !== '').toBe(c.expected.is_reasoning_end);
  });
});

describe('think splitter behaviour beyond the tables', () => {
  it('passes content through immediately when there are no tags', () => {
    const splitter = createThinkSplitter({});
    expect(splitter.push('Hello')).toEqual({ reasoning: '', content: 'Hello' });
    expect(splitter.push(' world <think>x</think>')).toEqual({ reasoning: '', content: ' world <think>x</think>' });
    expect(splitter.end()).toEqual({ reasoning: '', content: '' });
  });

  it('holds back only a possible partial <think> at the start, and gives it back if it was not one', () => {
    const splitter = createThinkSplitter({});
    expect(splitter.push('\n<thi')).toEqual({ reasoning: '', content: '' });
    expect(splitter.push('s is content')).toEqual({ reasoning: '', content: '\n<this is content' });
    const cut = createThinkSplitter({});
    expect(cut.push('<thin')).toEqual({ reasoning: '', content: '' });
    expect(cut.end()).toEqual({ reasoning: '', content: '<thin' });
  });

  it('handles </think> split across chunks in a stream that starts inside reasoning', () => {
    const splitter = createThinkSplitter({ startsInThinking: true });
    expect(splitter.push('Need the tool.</thi')).toEqual({ reasoning: 'Need the tool.', content: '' });
    expect(splitter.push('nk>Checking.')).toEqual({ reasoning: '', content: 'Checking.' });
  });

  it('gives back a partial </think> as reasoning when the stream ends inside reasoning', () => {
    const splitter = createThinkSplitter({ startsInThinking: true });
    expect(splitter.push('thinking </th')).toEqual({ reasoning: 'thinking ', content: '' });
    expect(splitter.end()).toEqual({ reasoning: '</th', content: '' });
  });

  it('splits the recorded GLM-4.5 and GLM-4.7 raw outputs', () => {
    const raw45 = fixture('glm45-raw-output-tool-call.txt');
    const split45 = splitThink(raw45, {});
    expect(split45.reasoning).toBe('The user wants the weather. I should call get_weather.');
    expect(split45.content?.startsWith('\nI will help you get the weather.\n<tool_call>get_weather')).toBe(true);
    expect(stream(raw45, {}, chunkings(raw45)[1]!)).toEqual({ reasoning: split45.reasoning, content: split45.content });

    const raw47 = fixture('glm47-raw-output-tool-call.txt');
    const split47 = splitThink(raw47, { startsInThinking: true });
    expect(split47.reasoning).toBe('The user wants the weather.');
    expect(split47.content?.startsWith('Checking.<tool_call>get_weather')).toBe(true);
  });

  it('strips leading whitespace before an opening <think> and keeps text after </think> verbatim', () => {
    expect(splitThink('\n\n<think>r</think>\nanswer', {})).toEqual({ reasoning: 'r', content: '\nanswer' });
    expect(splitThink('<think></think>', {})).toEqual({ reasoning: '', content: undefined });
    expect(splitThink('', {})).toEqual({ content: undefined });
  });
});
