// A session: the conversation, its transcript, permission state and the one event stream that front ends
// subscribe to. Runs the loop for each prompt; abort reaches the request and running tools through one
// signal. Imports no front end (headless, ui, review) and not the openai SDK.
import path from 'node:path';
import { runLoop, type DoneEvent } from './agent.ts';
import { createGate } from './gate.ts';
import { loadMemory, readEnvironment, renderSystemPrompt } from './prompt.ts';
import { createToolState, type AnyToolDef, type ToolState } from './tool.ts';
import { historyFromEvents, latestSessionId, newSessionId, projectSessionsDir, readTranscript, Transcript } from './transcript.ts';
import { UndoRecorder } from './undo/recorder.ts';
import { killAllShells } from '../tools/bash-shells.ts';
import { toolSchemas } from '../tools/index.ts';
import { emptyUsage, type AgentEvent, type Approver, type Config, type Message, type ModelClient, type PermissionMode, type Usage } from './types.ts';

export interface SessionOptions {
  config: Config;
  client: ModelClient;
  tools: AnyToolDef[];
  /** Answers "ask" decisions; undefined means headless: every ask is denied. */
  approver?: Approver;
  /** Resume this session id, or the project's latest with 'latest'. */
  resume?: string | 'latest';
  /** Extra system prompt text (e.g. a review's instructions), placed before the environment block. */
  systemOverride?: string;
  /** false: write no transcript (review and commit-message runs are not sessions to resume). Default true. */
  transcript?: boolean;
}

export class SessionError extends Error {}

export class Session {
  readonly id: string;
  readonly transcript: Transcript;
  readonly history: Message[];
  readonly rules: { allow: string[]; deny: string[]; ask: string[] };
  readonly toolState: ToolState = createToolState();
  permissionMode: PermissionMode;
  /** Totals for the whole session. */
  readonly usage: Usage = emptyUsage();
  /** Prompt tokens of the last request: how full the context is. */
  contextTokens = 0;
  private listeners = new Set<(event: AgentEvent) => void>();
  private controller?: AbortController;
  private started = false;
  /** JSON schemas of the tools, built once: every request sends the same bytes (cache-friendly). */
  private schemas?: ReturnType<typeof toolSchemas>;
  /** Snapshots files before tools change them, for `glm undo` and /undo. */
  private readonly undo: UndoRecorder;

  private constructor(
    private readonly o: SessionOptions,
    id: string,
    history: Message[],
    readonly system: string,
    private readonly resumed: boolean,
  ) {
    this.id = id;
    this.history = history;
    const dir = projectSessionsDir(o.config.dataDir, o.config.projectRoot);
    this.transcript = new Transcript(path.join(dir, `${id}.jsonl`));
    this.undo = new UndoRecorder(path.join(dir, id, 'undo'), o.transcript === false ? undefined : this.transcript.file);
    this.listeners.add(this.undo.onEvent);
    this.rules = { allow: [...o.config.allowRules], deny: [...o.config.denyRules], ask: [...o.config.askRules] };
    this.permissionMode = o.config.permissionMode;
  }

  static async open(o: SessionOptions): Promise<Session> {
    const { config } = o;
    const dir = projectSessionsDir(config.dataDir, config.projectRoot);
    let id = newSessionId();
    let history: Message[] = [];
    if (o.resume) {
      const wanted = o.resume === 'latest' ? latestSessionId(dir) : o.resume;
      if (!wanted) throw new SessionError('No earlier session for this project to continue; run without --continue to start one.');
      try {
        history = historyFromEvents(readTranscript(path.join(dir, `${wanted}.jsonl`)));
      } catch {
        throw new SessionError(`No session "${wanted}" for this project; \`glm sessions\` lists them.`);
      }
      id = wanted;
    }
    const [memory, env] = await Promise.all([loadMemory(config.projectRoot), readEnvironment(config.cwd)]);
    const system = renderSystemPrompt({ tools: o.tools.map((t) => t.name), memory, env, extra: o.systemOverride });
    return new Session(o, id, history, system, Boolean(o.resume));
  }

  subscribe(listener: (event: AgentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit = (event: AgentEvent): void => {
    if (this.o.transcript !== false) this.transcript.append(event);
    if (event.type === 'assistant_message' && event.usage) {
      this.contextTokens = event.usage.inputTokens + event.usage.outputTokens;
    }
    if (event.type === 'turn_end' && event.usage) {
      this.usage.inputTokens += event.usage.inputTokens;
      this.usage.outputTokens += event.usage.outputTokens;
      this.usage.cachedTokens += event.usage.cachedTokens;
      this.usage.reasoningTokens += event.usage.reasoningTokens;
    }
    for (const listener of this.listeners) listener(event);
  };

  /** Runs one user prompt until the model is done. Never throws: failures end with an error + done event. */
  async run(prompt: string): Promise<DoneEvent> {
    const { config } = this.o;
    if (!this.started) {
      this.started = true;
      this.emit({
        type: 'session_start',
        sessionId: this.id,
        cwd: config.cwd,
        model: config.model,
        provider: config.provider,
        permissionMode: this.permissionMode,
        tools: this.o.tools.map((t) => t.name),
        resumed: this.resumed,
      });
    }
    const controller = new AbortController();
    this.controller = controller;
    this.emit({ type: 'user_message', text: prompt });
    this.history.push({ role: 'user', content: prompt });
    const gate = createGate({
      mode: () => this.permissionMode,
      rules: this.rules,
      projectRoot: config.projectRoot,
      cwd: config.cwd,
      approver: this.o.approver,
      emit: this.emit,
    });
    try {
      return await runLoop({
        client: this.o.client,
        tools: this.o.tools,
        schemas: (this.schemas ??= toolSchemas(this.o.tools)),
        system: this.system,
        history: this.history,
        gate,
        toolContext: { cwd: config.cwd, state: this.toolState, beforeWrite: this.undo.forPrompt(prompt) },
        spillDir: path.join(path.dirname(this.transcript.file), this.id, 'spill'),
        maxTurns: config.maxTurns,
        emit: this.emit,
        signal: controller.signal,
      });
    } catch (err) {
      // A bug in the loop: still end the stream properly so every consumer finishes.
      this.emit({ type: 'error', message: `internal error: ${err instanceof Error ? err.message : String(err)}` });
      const done: DoneEvent = { type: 'done', reason: 'error', text: '', usage: { ...this.usage }, turns: 0 };
      this.emit(done);
      return done;
    } finally {
      this.controller = undefined;
    }
  }

  /** /model and /thinking: the next request goes through this client. */
  setClient(client: ModelClient): void {
    this.o.client = client;
  }

  /** Stops the running turn: the request and running tools are aborted at once. */
  abort(): void {
    this.controller?.abort();
  }

  async close(): Promise<void> {
    this.abort();
    killAllShells(this.toolState);
  }
}
