// Shared data shapes: messages, model events, agent events, usage.
// Everything else depends on this file; it imports nothing.

/** A tool call as stored in history. `arguments` is always valid JSON text (never resend broken JSON). */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
  /** Set when the model's arguments could not be parsed or repaired: what it sent, and why it failed. */
  invalid?: { raw: string; error: string };
}

/** The image formats glm sends (GIF and WebP are converted to PNG when read: src/image.ts). */
export type ImageMediaType = 'image/png' | 'image/jpeg';

/** An image in a user message, already scaled to the limits every GLM vision model takes (src/image.ts). */
export interface ImageData {
  mediaType: ImageMediaType;
  /** Base64 of the bytes. A transcript stores it as a file beside the session instead (src/transcript-images.ts). */
  data: string;
  /** In a transcript line only: where the bytes are, relative to the session's folder (`images/<hash>.png`). */
  file?: string;
  /** What the user or the tool called it: `shot.png`. */
  name: string;
  width: number;
  height: number;
  /**
   * What a vision model said the image shows (vision routing, src/vision.ts): sent instead of the image to a
   * model that takes no images, marked as a description.
   */
  description?: string;
}

export interface UserMessage {
  role: 'user';
  content: string;
  /** Images sent with the text as OpenAI content parts (`image_url` data URIs), after it. */
  images?: ImageData[];
}

export interface AssistantMessage {
  role: 'assistant';
  content: string;
  /** The model's reasoning, stored once; each dialect serialises it its own way. */
  reasoning?: string;
  toolCalls?: ToolCall[];
}

export interface ToolMessage {
  role: 'tool';
  toolCallId: string;
  name: string;
  content: string;
}

export type Message = UserMessage | AssistantMessage | ToolMessage;

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  /** USD, when known: reported by the server (OpenRouter's `usage.cost`) or priced from the "prices" setting. */
  cost?: number;
  /** The parts of these tokens that other models served (a subagent's, the vision model's, a prompt hook's), by model
   * id; the rest is the request's own model's (src/usage-by-model.ts). Each part carries no byModel of its own. */
  byModel?: Record<string, Usage>;
}

export const emptyUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 });

/** Adds `add` into `total` (in place); the cost only sums what is known. */
export function addUsage(total: Usage, add: Usage): Usage {
  total.inputTokens += add.inputTokens;
  total.outputTokens += add.outputTokens;
  total.cachedTokens += add.cachedTokens;
  total.reasoningTokens += add.reasoningTokens;
  if (add.cost !== undefined) total.cost = (total.cost ?? 0) + add.cost;
  // Copies, never edits, the parts: a `{ ...usage }` copy shares its byModel with the original.
  if (add.byModel) total.byModel = { ...total.byModel };
  for (const [model, part] of Object.entries(add.byModel ?? {})) {
    const { byModel: _, ...copy } = part;
    const had = total.byModel![model];
    total.byModel![model] = had ? addUsage({ ...had }, copy) : copy;
  }
  return total;
}

export type FinishReason =
  | 'stop'
  | 'tool_calls'
  | 'length'
  | 'sensitive'
  | 'network_error'
  | 'model_context_window_exceeded';

