import { afterEach, describe, expect, it } from 'vitest';
import { FakeHost } from './support/fake-host.ts';
import { KEY, renderRepl } from './support/render.tsx';
import { loadMarkdown } from '../../src/ui/markdown.ts';

let screens: Awaited<ReturnType<typeof renderRepl>>[] = [];
const open = async (host?: FakeHost) => {
  await loadMarkdown();
  const s = await renderRepl(host);
  screens.push(s);
  return s;
};
afterEach(() => {
  for (const s of screens) s.unmount();
  screens = [];
});

describe('the REPL', () => {
  it('sends a typed prompt and shows the streamed answer as Markdown', async () => {
    const s = await open();
    await s.type('hello');
    await s.press(KEY.enter);
    await s.waitFor(() => s.host.sessions[0]?.prompts.length === 1, 'the prompt to reach the session');
    expect(s.host.session.prompts).toEqual(['hello']);
    s.host.session.emit({ type: 'thinking_delta', text: 'Let me think about greeting.' });
    s.host.session.emit({ type: 'text_delta', text: '# Hi there\n\nSome **bold** text' });
    await s.waitFor('Some bold text');
    console.log(s.last());
    s.host.session.emit({ type: 'assistant_message', message: { role: 'assistant', content: '' }, finishReason: 'stop' });
    s.host.session.finish();
    await s.waitFor('Reasoning · 5 words');
    console.log(s.all().slice(-1500));
  });
});
