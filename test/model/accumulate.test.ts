import { describe, expect, test } from 'vitest';
import { createAccumulator } from '../../src/model/accumulate.ts';

const chunk = (delta: object, extra: object = {}) => ({ choices: [{ index: 0, delta, ...extra }] });

describe('chunk accumulator edge cases', () => {
  test('fragments without index are matched by id, then continue the current call', () => {
    const acc = createAccumulator();
    acc.push(chunk({ tool_calls: [{ id: 'call_1', function: { name: 'a', arguments: '{"x"' } }] }));
    acc.push(chunk({ tool_calls: [{ function: { arguments: ':1}' } }] }));
    acc.push(chunk({ tool_calls: [{ id: 'call_2', function: { name: 'b', arguments: '{}' } }] }));
    acc.push(chunk({ tool_calls: [{ id: 'call_1', function: { arguments: '' } }] }));
    expect(acc.result().toolCalls).toEqual([
      { index: undefined, id: 'call_1', name: 'a', arguments: '{"x":1}' },
      { index: undefined, id: 'call_2', name: 'b', arguments: '{}' },
    ]);
  });

  test('arguments sent as an object rather than JSON text are kept, as text', () => {
    const acc = createAccumulator();
    acc.push(chunk({ tool_calls: [{ index: 0, id: 'call_o', function: { name: 'Read', arguments: { file_path: 'a.txt' } } }] }));
    expect(acc.result().toolCalls).toEqual([{ index: 0, id: 'call_o', name: 'Read', arguments: '{"file_path":"a.txt"}' }]);
  });

  test('id and name come from whichever fragment has them', () => {
    const acc = createAccumulator();
    acc.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }));
    acc.push(chunk({ tool_calls: [{ index: 0, id: 'call_late', function: { name: 'late', arguments: '2}' } }] }));
    expect(acc.result().toolCalls).toEqual([{ index: 0, id: 'call_late', name: 'late', arguments: '{"a":2}' }]);
  });

  test('reasoning from reasoning_details alone; last non-null finish wins; other choices ignored', () => {
    const acc = createAccumulator();
    const events = acc.push(chunk({ reasoning_details: [{ type: 'reasoning.text', text: 'Hm' }] }));
    expect(events).toEqual([{ type: 'thinking_delta', text: 'Hm' }]);
    acc.push({ choices: [{ index: 1, delta: { content: 'other choice' } }] });
    acc.push(chunk({ content: 'A' }, { finish_reason: 'length' }));
    acc.push(chunk({ content: null }, { finish_reason: null }));
    acc.push(chunk({}, { finish_reason: 'stop' }));
    acc.push({ choices: [], usage: null });
    const turn = acc.result();
    expect(turn).toMatchObject({ content: 'A', reasoning: 'Hm', finishReason: 'stop' });
    expect(turn.usage).toBeUndefined();
  });

  test('non-object chunks are ignored', () => {
    const acc = createAccumulator();
    expect(acc.push('junk')).toEqual([]);
    expect(acc.push(null)).toEqual([]);
    expect(acc.result().chunks).toBe(0);
  });
});