/** A tool as the model sees it. `parameters` is a JSON Schema object. */
export interface ToolSchema {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ModelRequest {
  system: string;
  messages: Message[];
  tools: ToolSchema[];
}

/** Why a model request failed, in terms a front end can act on. */
export type ModelErrorKind =
  | 'auth' // bad or missing key (1000–1004, 401)
  | 'quota' // balance, plan, usage caps (1113, 1304, 1308–1311, 1313)
  | 'bad_request' // parameters the server rejected (1210–1215, 400)
  | 'rate_limit' // retryable limits that outlasted our retries (1302, 1303, 1305, 1312)
  | 'network' // connection failures, idle streams, network_error finishes that outlasted retries
  | 'sensitive' // content filter (1301, finish_reason sensitive)
  | 'context' // the context window is full
  | 'aborted'
  | 'other';

/** What the model client yields. It never throws once a request has started. */
export type ModelEvent =
  | { type: 'text_delta'; text: string }
  | { type: 'thinking_delta'; text: string }
  | { type: 'tool_call_delta'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'retry'; attempt: number; maxAttempts: number; delayMs: number; reason: string }
  /**
   * `extraUsage`: tokens of requests made for this one (the vision model's image descriptions, src/vision.ts):
   * counted in the turn's and session's usage and cost, not in how full the context is.
   */
  | { type: 'message_end'; message: AssistantMessage; finishReason: FinishReason; usage?: Usage; extraUsage?: Usage }
  | {
      type: 'error';
      kind: ModelErrorKind;
      message: string;
      code?: string;
      status?: number;
      requestId?: string;
    };

export interface ModelClient {
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent>;
}

export type PermissionMode = 'default' | 'acceptEdits' | 'plan' | 'bypassPermissions';

/** What a tool result looks like to a human: a one-line summary, and a diff for edits. */
export interface ToolDisplay {
  summary: string;
  diff?: string;
}

export type DoneReason = 'completed' | 'max_turns' | 'aborted' | 'error' | 'loop';

/** The one event stream every consumer (headless, transcript, REPL, review) subscribes to. */
export type AgentEvent =
  | {
      type: 'session_start';
      sessionId: string;
      cwd: string;
      model: string;
      provider: string;
      permissionMode: PermissionMode;
      tools: string[];
      resumed: boolean;
    }
  /** `synthetic`: written by glm itself (e.g. asking the model to continue), not typed by the user. */
  /** `images`: what went with the text (a prompt's --image files, or the images tool results returned). */
  | { type: 'user_message'; text: string; synthetic?: boolean; images?: ImageData[] }
  | { type: 'turn_start'; turn: number }
  | { type: 'thinking_delta'; text: string }
  | { type: 'text_delta'; text: string }
  /** A tool call's arguments as they stream (for programs that show them live); not kept in transcripts. */
  | { type: 'tool_call_delta'; index: number; id?: string; name?: string; argumentsDelta: string }
  /** `interrupted`: the part of an answer that had streamed when the user aborted; it stays in history. */
  | { type: 'assistant_message'; message: AssistantMessage; finishReason: FinishReason; usage?: Usage; interrupted?: boolean }
  | { type: 'tool_start'; callId: string; name: string; input: unknown; title: string }
  | { type: 'approval_request'; callId: string; name: string; input: unknown; title: string; reason: string; rule?: string }
  | {
      type: 'approval_result';
      callId: string;
      name: string;
      input: unknown;
      decision: 'allow' | 'deny';
      /** `hook`: a PreToolUse or PermissionRequest hook decided (src/hooks/). */
      by: 'rule' | 'mode' | 'user' | 'headless' | 'hook';
      /** The rule added for the rest of the session ("always allow"). */
      rule?: string;
      feedback?: string;
    }
  | { type: 'tool_output'; callId: string; chunk: string }
  /** Every tool call ends with exactly one tool_end; its `output` is the tool message the model gets. */
  | {
      type: 'tool_end';
      callId: string;
      name: string;
      /** The call's one-line title once its arguments parsed, also when it never ran (denied, or failed its check). */
      title?: string;
      output: string;
      display?: ToolDisplay;
      isError: boolean;
    }
  | { type: 'turn_end'; turn: number; usage?: Usage }
  | { type: 'retry'; attempt: number; maxAttempts: number; delayMs: number; reason: string }
  /** `usage`: the summarising request's tokens (a subagent's count in the session's totals through it). */
  | { type: 'compaction'; beforeTokens: number; afterTokens: number; summary: string; usage?: Usage }
  | { type: 'error'; message: string; kind?: ModelErrorKind; code?: string }
  /**
   * The command sandbox decided, once, at the first command that needed it: whether commands run sandboxed, and
   * the line to show the user when not (or degraded). Not kept in transcripts (it is about this process).
   */
  | { type: 'sandbox'; active: boolean; notice?: string }
  /** One run of a lifecycle hook (src/hooks/): front ends show the blocking and failing ones. */
  | HookResponseEvent
  | { type: 'done'; reason: DoneReason; text: string; usage: Usage; turns: number }
  /**
   * An event of a subagent started by the Task call `callId` (its deltas and live tool output are not forwarded).
   * Its messages are a sidechain: they never enter the parent's history, and a resumed session leaves them out.
   * `model`: the model it runs on when its definition names one (Explore, `model: haiku`); without it, the session's.
   */
  | { type: 'subagent'; callId: string; agent: string; model?: string; event: AgentEvent };

export type AgentEventType = AgentEvent['type'];

/** How a hook run ended: `blocked` (exit 2 or a block/deny decision), `error` (another exit code, a crash). */
export type HookOutcome = 'success' | 'blocked' | 'error' | 'timeout' | 'cancelled';

export interface HookResponseEvent {
  type: 'hook_response';
  /** PreToolUse, Stop … */
  hookEvent: string;
  /** `PreToolUse:Bash`, `SessionStart:startup`, `Stop`: the event and what its matcher saw. */
  hookName: string;
  command: string;
  /** The settings file it came from. */
  source: string;
  /** null when it never exited by itself (timeout, cancelled, failed to start). */
  exitCode: number | null;
  outcome: HookOutcome;
  stdout: string;
  stderr: string;
  /** The one line a person is shown (a block's reason, a failure, a systemMessage); none for a quiet success. */
  message?: string;
  durationMs: number;
  /** A prompt hook's request: counted in the session's and the run's usage, and again on resume (it is in the transcript). */
  usage?: Usage;
}

/** An approval the front end answers: the REPL asks the user, headless denies, tests script it. */
export interface ApprovalRequest {
  callId: string;
  toolName: string;
  input: unknown;
  title: string;
  reason: string;
  /** The rule that "always allow" would add, e.g. `Bash(npm test:*)`; none when no rule could allow the call. */
  rule?: string;
  /** For edits: the diff that would be applied. */
  preview?: string;
  /** The subagent whose call this is (the title starts with its name too). */
  agent?: string;
}

export type ApprovalDecision =
  /**
   * `updatedInput`: run the call with these arguments instead (a program's permission prompt); judged again by the rules.
   * `mode`: the permission mode to continue in (approving a plan leaves plan mode).
   */
  | { decision: 'allow'; always?: boolean; updatedInput?: Record<string, unknown>; mode?: PermissionMode }
  | { decision: 'deny'; feedback?: string };

export type Approver = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalDecision>;

/** How a server wants thinking switched and reasoning sent back (see ../shared/glm-protocol.md). */
export type Dialect = 'zai' | 'openrouter' | 'vllm' | 'sglang' | 'ollama' | 'llamacpp' | 'openai-compatible';

export type ProviderId =
  | 'zai'
  | 'zai-coding'
  | 'bigmodel'
  | 'bigmodel-coding'
  | 'openrouter'
  | 'vllm'
  | 'sglang'
  | 'ollama'
  | 'llamacpp'
  | 'openai-compatible';

export interface ModelInfo {
  contextWindow: number;
  maxOutput: number;
  /** hybrid: on by default, can be turned off; always: cannot be turned off (never send "disabled"); none. */
  thinking: 'hybrid' | 'always' | 'none';
  /** Accepts `reasoning_effort` (GLM-5.2+). */
  reasoningEffort: boolean;
  /** Takes image input (GLM-4.5V, 4.6V, 5V-Turbo: §14.1); a text-only model gets descriptions instead. */
  vision: boolean;
  /** Known to the built-in table (false: safe defaults were used). */
  known: boolean;
}

/**
 * One thing a project's .glm/settings.json adds or loosens, which applies only once the user trusts the project
 * (src/trust.ts lists, summarises and fingerprints them by kind; a new kind is one more entry in its table).
 */
export interface LooseningEntry {
  kind: 'allow' | 'defaultMode' | 'provider' | 'baseUrl' | 'additionalDirectory' | 'mcpServer' | 'hook' | 'agent' | 'skill' | 'setting' | 'command' | 'script';
  /**
   * The rule, mode, provider id, URL, absolute folder path, an MCP server of .mcp.json (src/mcp/config.ts
   * trustValue), a hook command of a project settings file (src/hooks/settings.ts hookTrustValue), or an agent,
   * skill or custom command file with its hash (src/agents/places.ts), or a costly setting as `key value`
   * (src/config-costly.ts), or a project file a hook, skill or allow rule runs with its hash (src/project-scripts.ts).
   */
  value: string;
}

/** An MCP server's definition as configured (variables not expanded yet): a command, or a URL. */
export type McpServerDef =
  | { type: 'stdio'; command: string; args: string[]; env: Record<string, string>; /** Start it inside the command sandbox. */ sandbox?: boolean }
  | { type: 'http' | 'sse'; url: string; headers: Record<string, string> };

/** Where a server is configured, lowest precedence first (a later scope's server of the same name wins). */
export type McpScope = 'user' | 'project' | 'local' | 'flag';

export interface McpServerEntry {
  name: string;
  scope: McpScope;
  def: McpServerDef;
}

/** The `sandbox` setting (src/sandbox/settings.ts): on where supported (auto), required (on), or off. */
export type SandboxMode = 'auto' | 'on' | 'off';

export interface SandboxConfig {
  mode: SandboxMode;
  /** Absolute folders commands may write besides the project and the session's temp folder. */
  allowWrite: string[];
  /** Hosts commands may reach through the filtering proxy; empty: no network. */
  allowedDomains: string[];
  /** Let commands open unix sockets (no seccomp filter); only the known daemons' sockets stay hidden. */
  allowUnixSockets?: boolean;
  /** Run hooks inside the sandbox too. */
  hooks: boolean;
}

/** The one frozen configuration, built once by config.ts from flags > env > project > user > defaults. */
export interface Config {
  provider: ProviderId;
  dialect: Dialect;
  baseURL: string;
  /** Never printed or logged. */
  apiKey?: string;
  model: string;
  modelInfo: ModelInfo;
  /**
   * The model that describes images for a text-only main model (setting "visionModel", GLM_VISION_MODEL; default
   * per provider: src/providers.ts defaultVisionModel). Undefined: none ("none" turns it off).
   */
  visionModel?: string;
  /** The contextWindow setting, when set: it replaces the model table's window for every model (a server's limit). */
  contextWindowSetting?: number;
  thinking: boolean;
  reasoningEffort?: string;
  /** max_tokens sent per request. */
  maxTokens: number;
  temperature?: number;
  permissionMode: PermissionMode;
  allowRules: string[];
  denyRules: string[];
  askRules: string[];
  maxTurns: number;
  /** Working directory; relative tool paths resolve here. */
  cwd: string;
  /** The git root above cwd, or cwd: "inside the project" for permissions, memory files, sessions. */
  projectRoot: string;
  /** Where sessions live: $XDG_DATA_HOME/glm-code (default ~/.local/share/glm-code). */
  dataDir: string;
  /** User config folder: $XDG_CONFIG_HOME/glm-code (default ~/.config/glm-code). */
  configDir: string;
  /** A stream silent this long is aborted and retried. */
  idleTimeoutMs: number;
  /** One response (one attempt) may take at most this long before it is aborted and retried (loadConfig sets it). */
  responseTimeoutMs?: number;
  /** Saved full tool outputs of all sessions together are pruned, oldest first, to this many MB (src/saved-outputs.ts). */
  savedOutputsMaxMB?: number;
  maxRetries: number;
  /** Requests one process may have in flight per model (Coding Plan limits concurrency). */
  concurrency: number;
  /** Share of the context window a request may reach before the history is compacted. */
  compactThreshold: number;
  /** false: compact only when the context overflows or the user asks (/compact). */
  autoCompact: boolean;
  /** WebFetch may fetch private and loopback addresses (user settings "webFetch.allowPrivateNetwork", GLM_WEBFETCH_ALLOW_PRIVATE=1). */
  webFetchAllowPrivate?: boolean;
  /** Key variables commands may still see (user settings only; src/command-env.ts). */
  passEnvToCommands?: string[];
  /**
   * Folders outside the project the user added (--add-dir, "permissions.additionalDirectories"): absolute, real
   * paths of existing folders, read like the project itself.
   */
  additionalDirectories: string[];
  /**
   * The lifecycle hooks this run runs (src/hooks/): the user's, and a trusted project's (.glm/settings*.json and,
   * with claudeCompat.hooks, .claude/settings*.json). In the order of their files: user first.
   */
  hooks?: HookEntry[];
  /**
   * What an untrusted project's .glm/settings*.json would loosen, left out of this config (src/trust.ts).
   * `settingsFiles`: the settings files its own entries come from, when .glm/settings.local.json is one of them.
   */
  untrustedProject?: { file: string; settingsFiles?: string[]; entries: LooseningEntry[]; fingerprint: string };
  /**
   * The MCP servers this run starts, sorted by name (src/mcp/config.ts): user settings, a trusted project's
   * .mcp.json, local (the user's settings for this project), --mcp-config; only the last with --strict-mcp-config.
   */
  mcpServers?: McpServerEntry[];
  /** How long a headless run waits for MCP servers before its first request (MCP_TIMEOUT, mcp.startupTimeoutMs). */
  mcpStartupTimeoutMs?: number;
  /** mcp.toolSearch: when MCP tool schemas go through ToolSearch instead of every request (src/mcp/tool-search.ts). */
  mcpToolSearch?: 'auto' | 'always' | 'never' | number;
  /** The command sandbox (src/sandbox/); loadConfig always sets it, configs built by hand may leave it off. */
  sandbox?: SandboxConfig;
  /** True when the user trusts this project as it is now (trusted-projects.json): its agents and skills load. */
  projectTrusted?: boolean;
  /** "agents" in the settings: Explore's model and the model aliases of agent files (src/agents/models.ts). */
  agents?: { exploreModel?: string; modelAliases?: Record<string, string> };
  /** One-line problems the settings had that did not stop glm (a missing folder); front ends print them. */
  warnings?: string[];
}

/** Why a session ended, as SessionEnd hooks are told (Claude Code's names; glm has no logout). */
export type SessionEndReason = 'clear' | 'resume' | 'logout' | 'prompt_input_exit' | 'other';

/** The lifecycle events glm runs hooks for (Claude Code's names). */
export type HookEventName =
  | 'PreToolUse'
  | 'PermissionRequest'
  | 'PostToolUse'
  | 'PostToolUseFailure'
  | 'UserPromptSubmit'
  | 'Stop'
  | 'SubagentStop'
  | 'SessionStart'
  | 'SessionEnd'
  | 'PreCompact'
  | 'Notification';

/** An `http` hook: the payload is POSTed to `url`; `${VAR}` in header values only for `allowedEnvVars`. */
export interface HttpHookSpec {
  url: string;
  headers: Record<string, string>;
  allowedEnvVars: string[];
}

/** A `prompt` hook: the small model judges the payload against `prompt` and answers `{ok, reason}`. */
export interface PromptHookSpec {
  prompt: string;
  model?: string;
}

/** One configured hook (src/hooks/settings.ts reads them): a command, or Claude Code's http and prompt types. */
export interface HookEntry {
  event: HookEventName;
  /** '' matches everything. */
  matcher: string;
  /**
   * The shell command; for an http or prompt hook, what it does as one line (`POST <url>`, `prompt: <text>`).
   * Identical hooks of an event (by this line) run once.
   */
  command: string;
  http?: HttpHookSpec;
  prompt?: PromptHookSpec;
  /** Seconds; undefined: the default (60). */
  timeout?: number;
  /** A crash, timeout or unparseable output of a PreToolUse or PermissionRequest hook denies the call. */
  failClosed?: boolean;
  /** The settings file it is written in (absolute). */
  file: string;
  /** `project`: a file inside the project (needs trust). */
  scope: 'user' | 'project';
  /**
   * A program's hook callback (the Agent SDK's `hooks` in `initialize`): asked with a `hook_callback` request
   * (src/stream-json/hooks.ts), never started as a process; its answer is read like a command hook's JSON.
   */
  callbackId?: string;
}
