// The REPL's status line and /cost after what changes them at once (/model, /compact, a known cost), and a
// resumed session's earlier conversation on screen: ink-testing-library over a scripted host.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadMarkdown } from '../../src/ui/markdown.ts';
import type { ReplSession } from '../../src/ui/host.ts';
import { FakeHost, FakeSession } from './support/fake-host.ts';
import { KEY, renderRepl } from './support/render.tsx';
import type { AgentEvent, Approver, Config } from '../../src/types.ts';

type Screen = Awaited<ReturnType<typeof renderRepl>>;
let screens: Screen[] = [];
beforeAll(() => loadMarkdown());
afterEach(() => {
  for (const s of screens) s.unmount();
  screens = [];
});

const WINDOWS: Record<string, number> = { 'glm-4.6': 200_000, 'glm-small': 100_000 };

/** A session that, like the real one, changes its configuration (and window) with /model. */
class ConfiguredSession extends FakeSession {
  earlier: AgentEvent[] = [];
  constructor(
    id: string,
    approver: Approver,
    private readonly base: Config,
  ) {
    super(id, approver, base);
  }
  get config(): Config {
    // Like the model table: a `…v` model (glm-4.6v) takes images.
    const known = Object.hasOwn(WINDOWS, this.model) || /v$/.test(this.model);
    return { ...this.base, model: this.model, modelInfo: { ...this.base.modelInfo, contextWindow: WINDOWS[this.model] ?? 8_000, vision: /v$/.test(this.model), known } };
  }
  earlierEvents(): AgentEvent[] {
    return this.earlier;
  }
}

class ConfiguredHost extends FakeHost {
  earlier: AgentEvent[] = [];
  override async openSession(o: { approver: Approver; resumeId?: string }): Promise<ReplSession> {
    const s = new ConfiguredSession(o.resumeId ?? `s${this.sessions.length + 1}`, o.approver, this.config);
    s.earlier = this.earlier;
    this.sessions.push(s);
    return s;
  }
}

async function open(host: FakeHost = new ConfiguredHost()): Promise<Screen> {
  const s = await renderRepl(host);
  screens.push(s);
  return s;
}

async function command(s: Screen, text: string): Promise<void> {
  await s.type(text);
  await s.press(KEY.enter);
}

describe('status line and /model: the vision model in use', () => {
  it('a text-only model with vision routing shows the vision model; /model says it; a vision model shows none', async () => {
    const s = await open(new ConfiguredHost({ config: { model: 'glm-4.6', visionModel: 'glm-5v-turbo' } }));
    await s.waitFor(() => s.last().includes('glm-4.6 (images: glm-5v-turbo) · zai'), 'the vision model on the status line');
    await command(s, '/model');
    await s.waitFor('Model: glm-4.6; it is text-only, so images are described by glm-5v-turbo.');
    await command(s, '/model glm-4.6v');
    await s.waitFor('Model: glm-4.6v, context window 8k; it takes images itself (from the next request).');
    await s.waitFor(() => s.last().includes('glm-4.6v · zai'), 'the vision model itself on the status line');
    expect(s.last()).not.toContain('images:');
  });

  it('/model with an id glm does not know says so, and the known id it is a typo of', async () => {
    const host = new ConfiguredHost({ config: { model: 'glm-4.6' } });
    host.knownModels = ['glm-4.6', 'glm-small'];
    const s = await open(host);
    await command(s, '/model gml-4.6');
    // The notice wraps at the terminal's width: match its words across line ends.
    const said = (text: string) => new RegExp(text.replace(/[.?()]/g, '\\$&').replace(/ /g, '\\s+'));
    await s.waitFor(said('glm does not know this model (did you mean glm-4.6?), so its window is a guess.'));
    await command(s, '/model my-finetune');
    await s.waitFor(said('(from the next request). glm does not know this model, so its window is a guess.'));
  });

  it('no vision model set: /model says images are left out; the status line shows no vision model', async () => {
    const s = await open(new ConfiguredHost({ config: { model: 'glm-4.6' } }));
    await command(s, '/model');
    await s.waitFor('Model: glm-4.6; it is text-only and no vision model is set, so images are left out.');
    expect(s.last()).not.toContain('images:');
  });
});

