// The output lines of Claude Code's headless protocol (system/init, assistant, user tool results, result,
// system/api_retry) built from glm's agent events, in the shapes the Claude Agent SDK's types describe, with glm's
// own extra fields beside them. Pure: imports types, the model table (providers.ts) and usage-by-model.ts; test/stream-json/sdk-types.test.ts checks them against the SDK.
import { randomUUID } from 'node:crypto';
import type { AgentEvent, AssistantMessage, FinishReason, PermissionMode, Usage } from '../types.ts';
import { lookupModel } from '../providers.ts';
import { usageByModel } from '../usage-by-model.ts';

/** The fields every line carries. */
export interface Envelope {
  session_id: string;
  uuid: ReturnType<typeof randomUUID>;
}

export const envelope = (sessionId: string): Envelope => ({ session_id: sessionId, uuid: randomUUID() });

/** Anthropic stop reasons for GLM's finish reasons; consumers branch on these. */
export function stopReason(reason: FinishReason | undefined): 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal' | 'model_context_window_exceeded' {
  if (reason === 'tool_calls') return 'tool_use';
  if (reason === 'length') return 'max_tokens';
  if (reason === 'sensitive') return 'refusal';
  if (reason === 'model_context_window_exceeded') return reason;
  return 'end_turn';
}

/**
 * Anthropic usage: input_tokens excludes what the cache served (cache_read_input_tokens), unlike OpenAI's
 * prompt_tokens. glm's own counts stay beside them: reasoning_tokens, and cost_usd when the server reported one.
 */
export function usageJson(u: Usage) {
  return {
    input_tokens: Math.max(0, u.inputTokens - u.cachedTokens),
    output_tokens: u.outputTokens,
    cache_read_input_tokens: u.cachedTokens,
    cache_creation_input_tokens: 0,
    server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
    service_tier: 'standard' as const,
    cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
    output_tokens_details: { thinking_tokens: u.reasoningTokens },
    inference_geo: '',
    iterations: [],
    speed: 'standard' as const,
    fallback_credit: null,
    // glm's extras: the prompt tokens as the server counted them (cache included) and the reasoning share of the output.
    cached_tokens: u.cachedTokens,
    reasoning_tokens: u.reasoningTokens,
    ...(u.cost !== undefined && { cost_usd: u.cost }),
  };
}

export interface InitInfo {
  cwd: string;
  model: string;
  provider: string;
  permissionMode: PermissionMode;
  tools: string[];
  mcpServers: { name: string; status: string }[];
  /** Options glm accepted but cannot honour, one line each ("--fallback-model: …"). */
  unsupported: string[];
  apiKeySource: 'user' | 'none';
  /** Names of the agents Task can start and of the skills Skill can load (none when those tools are off). */
  agents?: string[];
  skills?: string[];
}

export function initMessage(sessionId: string, info: InitInfo) {
  return {
    type: 'system' as const,
    subtype: 'init' as const,
    ...envelope(sessionId),
    cwd: info.cwd,
    model: info.model,
    permissionMode: info.permissionMode,
    tools: info.tools,
    mcp_servers: info.mcpServers,
    slash_commands: [] as string[],
    apiKeySource: info.apiKeySource,
    claude_code_version: GLM_VERSION,
    output_style: 'default',
    skills: info.skills ?? [],
    plugins: [] as { name: string; path: string }[],
    agents: info.agents ?? [],
    // glm's extras.
    provider: info.provider,
    glm_version: GLM_VERSION,
    unsupported_options: info.unsupported,
  };
}

type ContentBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string; citations: null }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

function contentOf(m: AssistantMessage): ContentBlock[] {
  const content: ContentBlock[] = [];
  if (m.reasoning) content.push({ type: 'thinking', thinking: m.reasoning, signature: '' });
  if (m.content) content.push({ type: 'text', text: m.content, citations: null });
  for (const call of m.toolCalls ?? []) content.push({ type: 'tool_use', id: call.id, name: call.name, input: parseArguments(call.arguments) });
  return content;
}

const parseArguments = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
};

/**
 * A whole assistant message, as the Messages API returns one. `messageId` matches its stream_event lines. A
 * subagent's messages carry its Task call's id as `parent_tool_use_id` (null for the session's own).
 */
export function assistantMessage(sessionId: string, event: Extract<AgentEvent, { type: 'assistant_message' }>, model: string, messageId: string, parent: string | null = null) {
  const usage = event.usage ?? { inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 };
  return {
    type: 'assistant' as const,
    ...envelope(sessionId),
    parent_tool_use_id: parent,
    message: {
      id: messageId,
      type: 'message' as const,
      role: 'assistant' as const,
      model,
      content: contentOf(event.message),
      stop_reason: event.interrupted ? null : stopReason(event.finishReason),
      stop_sequence: null,
      stop_details: null,
      container: null,
      diagnostics: null,
      context_management: null,
      usage: usageJson(usage),
    },
  };
}

