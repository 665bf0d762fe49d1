// glm's stream-json lines against the Claude Agent SDK's exported types: `npm test` type-checks this file, so a
// field the SDK's consumers rely on that glm drops or misspells fails the build. The runtime checks cover what
// types cannot (the values of an actual run's lines).
import type {
  SDKAPIRetryMessage,
  SDKAssistantMessage,
  SDKControlInitializeResponse,
  SDKResultMessage,
  SDKSystemMessage,
  SDKUserMessage,
} from '@anthropic-ai/claude-agent-sdk';
import { describe, expect, it } from 'vitest';
import { assistantMessage, initMessage, resultMessage, retryMessage, toolResultMessage } from '../../src/stream-json/messages.ts';
import { PartialMessages } from '../../src/stream-json/partial.ts';
import type { Usage } from '../../src/types.ts';

const usage: Usage = { inputTokens: 120, outputTokens: 30, cachedTokens: 100, reasoningTokens: 10 };
const sid = '6f1c0f3e-3b3a-4c55-9d9e-6a0c1b2d3e4f';

describe('stream-json lines have the Agent SDK types', () => {
  it('system/init', () => {
    const init: SDKSystemMessage = initMessage(sid, { cwd: '/p', model: 'glm-5.2', provider: 'zai', permissionMode: 'default', tools: ['Read'], mcpServers: [], unsupported: [], apiKeySource: 'user' });
    expect(init).toMatchObject({ type: 'system', subtype: 'init', session_id: sid, slash_commands: [], output_style: 'default' });
  });

  it('assistant, with Anthropic usage (cache reads split out of input_tokens)', () => {
    const message = { role: 'assistant' as const, content: 'Hi', reasoning: 'think', toolCalls: [{ id: 'call_1', name: 'Read', arguments: '{"file_path":"a"}' }] };
    const a: SDKAssistantMessage = assistantMessage(sid, { type: 'assistant_message', message, finishReason: 'tool_calls', usage }, 'glm-5.2', 'msg_1');
    expect(a.message).toMatchObject({ id: 'msg_1', type: 'message', stop_reason: 'tool_use', usage: { input_tokens: 20, cache_read_input_tokens: 100, output_tokens: 30 } });
    expect(a.message.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
  });

  it('user tool results', () => {
    const u: SDKUserMessage = toolResultMessage(sid, { type: 'tool_end', callId: 'call_1', name: 'Read', output: 'x', isError: false });
    expect(u.parent_tool_use_id).toBeNull();
  });

  it('api_retry', () => {
    const r: SDKAPIRetryMessage = retryMessage(sid, { type: 'retry', attempt: 1, maxAttempts: 3, delayMs: 500, reason: 'HTTP 429 rate limited' });
    expect(r).toMatchObject({ error: 'rate_limit', error_status: 429 });
  });

  it('results, success and error (errors[] on every error subtype)', () => {
    const base = { text: 'done', turns: 2, durationMs: 10, durationApiMs: 5, usage, total: usage, model: 'glm-5.2', contextWindow: 200000, maxOutput: 128000, stopReason: 'stop' as const, errors: [], denials: [], contextTokens: 150 };
    const ok: SDKResultMessage = resultMessage(sid, { ...base, reason: 'completed' });
    expect(ok).toMatchObject({ subtype: 'success', total_cost_usd: 0, cost_known: false, stop_reason: 'end_turn' });
    const failed: SDKResultMessage = resultMessage(sid, { ...base, text: '', reason: 'error', errors: ["The provider's content filter blocked the model's output"] });
    expect(failed).toMatchObject({ subtype: 'error_during_execution', is_error: true, errors: ["The provider's content filter blocked the model's output"] });
    const priced: SDKResultMessage = resultMessage(sid, { ...base, reason: 'completed', total: { ...usage, cost: 0.25 } });
    expect(priced).toMatchObject({ total_cost_usd: 0.25, cost_known: true, modelUsage: { 'glm-5.2': { costUSD: 0.25 } } });
  });

  it('the initialize answer', async () => {
    // The shape requests.ts answers with, as the SDK types it (the fields a consumer reads).
    const answer: SDKControlInitializeResponse = { commands: [], agents: [], output_style: 'default', available_output_styles: ['default'], models: [], account: {} };
    expect(answer.commands).toEqual([]);
  });

  it('stream_event lines follow the Messages API streaming order', () => {
    const p = new PartialMessages(() => sid, () => 'glm-5.2', true);
    const lines = [
      ...p.lines({ type: 'turn_start', turn: 1 }),
      ...p.lines({ type: 'thinking_delta', text: 'hm' }),
      ...p.lines({ type: 'text_delta', text: 'Hi' }),
      ...p.lines({ type: 'tool_call_delta', index: 0, id: 'call_1', name: 'Read', argumentsDelta: '{"file_path"' }),
      ...p.lines({ type: 'tool_call_delta', index: 0, argumentsDelta: ':"a"}' }),
      ...p.lines({ type: 'assistant_message', message: { role: 'assistant', content: 'Hi' }, finishReason: 'tool_calls', usage }),
    ] as { type: string; event: { type: string; delta?: { type: string } } }[];
    expect(lines.every((l) => l.type === 'stream_event')).toBe(true);
    expect(lines.map((l) => l.event.delta?.type ?? l.event.type)).toEqual([
      'message_start',
      'content_block_start',
      'thinking_delta',
      'content_block_stop',
      'content_block_start',
      'text_delta',
      'content_block_stop',
      'content_block_start',
      'input_json_delta',
      'input_json_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });
});
