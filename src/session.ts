// A session: the conversation, its transcript, permission state and the one event stream that front ends
// subscribe to. Runs the loop for each prompt; abort reaches the request and running tools through one
// signal. Imports no front end (headless, ui, review) and not the openai SDK.
import path from 'node:path';
import { runLoop, type DoneEvent } from './agent.ts';
import { commandEnv } from './command-env.ts';
import { createGate } from './gate.ts';
import { readDenial } from './permissions.ts';
import { ContextKeeper, type ShrinkResult } from './context/keeper.ts';
import { contextSettings, type ContextSettings } from './context/settings.ts';
import { loadMemoryFiles, type MemoryFile } from './memory.ts';
import { promptMemory, readEnvironment, renderSystemPrompt, type Environment } from './prompt.ts';
import { createToolState, type ToolContext, type ToolSet, type ToolState } from './tool.ts';
import { composeToolSets } from './tool-sets.ts';
import type { SessionHost, SubagentStopHook } from './agents/host.ts';
import { latestAnsweredSessionId, newSessionId, projectSessionsDir, restoreSession, Transcript, type RestoredSession } from './transcript.ts';
import { UndoRecorder } from './undo/recorder.ts';
import { killAllShells } from '../tools/bash-shells.ts';
import { addUsage, emptyUsage, type AgentEvent, type Approver, type Config, type Message, type ModelClient, type PermissionMode, type Usage } from './types.ts';

export interface SessionOptions {
  config: Config;
  client: ModelClient;
  /** Names and schemas up front; definitions load when the model starts answering (see ToolSet). */
  tools: ToolSet;
  /** Answers "ask" decisions; undefined means headless: every ask is denied. */
  approver?: Approver;
  /** Resume this session id, or the project's latest with 'latest'. */
  resume?: string | 'latest';
  /** Extra system prompt text (e.g. a review's instructions), placed before the environment block. */
  systemOverride?: string;
  /** false: write no transcript (review and commit-message runs are not sessions to resume). Default true. */
  transcript?: boolean;
  /** Overrides the window, compaction threshold or auto-compaction from the settings files. */
  context?: Partial<ContextSettings>;
  /** The environment block, when the caller started reading it early (git runs while modules load). */
  environment?: Promise<Environment>;
  /** Tool sources that need the session itself (Task and Skill: src/agents/tool-source.ts), after `tools`. */
  extensions?: (host: SessionHost) => ToolSet;
  /** A client for another model (a subagent's); without it subagents use `client`. */
  clientFor?: (model: string) => ModelClient;
  /** Called as each subagent ends (the SubagentStop hook's call site: wire src/hooks/ here). */
  onSubagentStop?: SubagentStopHook;
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
  /** Tokens of the last request and its answer (after a compaction: the estimate of the next request). */
  contextTokens = 0;
  /** Every prompt the user typed, oldest first (compaction carries them over verbatim). */
  readonly prompts: string[];
  /** Keeps the history inside the context window: estimates, stubs old tool outputs, compacts. */
  readonly context: ContextKeeper;
  private listeners = new Set<(event: AgentEvent) => void>();
  private controller?: AbortController;
  private started = false;
  /** Snapshots files before tools change them, for `glm undo` and /undo. */
  private readonly undo: UndoRecorder;

  private readonly spillDir: string;
  /** Every tool the model is offered: `tools`, then the extensions'. */
  readonly tools: ToolSet;
  /** The running prompt's tool context, for subagents; rules allowed until that prompt ends. */
  private runContext?: Omit<ToolContext, 'signal' | 'onOutput' | 'state'>;
  private promptRules: string[] = [];
  /** Approval prompts from concurrent subagents, one at a time. */
  private approvals: Promise<unknown> = Promise.resolve();
  /** A resumed session's earlier events until a front end takes them (takeEarlierEvents). */
  private earlierEvents: AgentEvent[];

