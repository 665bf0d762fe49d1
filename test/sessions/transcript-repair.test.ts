// Transcripts that went wrong are repaired, and transcripts stay small: a line cut short by a crash is dropped
// before anything is appended, an inconsistent conversation (two processes wrote it) is repaired on load with a
// notice, a display diff is not stored, and old saved outputs are pruned by age and total size.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneSavedOutputs } from '../../src/saved-outputs.ts';
import { restoreSession, Transcript } from '../../src/transcript.ts';
import type { AgentEvent, ToolCall } from '../../src/types.ts';

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'glm-repair-'));
const line = (event: AgentEvent) => JSON.stringify({ ts: '2026-01-01T00:00:00.000Z', event }) + '\n';
const user = (text: string): AgentEvent => ({ type: 'user_message', text });
const call = (id: string): ToolCall => ({ id, name: 'Read', arguments: '{"file_path":"a"}' });
const asks = (...ids: string[]): AgentEvent => ({ type: 'assistant_message', message: { role: 'assistant', content: '', toolCalls: ids.map(call) }, finishReason: 'tool_calls' });
const result = (id: string, output: string): AgentEvent => ({ type: 'tool_end', callId: id, name: 'Read', output, isError: false });
const answer = (text: string): AgentEvent => ({ type: 'assistant_message', message: { role: 'assistant', content: text }, finishReason: 'stop' });

describe('a transcript that went wrong', () => {
  it('loses a last line a crash cut short before anything is appended, so no unparseable line is left in the middle', () => {
    const file = path.join(dir(), 's.jsonl');
    writeFileSync(file, line(user('one')) + line(answer('first')) + '{"ts":"2026-01-01T00:00:01.000Z","event":{"type":"user_mess');
    new Transcript(file).append(user('two'));
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines.map((l) => JSON.parse(l).event.type)).toEqual(['user_message', 'assistant_message', 'user_message']);
    expect(restoreSession(file).prompts).toEqual(['one', 'two']);
  });

  it('is repaired on load when two processes interleaved it: every call answered once, in order, with a notice', () => {
    const file = path.join(dir(), 's.jsonl');
    // Process A and B both continued the session: their events interleave, and A's result for c1 comes late and twice.
    const events = [user('A'), user('B'), asks('c1'), asks('c2'), result('c2', 'two'), result('c1', 'one'), result('c2', 'two again'), answer('done')];
    writeFileSync(file, events.map(line).join(''));
    const restored = restoreSession(file);
    const shape = restored.history.map((m) => (m.role === 'tool' ? `tool:${m.toolCallId}:${m.content.slice(0, 11)}` : m.role === 'assistant' ? `assistant:${m.toolCalls?.map((c) => c.id).join(',') ?? ''}` : m.role));
    expect(shape).toEqual(['user', 'user', 'assistant:c1', 'tool:c1:Interrupted', 'assistant:c2', 'tool:c2:two', 'assistant:']);
    expect(restored.repaired).toMatch(/^this session's transcript was inconsistent .*: 2 tool results that answered no open call were left out/);
  });

  it('a consistent transcript needs no repair', () => {
    const file = path.join(dir(), 's.jsonl');
    writeFileSync(file, [user('go'), asks('c1', 'c2'), result('c1', 'one'), result('c2', 'two'), answer('done')].map(line).join(''));
    expect(restoreSession(file).repaired).toBeUndefined();
  });
});

describe('transcript growth', () => {
  it('stores what resume needs of an edit, not its display diff', () => {
    const file = path.join(dir(), 's.jsonl');
    const diff = '-old\n+new\n'.repeat(200_000);
    new Transcript(file).append({ type: 'tool_end', callId: 'c1', name: 'Edit', output: 'Edited a.txt', isError: false, display: { summary: '+1 -1', diff } });
    expect(statSync(file).size).toBeLessThan(500);
    expect(JSON.parse(readFileSync(file, 'utf8')).event).toMatchObject({ output: 'Edited a.txt', display: { summary: '+1 -1' } });
  });

  it('prunes saved full outputs older than 30 days, then the oldest until all sessions fit the limit', async () => {
    const data = dir();
    const now = Date.now();
    const save = (project: string, session: string, name: string, kb: number, daysAgo: number) => {
      const spill = path.join(data, 'sessions', project, session, 'spill');
      mkdirSync(spill, { recursive: true });
      const file = path.join(spill, name);
      writeFileSync(file, 'x'.repeat(kb * 1024));
      const t = new Date(now - daysAgo * 86_400_000);
      utimesSync(file, t, t);
    };
    save('-p1', 's1', 'ancient.txt', 1, 40);
    save('-p1', 's1', 'old.txt', 400, 10);
    save('-p2', 's2', 'middle.txt', 400, 5);
    save('-p2', 's3', 'new.txt', 400, 1);
    expect(await pruneSavedOutputs(data, 1000 * 1024, now)).toBe(2);
    const left = (p: string, s: string) => readdirSync(path.join(data, 'sessions', p, s, 'spill'));
    expect([...left('-p1', 's1'), ...left('-p2', 's2'), ...left('-p2', 's3')]).toEqual(['middle.txt', 'new.txt']);
  });
});
