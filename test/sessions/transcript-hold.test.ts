// A new session's transcript is written only once the model answered (or the user interrupted); --continue
// takes the newest session with an answer.
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestAnsweredSessionId, Transcript } from '../../src/transcript.ts';
import { emptyUsage, type AgentEvent } from '../../src/types.ts';

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'glm-transcript-'));
const user: AgentEvent = { type: 'user_message', text: 'hi' };
const answer: AgentEvent = { type: 'assistant_message', message: { role: 'assistant', content: 'hello' }, finishReason: 'stop' };
const done = (reason: 'error' | 'aborted' | 'completed'): AgentEvent => ({ type: 'done', reason, text: '', usage: emptyUsage(), turns: 1 });

describe('Transcript', () => {
  it('writes nothing for a run that ended without an answer', () => {
    const file = path.join(dir(), 'sessions', 'a.jsonl');
    const t = new Transcript(file, { holdUntilAnswered: true });
    t.append(user);
    t.append({ type: 'error', message: 'could not connect' });
    t.append(done('error'));
    expect(existsSync(file)).toBe(false);
    expect(existsSync(path.dirname(file))).toBe(false);
  });

  it('writes everything held, in order, once the model answers', () => {
    const file = path.join(dir(), 'a.jsonl');
    const t = new Transcript(file, { holdUntilAnswered: true });
    t.append(user);
    t.append(answer);
    t.append(done('completed'));
    const types = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).event.type);
    expect(types).toEqual(['user_message', 'assistant_message', 'done']);
  });

  it('keeps an interrupted run (the user is told how to resume it)', () => {
    const file = path.join(dir(), 'a.jsonl');
    const t = new Transcript(file, { holdUntilAnswered: true });
    t.append(user);
    t.append(done('aborted'));
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });
});

describe('latestAnsweredSessionId', () => {
  it('skips newer sessions in which the model never answered', () => {
    const d = dir();
    const write = (id: string, events: AgentEvent[], age: number) => {
      const file = path.join(d, `${id}.jsonl`);
      writeFileSync(file, events.map((event) => JSON.stringify({ ts: '', event }) + '\n').join(''));
      const t = new Date(Date.now() - age * 1000);
      utimesSync(file, t, t);
    };
    write('old-answered', [user, answer, done('completed')], 30);
    write('newer-answered', [user, answer, done('completed')], 20);
    write('newest-unanswered', [{ type: 'user_message', text: 'mentions "assistant_message" in text' }, done('error')], 10);
    expect(latestAnsweredSessionId(d)).toBe('newer-answered');
    expect(latestAnsweredSessionId(path.join(d, 'none'))).toBeUndefined();
  });
});