  private constructor(
    private readonly o: SessionOptions,
    id: string,
    restored: RestoredSession,
    private setup: { memory: MemoryFile[]; system: string; notices: string[]; env: Environment },
    private readonly resumed: boolean,
  ) {
    this.id = id;
    this.tools = o.extensions ? composeToolSets([o.tools, o.extensions(this.host())]) : o.tools;
    this.history = restored.history;
    this.prompts = restored.prompts;
    this.toolState.todos = restored.todos;
    addUsage(this.usage, restored.usage); // a resumed session's totals go on from where it stopped
    this.earlierEvents = restored.events;
    const dir = projectSessionsDir(o.config.dataDir, o.config.projectRoot);
    this.transcript = new Transcript(path.join(dir, `${id}.jsonl`), { holdUntilAnswered: !resumed });
    this.spillDir = path.join(dir, id, 'spill');
    this.context = this.createKeeper({ ...contextSettings(o.config), ...o.context });
    if (this.history.length) this.contextTokens = this.context.estimate();
    this.undo = new UndoRecorder(path.join(dir, id, 'undo'), o.transcript === false ? undefined : this.transcript.file);
    this.listeners.add(this.undo.onEvent);
    this.rules = { allow: [...o.config.allowRules], deny: [...o.config.denyRules], ask: [...o.config.askRules] };
    this.permissionMode = o.config.permissionMode;
  }

  /** What Task and Skill use of this session (src/agents/host.ts). */
  private host(): SessionHost {
    const session = this;
    return {
      config: this.o.config,
      tools: this.o.tools,
      client: (model) => (model && this.o.clientFor ? this.o.clientFor(model) : this.o.client),
      emit: this.emit,
      gate: ({ agent, mode, ask, askDenied, emit }) =>
        createGate({
          ...this.gateOptions(emit),
          mode: () => (this.permissionMode === 'plan' ? 'plan' : (mode ?? this.permissionMode)),
          approver: ask && this.o.approver ? this.namedApprover(agent) : undefined,
          askDenied,
        }),
      toolContext: () => this.runContext,
      get spillDir() {
        return session.spillDir;
      },
      get memory() {
        return promptMemory(session.setup.memory);
      },
      environment: () => this.setup.env,
      onSubagentStop: this.o.onSubagentStop,
      allowForPrompt: (rules) => this.allowForPrompt(rules),
    };
  }

  /** Allow rules that hold until the running (or next) prompt ends: an invoked skill's allowed-tools. */
  allowForPrompt(rules: string[]): void {
    for (const rule of rules.filter((r) => !this.rules.allow.includes(r))) {
      this.rules.allow.push(rule);
      this.promptRules.push(rule);
    }
  }

  /** The session's approver for a subagent's calls: its prompts name the agent and come one at a time. */
  private namedApprover(agent: string): Approver {
    const approver = this.o.approver!;
    return (request, signal) => {
      const answer = this.approvals.then(() => (signal.aborted ? { decision: 'deny' as const } : approver({ ...request, agent, title: `${agent}: ${request.title}` }, signal)));
      this.approvals = answer.catch(() => undefined);
      return answer;
    };
  }

  private gateOptions(emit: (event: AgentEvent) => void) {
    const { config } = this.o;
    return {
      mode: () => this.permissionMode,
      rules: this.rules,
      projectRoot: config.projectRoot,
      cwd: config.cwd,
      additionalDirs: config.additionalDirectories,
      ownDirs: [this.spillDir],
      approver: this.o.approver,
      emit,
    };
  }

  static async open(o: SessionOptions): Promise<Session> {
    const { config } = o;
    const dir = projectSessionsDir(config.dataDir, config.projectRoot);
    let id = newSessionId();
    let restored: RestoredSession = { history: [], prompts: [], todos: [], usage: emptyUsage(), events: [] };
    if (o.resume) {
      const wanted = o.resume === 'latest' ? latestAnsweredSessionId(dir) : o.resume;
      if (!wanted) throw new SessionError('No earlier session for this project to continue; run without --continue to start one.');
      try {
        restored = restoreSession(path.join(dir, `${wanted}.jsonl`));
      } catch {
        throw new SessionError(`No session "${wanted}" for this project; \`glm sessions\` lists them.`);
      }
      id = wanted;
    }
    return new Session(o, id, restored, await Session.loadSetup(o), Boolean(o.resume));
  }

  /** Memory files and the system prompt rendered from them and the environment. */
  private static async loadSetup(o: SessionOptions) {
    const { config } = o;
    const notices: string[] = [];
    const [memory, env] = await Promise.all([
      loadMemoryFiles({ cwd: config.cwd, projectRoot: config.projectRoot, configDir: config.configDir, notice: (t) => notices.push(t) }),
      o.environment ?? readEnvironment(config.cwd),
    ]);
    const system = renderSystemPrompt({ tools: o.tools.names, memory: promptMemory(memory), env, extra: o.systemOverride });
    return { memory, system, notices, env };
  }

