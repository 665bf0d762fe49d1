// How `/mcp__server__prompt args` turns typed words into a prompt's arguments and its messages into a turn.
import { describe, expect, it } from 'vitest';
import { promptArgs, promptText, splitArgs } from '../../src/repl-mcp-prompts.ts';

const weather = { name: 'weather', arguments: [{ name: 'city', required: true }, { name: 'state' }] };

describe('MCP prompt commands', () => {
  it('split words keeping quoted spaces', () => {
    expect(splitArgs(`Paris "New York" 'a b' c\\"d`)).toEqual(['Paris', 'New York', 'a b', 'c\\"d']);
  });

  it('fill arguments by position or name, join extra words into the last, and name what is missing', () => {
    expect(promptArgs(weather, 'Paris')).toEqual({ city: 'Paris' });
    expect(promptArgs(weather, 'state=TX Austin')).toEqual({ city: 'Austin', state: 'TX' });
    expect(promptArgs(weather, '"San Jose" California USA')).toEqual({ city: 'San Jose', state: 'California USA' });
    expect(promptArgs(weather, '')).toBe('needs city');
    expect(promptArgs({ name: 'free' }, 'any words')).toEqual({ input: 'any words' });
  });

  it('turn messages into one user turn; other roles are marked; resources inline', () => {
    expect(promptText([{ role: 'user', content: { type: 'text', text: 'Review this.' } }])).toBe('Review this.');
    expect(
      promptText([
        { role: 'user', content: { type: 'resource', resource: { uri: 'file:///a.txt', mimeType: 'text/plain', text: 'A' } } },
        { role: 'assistant', content: { type: 'text', text: 'Noted.' } },
      ]),
    ).toBe('[resource file:///a.txt (text/plain)]\nA\n\n[assistant] Noted.');
  });
});
