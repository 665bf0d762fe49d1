// The stream-json front end (`--output-format stream-json`, with `--input-format stream-json` for programs): one
// session, one turn per `user` line in arrival order, each ending with its own `result` line, control requests
// answered while a turn runs (interrupt, set_permission_mode …), and glm's own requests to the program
// (can_use_tool, hook_callback). Imports the session's type, never the UI; the caller injects how a session opens.
import { randomUUID } from 'node:crypto';
import type { Session } from '../session.ts';
import { receivedImages } from '../received-images.ts';
import { safeText } from '../terminal-text.ts';
import type { HookCallback } from '../hooks/runner.ts';
import type { AgentEvent, Approver, DoneReason, HookEntry, ImageData, PermissionMode } from '../types.ts';
import { ControlChannel, ControlError, isObject } from './control.ts';
import { CALLBACK_SOURCE, SdkHooks } from './hooks.ts';
import { readLines, userPrompt, type InputLine } from './input.ts';
import { assistantMessage, initMessage, resultMessage, retryMessage, subagentPromptMessage, toolResultMessage } from './messages.ts';
import { PartialMessages } from './partial.ts';
import { answerControl, offered, type ControlHost } from './requests.ts';
import { schemaInstruction, structuredAnswer, TurnRecord } from './turn.ts';

export interface SessionSetup {
  baseSystemPrompt?: string;
  appendSystemPrompt?: string;
  /** MCP servers a program sent in `initialize`, as a `.mcp.json` "mcpServers" object. */
  mcpServers?: Record<string, unknown>;
  approver?: Approver;
  /** Hook callbacks the program registered in `initialize`, as hooks of the hooks engine, and how they are asked. */
  hookEntries?: HookEntry[];
  hookCallback?: HookCallback;
}

export interface OpenedSession {
  session: Session;
  mcpServers(): { name: string; status: string; error?: string }[];
  /** Switches the model for the next request; returns the model id now in use. Throws an Error with one line. */
  setModel(model: string | undefined): string;
  model(): string;
  maxOutput(): number;
  /** The agents Task can start and the skills Skill can load (src/agents/catalog.ts). */
  catalog(): { agents: { name: string; description: string; model?: string }[]; skills: { name: string; description: string }[] };
  close(): Promise<void>;
}

export interface DriverOptions {
  input: 'text' | 'stream-json';
  /** The one prompt of a text-input run. */
  prompt?: string;
  /** The images sent with that prompt (--image). */
  images?: ImageData[];
  stdin: NodeJS.ReadableStream;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  includePartial: boolean;
  /** --permission-prompt-tool stdio (and not dontAsk): calls that need approval go to the program. */
  promptStdio: boolean;
  /** --allow-dangerously-skip-permissions or --dangerously-skip-permissions: set_permission_mode may pick bypass. */
  allowBypass: boolean;
  unsupported: string[];
  jsonSchema?: Record<string, unknown>;
  systemPrompt?: string;
  appendSystemPrompt?: string;
  apiKeySource: 'user' | 'none';
  model: string;
  open(setup: SessionSetup): Promise<OpenedSession>;
}

const EXIT_CODES: Record<DoneReason, number> = { completed: 0, max_turns: 3, aborted: 130, error: 1, loop: 1 };

export class StreamJsonRun implements ControlHost {
  readonly channel: ControlChannel;
  hooks?: SdkHooks;
  setup: Omit<SessionSetup, 'approver' | 'hookEntries' | 'hookCallback'>;
  jsonSchema?: Record<string, unknown>;
  pendingMode?: PermissionMode;
  opened?: OpenedSession;
  private opening?: Promise<OpenedSession | undefined>;
  private partial: PartialMessages;
  private turn?: TurnRecord;
  private work: Promise<void> = Promise.resolve();
  private exitCode = 0;
  /** A signal arrived: queued messages are dropped. */
  private stopped = false;

  constructor(readonly o: DriverOptions) {
    this.channel = new ControlChannel((line) => this.line(line));
    this.setup = { baseSystemPrompt: o.systemPrompt, appendSystemPrompt: o.appendSystemPrompt };
    this.jsonSchema = o.jsonSchema;
    this.partial = new PartialMessages(() => this.sessionId, () => this.opened?.model() ?? o.model, o.includePartial);
  }

  get sessionId(): string {
    return this.opened?.session.id ?? '';
  }

  get turnRunning(): boolean {
    return this.turn !== undefined;
  }

  /** Control characters are escaped: DEL, C1 and bidi controls become \u escapes (JSON already escapes C0). */
  line(value: unknown): void {
    this.o.stdout(safeText(JSON.stringify(value)) + '\n');
  }

  notice(text: string): void {
    this.o.stderr(`glm: ${safeText(text)}\n`);
  }

