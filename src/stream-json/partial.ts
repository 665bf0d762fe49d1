// `--include-partial-messages`: the Messages API's streaming events (message_start, content_block_start /
// delta / stop, message_delta, message_stop) rebuilt from glm's deltas, as Claude Code's `stream_event` lines.
// Also names each model message (msg_…), so the whole assistant line that follows carries the same id.
import { randomBytes } from 'node:crypto';
import type { AgentEvent, Usage } from '../types.ts';
import { envelope, stopReason, usageJson } from './messages.ts';

type Block = { kind: 'thinking' | 'text' } | { kind: 'tool_use'; toolIndex: number };

const newMessageId = () => `msg_${randomBytes(12).toString('hex')}`;

export class PartialMessages {
  /** The id of the model message being streamed (or just finished). */
  messageId = newMessageId();
  private started = false;
  private block?: Block;
  private blocks = 0;

  constructor(
    private readonly sessionId: () => string,
    private readonly model: () => string,
    /** false: only track message ids, print nothing (no --include-partial-messages). */
    private readonly enabled: boolean,
  ) {}

  /** The stream_event lines this agent event gives (none for most). */
  lines(event: AgentEvent): unknown[] {
    switch (event.type) {
      case 'turn_start':
      case 'retry':
        return this.reset();
      case 'thinking_delta':
        return this.delta({ kind: 'thinking' }, { type: 'thinking_delta', thinking: event.text });
      case 'text_delta':
        return this.delta({ kind: 'text' }, { type: 'text_delta', text: event.text });
      case 'tool_call_delta':
        return this.toolDelta(event);
      case 'assistant_message':
        return this.finish(event.finishReason, event.usage, event.interrupted);
      default:
        return [];
    }
  }

  private wrap(events: unknown[]): unknown[] {
    if (!this.enabled) return [];
    return events.map((event) => ({ type: 'stream_event', ...envelope(this.sessionId()), parent_tool_use_id: null, event }));
  }

  private reset(): unknown[] {
    // A retried attempt is dropped: its message ends unfinished and the next attempt starts a new one.
    const out = this.started ? this.wrap([...this.closeBlock(), { type: 'message_stop' }]) : [];
    this.messageId = newMessageId();
    this.started = false;
    this.block = undefined;
    this.blocks = 0;
    return out;
  }

  private start(): unknown[] {
    if (this.started) return [];
    this.started = true;
    const message = { id: this.messageId, type: 'message', role: 'assistant', model: this.model(), content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0 } };
    return [{ type: 'message_start', message }];
  }

  private closeBlock(): unknown[] {
    if (!this.block) return [];
    this.block = undefined;
    return [{ type: 'content_block_stop', index: this.blocks - 1 }];
  }

  private open(block: Block, contentBlock: unknown): unknown[] {
    const out = [...this.closeBlock(), { type: 'content_block_start', index: this.blocks, content_block: contentBlock }];
    this.block = block;
    this.blocks++;
    return out;
  }

  private delta(block: { kind: 'thinking' | 'text' }, delta: unknown): unknown[] {
    const out = this.start();
    if (this.block?.kind !== block.kind) {
      out.push(...this.open(block, block.kind === 'thinking' ? { type: 'thinking', thinking: '', signature: '' } : { type: 'text', text: '' }));
    }
    out.push({ type: 'content_block_delta', index: this.blocks - 1, delta });
    return this.wrap(out);
  }

  private toolDelta(event: Extract<AgentEvent, { type: 'tool_call_delta' }>): unknown[] {
    const out = this.start();
    const current = this.block;
    if (current?.kind !== 'tool_use' || current.toolIndex !== event.index) {
      out.push(...this.open({ kind: 'tool_use', toolIndex: event.index }, { type: 'tool_use', id: event.id ?? '', name: event.name ?? '', input: {} }));
    }
    if (event.argumentsDelta) out.push({ type: 'content_block_delta', index: this.blocks - 1, delta: { type: 'input_json_delta', partial_json: event.argumentsDelta } });
    return this.wrap(out);
  }

  private finish(reason: Extract<AgentEvent, { type: 'assistant_message' }>['finishReason'], usage: Usage | undefined, interrupted?: boolean): unknown[] {
    if (!this.started) return [];
    const u = usage && usageJson(usage);
    const out = [
      ...this.closeBlock(),
      { type: 'message_delta', delta: { stop_reason: interrupted ? null : stopReason(reason), stop_sequence: null }, usage: { output_tokens: u?.output_tokens ?? 0, input_tokens: u?.input_tokens ?? 0, cache_read_input_tokens: u?.cache_read_input_tokens ?? 0 } },
      { type: 'message_stop' },
    ];
    this.started = false;
    return this.wrap(out);
  }
}
