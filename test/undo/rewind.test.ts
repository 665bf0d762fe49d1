// rewindPoints and typedPrompt: which prompts /rewind offers, and what goes back into the input box.
import { describe, expect, it } from 'vitest';
import { rewindPoints, typedPrompt } from '../../src/undo/rewind.ts';
import type { Message } from '../../src/types.ts';

const user = (content: string): Message => ({ role: 'user', content });
const answer = (content: string): Message => ({ role: 'assistant', content });

describe('rewindPoints', () => {
  it('lists the typed prompts still in the history, skipping synthetic nudges, with their times', () => {
    const history = [user('one'), answer('a'), user('You finished thinking but gave no answer.'), answer('b'), user('two'), answer('c')];
    expect(rewindPoints(history, ['one', 'two'], ['t1', 't2'])).toEqual([
      { index: 0, prompt: 'one', at: 't1' },
      { index: 4, prompt: 'two', at: 't2' },
    ]);
  });

  it('gives a prompt sent again after a rewind its own time, not the rewound one', () => {
    const history = [user('one'), answer('a'), user('two'), answer('c')];
    expect(rewindPoints(history, ['one', 'two', 'three', 'two'], ['t1', 't2', 't3', 't4']).map((p) => p.at)).toEqual(['t1', 't4']);
  });

  it('leaves out prompts a compaction summarised', () => {
    const history = [user('Summary of the conversation so far: …'), answer('ok'), user('three')];
    expect(rewindPoints(history, ['one', 'two', 'three'], [])).toEqual([{ index: 2, prompt: 'three', at: undefined }]);
  });
});

describe('typedPrompt', () => {
  it('drops @file attachments and the output of !commands', () => {
    const sent = 'The user ran these shell commands themselves (with !) before this message; the output is what they saw:\n<bash-input>ls</bash-input>\n<bash-output status="exit 0">\na\n</bash-output>\n\nlook at @a.txt\n\n<file path="a.txt">\nhi\n</file>';
    expect(typedPrompt(sent)).toBe('look at @a.txt');
  });
});
