import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/ui/state.ts';
import { UiStore } from '../../src/ui/store.ts';

const store = () => new UiStore(initialState({ model: 'm', provider: 'p', thinking: true, mode: 'default' }), 30);
const next = () => new Promise((r) => setTimeout(r, 60));

describe('UiStore', () => {
  it('coalesces a burst of streaming deltas into one render', async () => {
    const s = store();
    let renders = 0;
    s.subscribe(() => renders++);
    for (let i = 0; i < 1000; i++) s.dispatch({ type: 'text_delta', text: `w${i} ` });
    expect(renders).toBe(0);
    await next();
    expect(renders).toBe(1);
    expect(s.getState().live.text.startsWith('w0 w1 ')).toBe(true);
  });

  it('renders other changes on the next tick, taking pending deltas along', async () => {
    const s = store();
    let renders = 0;
    s.subscribe(() => renders++);
    s.dispatch({ type: 'text_delta', text: 'partial' });
    s.dispatch({ type: 'notice', text: 'hello' });
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 1));
    expect(renders).toBe(1);
    await next();
    expect(renders).toBe(1);
  });

  it('does not render when nothing changed', async () => {
    const s = store();
    let renders = 0;
    s.subscribe(() => renders++);
    s.dispatch({ type: 'approval_close' });
    s.dispatch({ type: 'user_message', text: 'ignored' });
    await next();
    expect(renders).toBe(0);
  });
});
