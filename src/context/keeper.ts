// Keeps a session's conversation inside the model's window: estimates each request (calibrated by the
// server's counts), stubs old tool outputs first, compacts when that is not enough, and records both so a
// resumed session sends the same messages. Implements the loop's ContextGuard; imports no front end.
import { compactHistory, KEEP_TURNS } from './compact.ts';
import { stubOldOutputs } from './stubs.ts';
import { TokenCalibrator } from './tokens.ts';
import type { ContextGuard } from '../agent.ts';
import type { TodoItem } from '../tool.ts';
import type { ContextRecord } from '../transcript.ts';
import type { AgentEvent, Message, ModelClient, ModelRequest, ToolSchema, Usage } from '../types.ts';

/** Stubbing alone is enough when it brings the next request under this share of the compaction limit. */
const STUB_TARGET = 0.7;

export interface KeeperOptions {
  window: number;
  /** Share of the window a request may reach before shrinking. */
  threshold: number;
  /** false: shrink only on overflow or when asked (/compact). */
  auto: boolean;
  /** The session's history, changed in place. */
  history: Message[];
  /** Read at each use: a tool set's MCP servers may change between requests. */
  tools: () => ToolSchema[];
  spillDir: string;
  client: () => ModelClient;
  system: () => string;
  /** Re-reads the memory files and renders the system prompt again; called after each compaction. */
  refreshSystem: () => Promise<void>;
  prompts: () => readonly string[];
  todos: () => readonly TodoItem[];
  files: () => readonly string[];
  emit: (event: AgentEvent) => void;
  record: (record: ContextRecord) => void;
  /** Tokens a summarising request used (they count towards the session's totals). */
  spent?: (usage: Usage) => void;
  /** Around a summarising compaction: PreCompact and SessionStart (compact) hooks (src/hooks/). */
  hooks?: {
    before(trigger: 'manual' | 'auto', focus: string | undefined, signal: AbortSignal): Promise<void>;
    after(signal: AbortSignal): Promise<void>;
  };
}

export interface ShrinkResult {
  compacted: boolean;
  usage?: Usage;
  beforeTokens?: number;
  afterTokens?: number;
  /** The model could not summarise (the history was still compacted, without its summary). */
  failure?: string;
}

export class ContextKeeper implements ContextGuard {
  private readonly calibrator = new TokenCalibrator();
  /** After a compaction that could not get under the limit: do not try again until the estimate grows past this. */
  private stuckAt = 0;

  constructor(private readonly o: KeeperOptions) {}

  get window(): number {
    return this.o.window;
  }

  /** /model: the next requests go to a model with this window. */
  setWindow(window: number): void {
    this.o.window = window;
  }

  /** Tokens at which the history is shrunk. */
  get limit(): number {
    return Math.floor(this.o.window * this.o.threshold);
  }

  /** The calibrated size of the next request as the history stands (the last estimate is what `observe` compares). */
  estimate(): number {
    return this.calibrator.estimate(this.request());
  }

  private request(): ModelRequest {
    return { system: this.o.system(), messages: this.o.history, tools: this.o.tools() };
  }

  async prepare(signal: AbortSignal): Promise<{ system: string; usage?: Usage }> {
    const before = this.estimate();
    if (!this.o.auto || before <= this.limit || before < this.stuckAt) return { system: this.o.system() };
    const result = await this.shrink(signal, { before, summarise: false });
    this.estimate(); // the request about to be sent, for `observe`
    return { system: this.o.system(), usage: result.usage };
  }

  observe(usage: Usage): void {
    this.calibrator.observe(usage.inputTokens);
  }

  async overflow(signal: AbortSignal): Promise<{ compacted: boolean; usage?: Usage }> {
    // The server counted more than we estimated: never trust stubbing alone here.
    const result = await this.shrink(signal, { before: Math.max(this.estimate(), this.o.window), summarise: true });
    this.estimate();
    return result;
  }

  /** `/compact [focus]`: stub and summarise now, whatever the size, keeping only the latest turn whole. */
  async compact(signal: AbortSignal, focus?: string): Promise<ShrinkResult> {
    const result = await this.shrink(signal, { before: this.estimate(), summarise: true, focus, keepTurns: 1 });
    this.estimate();
    return result;
  }

  private async shrink(signal: AbortSignal, o: { before: number; summarise: boolean; focus?: string; keepTurns?: number }): Promise<ShrinkResult> {
    const stubs = stubOldOutputs(this.o.history, KEEP_TURNS, this.o.spillDir);
    if (stubs.length) this.o.record({ kind: 'stub', stubs });
    const stubbed = (): ShrinkResult => {
      const after = this.estimate();
      const summary = `Replaced ${stubs.length} old tool output${stubs.length === 1 ? '' : 's'} with one-line stubs; the full texts are in ${this.o.spillDir}.`;
      this.o.emit({ type: 'compaction', beforeTokens: o.before, afterTokens: after, summary });
      return { compacted: true, beforeTokens: o.before, afterTokens: after };
    };
    if (stubs.length && !o.summarise && this.estimate() <= this.limit * STUB_TARGET) return stubbed();

    const scale = (raw: number) => this.calibrator.scale(raw);
    await this.o.hooks?.before(o.keepTurns === undefined ? 'auto' : 'manual', o.focus, signal);
    const result = await compactHistory({
      client: this.o.client(),
      system: this.o.system(),
      tools: this.o.tools(),
      history: this.o.history,
      window: this.o.window,
      scale,
      prompts: this.o.prompts(),
      todos: this.o.todos(),
      files: this.o.files(),
      focus: o.focus,
      keepTurns: o.keepTurns,
      signal,
    });
    if (result?.usage) this.o.spent?.(result.usage);
    if (!result) return stubs.length && !signal.aborted ? stubbed() : { compacted: false };
    this.o.history.splice(0, this.o.history.length, ...result.history);
    this.o.record({ kind: 'compact', history: result.history, ...(result.usage && { usage: result.usage }) });
    await this.o.refreshSystem();
    const after = this.estimate();
    this.stuckAt = after > this.limit ? after + Math.floor(this.o.window * 0.1) : 0;
    this.o.emit({ type: 'compaction', beforeTokens: o.before, afterTokens: after, summary: result.summary, ...(result.usage && { usage: result.usage }) });
    await this.o.hooks?.after(signal);
    return { compacted: true, usage: result.usage, beforeTokens: o.before, afterTokens: after, failure: result.failure };
  }
}
