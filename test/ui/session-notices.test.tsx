// The REPL shows a session's notices (a memory file left out, and why) when it opens, and not again when /clear
// opens the next session with the same notices.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Approver } from '../../src/types.ts';
import type { ReplSession } from '../../src/ui/host.ts';
import { loadMarkdown } from '../../src/ui/markdown.ts';
import { FakeHost } from './support/fake-host.ts';
import { KEY, renderRepl } from './support/render.tsx';

const NOTICE = 'AGENTS.md not loaded: it resolves to ~/.ssh/id_rsa, outside the project';

class NoticeHost extends FakeHost {
  override async openSession(opts: { approver: Approver; resumeId?: string }): Promise<ReplSession> {
    return Object.assign(await super.openSession(opts), { notices: [NOTICE] });
  }
}

let unmount: (() => void) | undefined;
beforeAll(() => loadMarkdown());
afterEach(() => unmount?.());

describe('session notices in the REPL', () => {
  it('are shown once', async () => {
    const s = await renderRepl(new NoticeHost());
    unmount = s.unmount;
    await s.waitFor(NOTICE);
    const later: string[] = [];
    const dispatch = s.controller.store.dispatch.bind(s.controller.store);
    s.controller.store.dispatch = (action) => {
      if (action.type === 'notice') later.push(action.text);
      dispatch(action);
    };
    await s.type('/clear');
    await s.press(KEY.enter);
    await s.waitFor(() => s.host.sessions.length === 2, 'the second session');
    await s.settle();
    expect(later).toEqual(['New session s2.']);
  });
});
