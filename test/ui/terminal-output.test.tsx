// A command's output as the terminal would leave it: progress bars' carriage returns overwrite their line (in
// the live tail and the finished tail), colour sequences go, anything else stays to be shown escaped.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadMarkdown } from '../../src/ui/markdown.ts';
import { lastOutputLines, settleOutput } from '../../src/ui/terminal-output.ts';
import { renderRepl } from './support/render.tsx';
import { KEY } from './support/render.tsx';

let unmount: (() => void) | undefined;
beforeAll(() => loadMarkdown());
afterEach(() => unmount?.());

describe('settleOutput', () => {
  it('keeps what a carriage return leaves on each line, and drops colours', () => {
    expect(settleOutput('get 10%\rget 50%\rget 100%\ndone\r\n')).toBe('get 100%\ndone\n');
    expect(settleOutput('half\r')).toBe('half');
    expect(settleOutput('\x1b[32mok\x1b[39m \x1b]0;t\x07')).toBe('ok \x1b]0;t\x07');
  });

  it('gives the last lines and how many came before', () => {
    expect(lastOutputLines('a\nb\nc\n\n', 2)).toEqual({ lines: ['b', 'c'], more: 1 });
    expect(lastOutputLines('', 2)).toEqual({ lines: [], more: 0 });
  });
});

describe('the live tail of a running command', () => {
  it('shows a progress bar as its latest state, never a \\r', async () => {
    const s = await renderRepl();
    unmount = s.unmount;
    await s.type('go');
    await s.press(KEY.enter);
    await s.waitFor(() => s.host.sessions.some((x) => x.prompts.length > 0), 'the prompt');
    const session = s.host.session;
    session.emit({ type: 'tool_start', callId: 'b', name: 'Bash', input: { command: 'npm i' }, title: 'Bash npm i' });
    session.emit({ type: 'tool_output', callId: 'b', chunk: 'fetch 10%\r' });
    session.emit({ type: 'tool_output', callId: 'b', chunk: 'fetch 70%\r' });
    await s.waitFor(() => s.last().includes('fetch 70%'), 'the progress line');
    expect(s.last()).not.toContain('fetch 10%');
    expect(s.last()).not.toContain('\\r');
  });
});