export function toolResultMessage(sessionId: string, event: Extract<AgentEvent, { type: 'tool_end' }>, parent: string | null = null) {
  return {
    type: 'user' as const,
    ...envelope(sessionId),
    parent_tool_use_id: parent,
    message: { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: event.callId, content: event.output, is_error: event.isError }] },
    tool_use_result: event.output,
  };
}

/** A subagent's first message (its Task prompt), shown as Claude Code shows it: a user line under the Task call. */
export function subagentPromptMessage(sessionId: string, text: string, parent: string) {
  return { type: 'user' as const, ...envelope(sessionId), parent_tool_use_id: parent, message: { role: 'user' as const, content: [{ type: 'text' as const, text }] } };
}

export function retryMessage(sessionId: string, event: Extract<AgentEvent, { type: 'retry' }>) {
  const status = /\b(4\d\d|5\d\d)\b/.exec(event.reason)?.[1];
  return {
    type: 'system' as const,
    subtype: 'api_retry' as const,
    ...envelope(sessionId),
    attempt: event.attempt,
    max_retries: event.maxAttempts,
    retry_delay_ms: event.delayMs,
    error_status: status ? Number(status) : null,
    error: /rate|429|1302|1303|1305/i.test(event.reason) ? ('rate_limit' as const) : ('server_error' as const),
    // glm's extra: the reason in words.
    reason: event.reason,
  };
}

export interface ResultInfo {
  reason: Extract<AgentEvent, { type: 'done' }>['reason'];
  text: string;
  turns: number;
  durationMs: number;
  durationApiMs: number;
  /** The run's usage (this turn's, for one message of a stream-json session). */
  usage: Usage;
  /** The session's running totals, for modelUsage and total_cost_usd (cumulative, as Claude Code's). */
  total: Usage;
  model: string;
  contextWindow: number;
  maxOutput: number;
  stopReason: FinishReason | undefined;
  errors: string[];
  denials: { tool_name: string; tool_use_id: string; tool_input: Record<string, unknown> }[];
  contextTokens: number;
  structuredOutput?: unknown;
}

/** One model's modelUsage entry; another model's window and output limit are the provider table's. */
function modelUsageEntry(u: Usage, r: ResultInfo, model: string) {
  const info = model === r.model ? { contextWindow: r.contextWindow, maxOutput: r.maxOutput } : lookupModel(model);
  return {
    inputTokens: Math.max(0, u.inputTokens - u.cachedTokens),
    outputTokens: u.outputTokens,
    thinkingTokens: u.reasoningTokens,
    cacheReadInputTokens: u.cachedTokens,
    cacheCreationInputTokens: 0,
    webSearchRequests: 0,
    costUSD: u.cost ?? 0,
    contextWindow: info.contextWindow,
    maxOutputTokens: info.maxOutput,
  };
}

/** The result line; `errorSubtype` overrides error_during_execution (a structured answer that was not JSON). */
export function resultMessage(sessionId: string, r: ResultInfo, errorSubtype?: 'error_max_structured_output_retries') {
  const common = resultFields(sessionId, r);
  if (r.reason === 'completed' && !errorSubtype) return { ...common, subtype: 'success' as const, is_error: false, result: r.text };
  const errors = r.errors.length ? r.errors : [r.reason === 'aborted' ? 'Interrupted by the user.' : `The run ended: ${r.reason}.`];
  const subtype = errorSubtype ?? (r.reason === 'max_turns' ? ('error_max_turns' as const) : ('error_during_execution' as const));
  // `result` as glm has always written it (the answer, or the last error), beside Claude Code's errors[].
  return { ...common, subtype, is_error: true, errors, result: r.text || errors.at(-1)! };
}

function resultFields(sessionId: string, r: ResultInfo) {
  const costKnown = r.total.cost !== undefined;
  return {
    type: 'result' as const,
    ...envelope(sessionId),
    num_turns: r.turns,
    duration_ms: r.durationMs,
    duration_api_ms: r.durationApiMs,
    stop_reason: r.stopReason === undefined ? null : stopReason(r.stopReason),
    total_cost_usd: r.total.cost ?? 0,
    usage: usageJson(r.usage),
    // By the model that served each request (subagents on other models, the vision model, prompt hooks); the
    // entries sum to the session's totals.
    modelUsage: Object.fromEntries(Object.entries(usageByModel(r.total, r.model)).map(([model, u]) => [model, modelUsageEntry(u, r, model)])),
    permission_denials: r.denials,
    ...(r.structuredOutput !== undefined && { structured_output: r.structuredOutput }),
    // glm's extras: whether total_cost_usd is a real figure, and how full the context is after the run.
    cost_known: costKnown,
    context_tokens: r.contextTokens,
    context_window: r.contextWindow,
  };
}
