// The REPL's view of a subagent: its Task is one live line with a count of the subagent's tool calls, the latest
// one under it; once done, the nested lines stay collapsed unless the transcript view (ctrl+t) is on.
import { describe, expect, it } from 'vitest';
import { initialState, reduce, type UiInput, type UiState } from '../../src/ui/state.ts';
import type { AgentEvent } from '../../src/types.ts';

const start = () => initialState({ model: 'glm-5.2', provider: 'zai', thinking: true, mode: 'default' });
const run = (s: UiState, inputs: UiInput[]) => inputs.reduce(reduce, s);
const sub = (event: AgentEvent): AgentEvent => ({ type: 'subagent', callId: 't1', agent: 'Explore', event });
const grep = (id: string): AgentEvent => ({ type: 'tool_end', callId: id, name: 'Grep', title: `Grep ${id}`, output: 'x', isError: false });

describe('a Task in the REPL', () => {
  const events: AgentEvent[] = [
    { type: 'turn_start', turn: 1 },
    { type: 'tool_start', callId: 't1', name: 'Task', input: {}, title: 'Task(Explore: find config)' },
    sub({ type: 'tool_start', callId: 's1', name: 'Grep', input: {}, title: 'Grep s1' }),
    sub(grep('s1')),
    sub(grep('s2')),
  ];

  it('counts the subagent tool calls on its one live line and shows the latest', () => {
    const s = run(start(), events);
    expect(s.live.tools).toHaveLength(1);
    expect(s.live.tools[0]).toMatchObject({ title: 'Task(Explore: find config)', nested: ['✓ Grep s1', '✓ Grep s2'], tail: '✓ Grep s2' });
  });

  it('keeps the nested lines collapsed when done, and shows them with ctrl+t', () => {
    const end: AgentEvent = { type: 'tool_end', callId: 't1', name: 'Task', output: 'found', display: { summary: '2 tool calls, 2 turns, 900 tokens' }, isError: false };
    const collapsed = run(start(), [...events, end]);
    expect(collapsed.finished.at(-1)).toMatchObject({ kind: 'tool', title: 'Task(Explore: find config)', summary: '2 tool calls, 2 turns, 900 tokens' });
    expect(collapsed.finished.at(-1)).not.toHaveProperty('nested');
    const expanded = run(start(), [{ type: 'toggle_reasoning' }, ...events, end]);
    expect(expanded.finished.at(-1)).toMatchObject({ nested: ['✓ Grep s1', '✓ Grep s2'] });
  });
});