  async run(): Promise<number> {
    // Ctrl-C / SIGTERM: the running turn stops (its result says so) and no further input is read.
    const onSignal = () => {
      this.stopped = true;
      this.opened?.session.abort();
      (this.o.stdin as { destroy?: () => void }).destroy?.();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      if (this.o.input === 'text') await this.runTurn(this.o.prompt ?? '', this.o.images);
      else {
        await readLines(this.o.stdin, (l) => this.onLine(l), (problem) => this.notice(problem));
        this.channel.close('the program closed glm\'s input');
        await this.work;
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await this.opened?.close();
    }
    return this.exitCode;
  }

  private onLine(line: InputLine): void {
    switch (line.type) {
      case 'user':
        return this.ordered(() => this.onUser(line));
      case 'control_request':
        return this.onControl(line);
      case 'control_response':
        return this.channel.onResponse(line as Parameters<ControlChannel['onResponse']>[0]);
      case 'keep_alive':
      case 'control_cancel_request':
      case 'update_environment_variables':
        return;
      default:
        this.notice(`ignored a stdin message of type "${line.type}"`);
    }
  }

  /** Turns and initialize happen in arrival order; everything else is answered at once. */
  private ordered(work: () => Promise<void>): void {
    this.work = this.work.then(work).catch((err) => this.notice(`internal error: ${err instanceof Error ? err.message : String(err)}`));
  }

  private onControl(line: InputLine): void {
    const id = typeof line.request_id === 'string' ? line.request_id : '';
    const request = isObject(line.request) ? line.request : {};
    const answer = () =>
      answerControl(this, request).then(
        (body) => this.channel.answer(id, body),
        (err: unknown) => this.channel.fail(id, err instanceof Error ? err.message : String(err)),
      );
    // initialize shapes the session, so it waits for what came before it; the rest must not wait for a turn.
    if (request.subtype === 'initialize') this.ordered(answer);
    else void answer();
  }

  private async onUser(line: InputLine): Promise<void> {
    if (this.stopped) return;
    const prompt = userPrompt(line);
    // Images go as base64 only (src/received-images.ts): a URL or a broken image refuses the turn with one line.
    const received = await receivedImages(prompt?.images ?? []);
    if ('refused' in received) {
      await this.ensureSession();
      return this.failedTurn(received.refused);
    }
    await this.runTurn(prompt?.text ?? '', received.images.length ? received.images : undefined);
  }

  /** The session, opened once: at initialize or the first turn, whichever comes first. Undefined when it failed. */
  ensureSession(): Promise<OpenedSession | undefined> {
    this.opening ??= this.openSession();
    return this.opening;
  }

  private async openSession(): Promise<OpenedSession | undefined> {
    const approver = this.o.promptStdio ? this.approver : undefined;
    const append = [this.setup.appendSystemPrompt, this.jsonSchema && schemaInstruction(this.jsonSchema)].filter(Boolean).join('\n\n');
    try {
      const hooks = this.hooks?.entries.length ? { hookEntries: this.hooks.entries, hookCallback: this.hooks.callback } : {};
      this.opened = await this.o.open({ ...this.setup, appendSystemPrompt: append || undefined, approver, ...hooks });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.notice(message);
      this.exitCode = 1;
      return undefined;
    }
    const session = this.opened.session;
    if (this.pendingMode) session.permissionMode = this.pendingMode;
    for (const notice of session.notices) this.notice(notice);
    session.subscribe((event) => this.onEvent(event));
    return this.opened;
  }

  private onEvent(event: AgentEvent): void {
    const opened = this.opened!;
    for (const l of this.partial.lines(event)) this.line(l);
    this.turn?.onEvent(event);
    const sid = opened.session.id;
    switch (event.type) {
      case 'session_start': {
        const unsupported = [...this.o.unsupported, ...(this.hooks?.unsupported() ?? [])];
        const { agents, skills } = offered(opened, event.tools);
        const mcpServers = opened.mcpServers().map(({ name, status }) => ({ name, status }));
        return this.line(initMessage(sid, { ...event, mcpServers, unsupported, apiKeySource: this.o.apiKeySource, agents: agents.map((a) => a.name), skills: skills.map((s) => s.name) }));
      }
      case 'assistant_message':
        return this.line(assistantMessage(sid, event, opened.model(), this.partial.messageId));
      case 'tool_end':
        return this.line(toolResultMessage(sid, event));
      case 'retry':
        return this.line(retryMessage(sid, event));
      case 'error':
        // glm's own line (Claude Code has none): the error as it happened; the result's errors[] repeats it.
        return this.line({ type: 'system', subtype: 'error', session_id: sid, uuid: randomUUID(), message: event.message, ...(event.code && { code: event.code }) });
      case 'subagent':
        return this.subagentLine(sid, event);
      case 'sandbox': // on stderr, like the notices at start (the first command probed the sandbox)
        return event.notice ? this.notice(event.notice) : undefined;
      case 'hook_response':
        // A hook of the settings files ran (src/hooks/), as Claude Code's hook_response lines; the program's own
        // callbacks are not echoed back to it (it has their answers).
        if (event.source === CALLBACK_SOURCE) return;
        return this.line({
          type: 'system',
          subtype: 'hook_response',
          session_id: sid,
          uuid: randomUUID(),
          hook_name: event.hookName,
          hook_event: event.hookEvent,
          command: event.command,
          exit_code: event.exitCode,
          outcome: event.outcome,
          stdout: event.stdout,
          stderr: event.stderr,
          ...(event.message && { message: event.message }),
        });
      default:
        return;
    }
  }

  /** A subagent's messages: the same lines with `parent_tool_use_id` set to its Task call's id. */
  private subagentLine(sid: string, { callId, model, event }: Extract<AgentEvent, { type: 'subagent' }>): void {
    if (event.type === 'user_message') return this.line(subagentPromptMessage(sid, event.text, callId));
    // Named by the subagent's own model (Explore's fast one, an agent file's), else the session's.
    if (event.type === 'assistant_message') return this.line(assistantMessage(sid, event, model ?? this.opened!.model(), `msg_${randomUUID().replace(/-/g, '')}`, callId));
    if (event.type === 'tool_end') return this.line(toolResultMessage(sid, event, callId));
    if (event.type === 'error') this.line({ type: 'system', subtype: 'error', session_id: sid, uuid: randomUUID(), message: event.message, ...(event.code && { code: event.code }), parent_tool_use_id: callId });
  }

  private async runTurn(text: string, images?: ImageData[]): Promise<void> {
    const opened = await this.ensureSession();
    if (!opened) return this.failedTurn('the session could not be opened');
    if (!text.trim() && !images?.length) return this.failedTurn('the user message had no text or image to send');
    const turn = new TurnRecord();
    this.turn = turn;
    try {
      const done = await opened.session.run(text, images);
      this.endTurn(turn, done);
    } finally {
      this.turn = undefined;
    }
  }

  private endTurn(turn: TurnRecord, done: { reason: DoneReason; text: string; turns: number; usage: Extract<AgentEvent, { type: 'done' }>['usage'] | undefined }, extraErrors: string[] = []): void {
    const opened = this.opened!;
    const session = opened.session;
    const reason = done.reason;
    const errors = [...turn.errors, ...extraErrors];
    const structured = this.jsonSchema && reason === 'completed' ? structuredAnswer(done.text) : undefined;
    const notJson = this.jsonSchema !== undefined && reason === 'completed' && structured === undefined;
    if (notJson) errors.push('The final answer was not JSON matching the JSON schema.');
    const result = resultMessage(session.id, {
      reason,
      text: done.text,
      turns: done.turns,
      durationMs: Date.now() - turn.started,
      durationApiMs: turn.apiMs,
      usage: done.usage ?? { inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 },
      total: session.usage,
      model: opened.model(),
      contextWindow: session.context.window,
      maxOutput: opened.maxOutput(),
      stopReason: turn.stopReason,
      errors,
      denials: turn.denials,
      contextTokens: session.contextTokens,
      structuredOutput: structured,
    }, notJson ? 'error_max_structured_output_retries' : undefined);
    this.line(result);
    this.exitCode = notJson ? 1 : EXIT_CODES[reason];
  }

  /** A turn that could not start: still one result line, so a program waiting for it goes on. */
  private failedTurn(why: string): void {
    const errors = [why];
    this.line({ type: 'result', subtype: 'error_during_execution', session_id: this.sessionId, uuid: randomUUID(), is_error: true, result: why, errors, num_turns: 0, duration_ms: 0, duration_api_ms: 0, stop_reason: null, total_cost_usd: 0, usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 }, modelUsage: {}, permission_denials: [] });
    this.exitCode = 1;
  }

