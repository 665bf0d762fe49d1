// Stubbing old tool outputs: only large ones, only older than the last turns, each naming a file that holds
// the full text (the truncation spill file when there is one), and replayable onto a rebuilt history.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyStubs, isStub, stubOldOutputs } from '../../src/context/stubs.ts';
import type { Message } from '../../src/types.ts';

const big = (tag: string) => Array.from({ length: 80 }, (_, i) => `${tag} line ${i} with some text in it`).join('\n');

/** `n` turns, each a Read call and its result. */
function conversation(outputs: string[]): Message[] {
  const history: Message[] = [{ role: 'user', content: 'look at everything' }];
  outputs.forEach((output, i) => {
    history.push({ role: 'assistant', content: '', toolCalls: [{ id: `call_${i}`, name: 'Read', arguments: `{"file_path":"f${i}"}` }] });
    history.push({ role: 'tool', toolCallId: `call_${i}`, name: 'Read', content: output });
  });
  return history;
}

const toolMessages = (history: Message[]) => history.filter((m): m is Extract<Message, { role: 'tool' }> => m.role === 'tool');

describe('stubOldOutputs', () => {
  it('replaces large outputs older than the last three turns with one-line stubs naming the full text', async () => {
    const spill = await mkdtemp(path.join(os.tmpdir(), 'glm-stub-'));
    const outputs = [big('a'), 'tiny', big('c'), big('d'), big('e'), big('f')];
    const history = conversation(outputs);
    const stubs = stubOldOutputs(history, 3, spill);
    const contents = toolMessages(history).map((m) => m.content);
    // a and c are old and large; "tiny" is not worth a stub; d, e, f are the last three turns.
    expect(stubs.map((s) => s.id)).toEqual(['call_0', 'call_2']);
    expect(contents.map(isStub)).toEqual([true, false, true, false, false, false]);
    expect(contents.slice(3)).toEqual(outputs.slice(3));
    for (const [i, stub] of [contents[0], contents[2]].entries()) {
      expect(stub.split('\n')).toHaveLength(1);
      expect(stub).toMatch(/Read returned 80 lines/);
      const file = /The full text is in (\S+);/.exec(stub)![1];
      expect(await readFile(file, 'utf8')).toBe(outputs[i * 2]);
    }
    // A second pass finds nothing more to do.
    expect(stubOldOutputs(history, 3, spill)).toEqual([]);
  });

  it('names the spill file a truncated output already points to', async () => {
    const spill = await mkdtemp(path.join(os.tmpdir(), 'glm-stub-'));
    const full = path.join(spill, 'output-1.txt');
    await writeFile(full, 'the whole thing');
    const truncated = `${big('x')}\n[Output truncated: showing lines 1–80 of 5000, long lines cut. Full output (5000 lines) saved to ${full}; read parts of it with Read (offset/limit) or search it with Grep.]`;
    const history = conversation([truncated, 'b', 'c', 'd']);
    stubOldOutputs(history, 3, spill);
    expect(toolMessages(history)[0].content).toContain(`The full text is in ${full};`);
  });

  it('replays recorded stubs onto the oldest matching outputs, even when ids repeat', async () => {
    const spill = await mkdtemp(path.join(os.tmpdir(), 'glm-stub-'));
    const live = conversation([big('a'), big('b'), 'c', 'd', 'e']);
    // Some servers number calls per turn: call_0 every time.
    for (const m of live) {
      if (m.role === 'tool') m.toolCallId = 'call_0';
      if (m.role === 'assistant') m.toolCalls![0].id = 'call_0';
    }
    const rebuilt = structuredClone(live);
    const stubs = stubOldOutputs(live, 3, spill);
    expect(stubs).toHaveLength(2);
    applyStubs(rebuilt, stubs);
    expect(rebuilt).toEqual(live);
  });
});