describe('status line: context after /model and /compact', () => {
  it('shows the new window and share right after /model, before any request', async () => {
    const s = await open();
    s.host.session.contextTokens = 50_000;
    await command(s, '/model glm-small');
    await s.waitFor('Model: glm-small, context window 100k');
    await s.waitFor(() => s.last().includes('glm-small · zai · ctx 50k (50%)'), 'the status line with the new window');
    // A session opened later (/clear) keeps the chosen model.
    await command(s, '/clear');
    await s.waitFor(() => s.host.sessions.length === 2, 'a new session');
    expect(s.host.session.model).toBe('glm-small');
    await s.waitFor(() => s.last().includes('glm-small · zai · ctx 0 (0%)'), 'the new session on the status line');
  });

  it('shows the smaller context right after /compact', async () => {
    const host = new ConfiguredHost();
    host.commands = [
      {
        name: 'compact',
        description: 'summarise the conversation',
        run: (ctx) => {
          (ctx.session as FakeSession).contextTokens = 12_000;
        },
      },
    ];
    const s = await open(host);
    s.host.session.contextTokens = 150_000;
    s.host.session.emit({ type: 'turn_end', turn: 1 });
    await s.waitFor(() => s.last().includes('ctx 150k (75%)'), 'the full context');
    await command(s, '/compact');
    await s.waitFor(() => s.last().includes('ctx 12k (6%)'), 'the compacted context');
  });

  it('updates on a compaction event from the session (automatic compaction)', async () => {
    const s = await open();
    const session = s.host.session;
    session.contextTokens = 9_000;
    session.emit({ type: 'compaction', beforeTokens: 180_000, afterTokens: 9_000, summary: 'summarised' });
    await s.waitFor(() => s.last().includes('ctx 9k (5%)'), 'the context after compaction');
  });
});

describe('status line and /cost: the cost when it is known', () => {
  it('shows the cost beside the tokens, and /cost lists it', async () => {
    const s = await open();
    const session = s.host.session;
    session.usage = { inputTokens: 10_000, outputTokens: 2_000, cachedTokens: 4_000, reasoningTokens: 500, cost: 0.01234 };
    session.emit({ type: 'turn_end', turn: 1 });
    await s.waitFor(() => s.last().includes('12k tokens · $0.0123'), 'the cost on the status line');
    await command(s, '/cost');
    await s.waitFor('Cost: $0.0123');
  });

  it('shows no cost when no price is known, and /cost says how to set one', async () => {
    const s = await open();
    const session = s.host.session;
    session.usage = { inputTokens: 10_000, outputTokens: 2_000, cachedTokens: 0, reasoningTokens: 0 };
    session.emit({ type: 'turn_end', turn: 1 });
    await s.waitFor(() => s.last().includes('12k tokens'), 'the tokens');
    expect(s.last()).not.toContain('$');
    await command(s, '/cost');
    await s.waitFor('Cost: not known');
    expect(s.all()).toContain('"prices"');
    expect(s.all()).not.toContain('$0');
  });
});

describe('resumed session: the earlier conversation on screen', () => {
  const earlier: AgentEvent[] = [
    { type: 'session_start', sessionId: 'old', cwd: '/x', model: 'glm-4.5', provider: 'zai', permissionMode: 'plan', tools: [], resumed: false },
    { type: 'user_message', text: 'what does @notes.txt say?\n\n<file path="notes.txt">\nsecret attachment\n</file>' },
    { type: 'turn_start', turn: 1 },
    { type: 'assistant_message', message: { role: 'assistant', content: '', reasoning: 'Let me read it.', toolCalls: [{ id: 'r1', name: 'Read', arguments: '{}' }] }, finishReason: 'tool_calls' },
    { type: 'tool_start', callId: 'r1', name: 'Read', input: {}, title: 'Read notes.txt' },
    { type: 'tool_end', callId: 'r1', name: 'Read', output: 'the file text', display: { summary: '3 lines' }, isError: false },
    { type: 'assistant_message', message: { role: 'assistant', content: 'It says **hello**.' }, finishReason: 'stop' },
    { type: 'turn_end', turn: 2 },
    { type: 'done', reason: 'completed', text: 'It says **hello**.', usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 }, turns: 2 },
  ];

  it('shows prompts, answers as Markdown, tool lines and collapsed reasoning, then the prompt', async () => {
    const host = new ConfiguredHost();
    host.resumeId = 'old';
    host.earlier = earlier;
    const s = await open(host);
    await s.waitFor('Resumed session old.');
    const all = s.all();
    expect(all).toContain('what does @notes.txt say?');
    expect(all).not.toContain('secret attachment');
    expect(all).toContain('Reasoning · 4 words');
    expect(all).toContain('Read notes.txt');
    expect(all).toContain('3 lines');
    expect(all).toContain('It says hello.');
    expect(all.indexOf('It says hello.')).toBeLessThan(all.indexOf('Resumed session old.'));
    // The old session_start does not overwrite the mode or model of the REPL, and nothing is left running.
    expect(s.last()).toContain('default mode');
    expect(s.last()).toContain('glm-4.6');
    await s.waitFor('Ask anything');
  });

  it('shows the same for /resume', async () => {
    const host = new ConfiguredHost();
    host.past = [{ id: 'old', updatedAt: '2026-01-01T10:00:00Z', firstPrompt: 'what does', turns: 2 }];
    const s = await open(host);
    host.earlier = earlier;
    await command(s, '/resume');
    await s.waitFor('Resume which session?');
    await s.press(KEY.enter);
    await s.waitFor('Resumed session old.');
    expect(s.all()).toContain('It says hello.');
  });
});