  /** can_use_tool: the program decides a call the rules put to approval. */
  private approver: Approver = async (request, signal) => {
    const rule = request.rule && /^([\w.-]+)(?:\((.*)\))?$/s.exec(request.rule);
    const suggestions = rule ? [{ type: 'addRules', rules: [{ toolName: rule[1], ...(rule[2] !== undefined && { ruleContent: rule[2] }) }], behavior: 'allow', destination: 'session' }] : undefined;
    let answer: Record<string, unknown>;
    try {
      answer = await this.channel.request(
        { subtype: 'can_use_tool', tool_name: request.toolName, input: request.input, tool_use_id: request.callId, decision_reason: request.reason, title: request.title, ...(suggestions && { permission_suggestions: suggestions }) },
        signal,
      );
    } catch (err) {
      if (!(err instanceof ControlError)) throw err;
      return { decision: 'deny', feedback: `nobody answered the permission request (${err.message})` };
    }
    if (answer.behavior === 'allow') {
      const updated = isObject(answer.updatedInput) && JSON.stringify(answer.updatedInput) !== JSON.stringify(request.input) ? answer.updatedInput : undefined;
      const always = Array.isArray(answer.updatedPermissions) && answer.updatedPermissions.length > 0;
      return { decision: 'allow', always, ...(updated && { updatedInput: updated }) };
    }
    if (answer.interrupt === true) this.opened?.session.abort();
    return { decision: 'deny', feedback: typeof answer.message === 'string' && answer.message ? answer.message : undefined };
  };
}

export const runStreamJson = (o: DriverOptions): Promise<number> => new StreamJsonRun(o).run();