  private createKeeper(settings: ContextSettings): ContextKeeper {
    return new ContextKeeper({
      ...settings,
      history: this.history,
      tools: () => this.tools.schemas,
      spillDir: this.spillDir,
      client: () => this.o.client,
      system: () => this.system,
      refreshSystem: () => this.reloadMemory(),
      prompts: () => this.prompts,
      todos: () => this.toolState.todos,
      files: () => [...this.toolState.readFiles.keys()].map((f) => path.relative(this.o.config.cwd, f) || f),
      emit: this.emit,
      record: (record) => {
        if (this.o.transcript !== false) this.transcript.record(record);
      },
      spent: (usage) => addUsage(this.usage, usage),
    });
  }

  /** The events of a resumed session's earlier runs, once (the transcript is read once, when it opens). */
  takeEarlierEvents(): AgentEvent[] {
    const events = this.earlierEvents;
    this.earlierEvents = [];
    return events;
  }

  /** This session's own folder (spill files, undo data, MCP server logs), next to its transcript. */
  get folder(): string {
    return path.dirname(this.spillDir);
  }

  /** The system prompt the next request sends. */
  get system(): string {
    return this.setup.system;
  }

  /** The memory files in the system prompt, in order (for /memory: see memorySummary in memory.ts). */
  get memory(): readonly MemoryFile[] {
    return this.setup.memory;
  }

  /** One line per memory file left out, and why (memory.ts): front ends show them when the session opens. */
  get notices(): readonly string[] {
    return this.setup.notices;
  }

  /**
   * Reads the memory files (and environment) again and renders the system prompt from them: after a
   * compaction, and after `# note` changed AGENTS.md. The next request sends the new prompt.
   */
  async reloadMemory(): Promise<void> {
    this.setup = await Session.loadSetup(this.o);
  }

  /**
   * `/compact [focus]`: old tool outputs become stubs and the model summarises the older turns now.
   * Emits a `compaction` event when it did; `compacted: false` when there was nothing old enough to compact.
   */
  async compact(focus?: string): Promise<ShrinkResult> {
    if (this.controller) return { compacted: false, failure: 'A prompt is running; compact when it is done.' };
    const controller = new AbortController();
    this.controller = controller;
    try {
      return await this.context.compact(controller.signal, focus);
    } finally {
      this.controller = undefined;
    }
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
    if (event.type === 'compaction') this.contextTokens = event.afterTokens;
    if (event.type === 'turn_end' && event.usage) addUsage(this.usage, event.usage);
    // A subagent's requests count in the session's totals (its turn_end events arrive wrapped).
    if (event.type === 'subagent' && event.event.type === 'turn_end' && event.event.usage) addUsage(this.usage, event.event.usage);
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
        tools: this.tools.names,
        resumed: this.resumed,
      });
    }
    const controller = new AbortController();
    this.controller = controller;
    this.emit({ type: 'user_message', text: prompt });
    this.history.push({ role: 'user', content: prompt });
    this.prompts.push(prompt);
    const gate = createGate(this.gateOptions(this.emit));
    this.runContext = {
      cwd: config.cwd,
      beforeWrite: this.undo.forPrompt(prompt),
      readDenied: readDenial(this.rules.deny, config.projectRoot),
      env: commandEnv(config),
    };
    try {
      return await runLoop({
        client: this.o.client,
        tools: () => this.tools.load(),
        schemas: () => this.tools.schemas,
        system: this.system,
        history: this.history,
        gate,
        toolContext: { ...this.runContext, state: this.toolState },
        spillDir: this.spillDir,
        maxTurns: config.maxTurns,
        emit: this.emit,
        signal: controller.signal,
        context: this.context,
      });
    } catch (err) {
      // A bug in the loop: still end the stream properly so every consumer finishes.
      this.emit({ type: 'error', message: `internal error: ${err instanceof Error ? err.message : String(err)}` });
      const done: DoneEvent = { type: 'done', reason: 'error', text: '', usage: emptyUsage(), turns: 0 }; // a run's own usage, as the loop reports it
      this.emit(done);
      return done;
    } finally {
      this.controller = undefined;
      this.runContext = undefined;
      // A skill's allowed-tools hold for the prompt that invoked it only.
      for (const rule of this.promptRules.splice(0)) {
        const i = this.rules.allow.indexOf(rule);
        if (i >= 0) this.rules.allow.splice(i, 1);
      }
    }
  }

  /** /model and /thinking: the next request goes through this client (to a model with this context window). */
  setClient(client: ModelClient, contextWindow?: number): void {
    this.o.client = client;
    if (contextWindow) this.context.setWindow(contextWindow);
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
