// A session: the conversation, its transcript, permission state and the one event stream that front ends
// subscribe to. Runs the loop for each prompt; abort reaches the request and running tools through one
// signal. Imports no front end (headless, ui, review) and not the openai SDK.
import path from 'node:path';
import { runLoop, type DoneEvent } from './agent.ts';
import { commandEnv } from './command-env.ts';
import type { SessionHooks } from './hooks/session-hooks.ts';
import { deniesWholeTool, readDenial } from './permissions.ts';
import { ContextKeeper, type KeeperOptions, type ShrinkResult } from './context/keeper.ts';
import { contextSettings, type ContextSettings } from './context/settings.ts';
import type { MemoryFile } from './memory.ts';
import { PLAN_MODE_PROMPT, planModeTools } from './plan-mode/tool-set.ts';
import { createToolState, type ToolContext, type ToolSet, type ToolState } from './tool.ts';
import { composeToolSets, withoutTools } from './tool-sets.ts';
import type { SessionHost } from './agents/host.ts';
import { projectSessionsDir, readTranscript, Transcript, type RestoredSession } from './transcript.ts';
import type { SessionLock } from './session-lock.ts';
import { SessionGates } from './session-gates.ts';
import { sessionHost } from './session-host.ts';
import { sessionHooks } from './session-hook-runner.ts';
import { findSession, loadSetup, type SessionSetup } from './session-open.ts';
import type { SessionOptions } from './session-options.ts';
import { SessionUsage } from './session-usage.ts';
import { pruneSavedOutputs } from './saved-outputs.ts';
import { resumedSystem } from './system-note.ts';
import { sandboxFor, type CommandSandbox } from './sandbox/sandbox.ts';
import { UndoRecorder } from './undo/recorder.ts';
import { sessionWebSearch } from './web-search-mcp.ts';
import type { WebSearchBackend } from './web-search.ts';
import { killAllShells } from '../tools/bash-shells.ts';
import { addUsage, emptyUsage, type AgentEvent, type ImageData, type Message, type ModelClient, type PermissionMode, type SessionEndReason, type Usage } from './types.ts';

export type { SessionOptions } from './session-options.ts';
export { SessionError } from './session-open.ts';

export class Session {
  readonly id: string;
  readonly transcript: Transcript;
  readonly history: Message[];
  readonly rules: { allow: string[]; deny: string[]; ask: string[] };
  readonly toolState: ToolState = createToolState();
  permissionMode: PermissionMode;
  private readonly spent = new SessionUsage();
  /** Totals for the whole session. */
  readonly usage: Usage = this.spent.total;
  /** Tokens of the last request and its answer (after a compaction: the estimate of the next request). */
  contextTokens = 0;
  /** Every prompt the user typed, oldest first (compaction carries them over verbatim). */
  readonly prompts: string[];
  /** Keeps the history inside the context window: estimates, stubs old tool outputs, compacts. */
  readonly context: ContextKeeper;
  private listeners = new Set<(event: AgentEvent) => void>();
  private controller?: AbortController;
  private started = false;
  /** WebSearch's backend for this provider and key; connects (Coding Plan MCP) on the first search. */
  private readonly webSearch?: WebSearchBackend;
  /** Snapshots files before tools change them, for `glm undo` and /undo. */
  private readonly undo: UndoRecorder;
  /** The configured lifecycle hooks (src/hooks/); undefined when there are none. */
  readonly hooks?: SessionHooks;
  /** What SessionStart hooks gave the model, added with the next prompt. */
  private hookContext?: string;
  /** Where commands run (src/sandbox/): Bash and background shells, and hooks or MCP servers that ask for it. */
  readonly sandbox: CommandSandbox;

  private readonly spillDir: string;
  /** A resumed session's earlier events are read when a front end asks for them, once (takeEarlierEvents). */
  private earlierTaken: boolean;
  /** Lines about the data folder and the transcript for front ends to show (a repair on load, a failed write). */
  private readonly sessionNotices: string[] = [];
  /** Old saved outputs being removed in the background (saved-outputs.ts); settles with how many went. */
  pruning: Promise<number> = Promise.resolve(0);
  /** The system prompt the transcript holds last (resume sends it again). */
  private recordedSystem?: string;
  /** What changed in the environment since a resumed session started, for its next prompt. */
  private environmentNote?: string;
  /** The prompt running now or last (close waits for it to end). */
  private running?: Promise<DoneEvent>;
  /** Every tool the model is offered: `tools`, then the extensions' (Task, Skill), then ExitPlanMode in plan mode. */
  readonly tools: ToolSet;
  /** The running prompt's tool context, for subagents. */
  private runContext?: Omit<ToolContext, 'signal' | 'onOutput' | 'state'>;
  /** The permission gates of runs and subagents (session-gates.ts). */
  private readonly gates: SessionGates;

  private constructor(
    private readonly o: SessionOptions,
    id: string,
    restored: RestoredSession,
    private setup: SessionSetup,
    private readonly resumed: boolean,
    private readonly lock: SessionLock,
    webSearch: WebSearchBackend | undefined,
  ) {
    this.id = id;
    const plan = planModeTools({ mode: () => this.permissionMode, setMode: (m) => (this.permissionMode = m), approver: o.approver });
    this.webSearch = webSearch;
    this.tools = composeToolSets([o.tools, ...(o.extensions ? [o.extensions(this.host())] : []), plan]);
    this.history = restored.history;
    this.prompts = restored.prompts;
    this.toolState.todos = restored.todos;
    addUsage(this.usage, restored.usage); // a resumed session's totals go on from where it stopped
    this.earlierTaken = !resumed;
    if (restored.repaired) this.sessionNotices.push(restored.repaired);
    const dir = projectSessionsDir(o.config.dataDir, o.config.projectRoot);
    // code 'data_folder': headless prints it on stderr in every format (stdout may be JSON), the run goes on.
    const onFailure = (line: string) => this.emit({ type: 'error', message: line, code: 'data_folder' });
    this.transcript = new Transcript(path.join(dir, `${id}.jsonl`), { holdUntilAnswered: !resumed, onFailure });
    this.spillDir = path.join(dir, id, 'spill');
    this.hooks = sessionHooks(o, {
      id: () => this.id,
      transcriptPath: () => this.transcript.file,
      permissionMode: () => this.permissionMode,
      emit: (event) => this.emit(event),
      sandbox: () => this.sandbox,
    });
    this.context = this.createKeeper({ ...contextSettings(o.config), ...o.context });
    if (this.history.length) this.contextTokens = this.context.estimate();
    this.undo = new UndoRecorder(path.join(dir, id, 'undo'), o.transcript === false ? undefined : this.transcript.file);
    this.listeners.add(this.undo.onEvent);
    this.rules = { allow: [...o.config.allowRules], deny: [...o.config.denyRules], ask: [...o.config.askRules] };
    this.permissionMode = o.config.permissionMode;
    this.gates = new SessionGates({
      config: o.config,
      rules: this.rules,
      mode: () => this.permissionMode,
      approver: o.approver,
      ownDirs: [this.spillDir],
      sandbox: () => this.sandbox.state(),
      hooks: () => this.hooks,
      signal: () => this.controller?.signal,
    });
    // Probed at the first command that needs it (gate or Bash), not here: `glm -p hi` starts no bwrap. Front ends
    // hear the outcome once, as a `sandbox` event (the "no sandbox" notice, the status line's "sandboxed").
    this.sandbox = sandboxFor(o.config, {
      denyRules: () => this.rules.deny,
      onState: (s) => this.emit({ type: 'sandbox', active: s.active, ...(s.notice && { notice: s.notice }) }),
    });
  }

  /** What Task and Skill use of this session (session-host.ts). */
  private host(): SessionHost {
    return sessionHost({
      options: this.o,
      window: () => this.context.window,
      emit: this.emit,
      gates: () => this.gates,
      hooks: () => this.hooks,
      toolContext: () => this.runContext,
      spillDir: () => this.spillDir,
      setup: () => this.setup,
    });
  }

  /** Allow rules that hold until the running (or next) prompt ends: an invoked skill's allowed-tools. */
  allowForPrompt(rules: string[]): void {
    this.gates.allowForPrompt(rules);
  }

  static async open(o: SessionOptions): Promise<Session> {
    const { config } = o;
    const { id, restored, lock } = findSession(o);
    const setup = await loadSetup(o);
    // A resumed session sends the system prompt it sent before, so the provider's cache still holds the prefix.
    const resumed = restored.system !== undefined ? resumedSystem(restored.system, setup.system) : undefined;
    // WebSearch is offered only where a backend exists (src/web-search.ts webSearchSource).
    const webSearch = sessionWebSearch(config, o.tools, (tool) => deniesWholeTool(config.denyRules, tool));
    if (!webSearch) o = { ...o, tools: withoutTools(o.tools, ['WebSearch']) };
    const session = new Session(o, id, restored, resumed ? { ...setup, system: resumed.system } : setup, Boolean(o.resume), lock, webSearch);
    session.recordedSystem = restored.system;
    session.environmentNote = resumed?.note;
    if (o.transcript !== false) session.pruning = pruneSavedOutputs(config.dataDir, (config.savedOutputsMaxMB ?? 500) * 1024 * 1024).catch(() => 0);
    return session;
  }

  /** PreCompact before a summarising compaction; SessionStart (compact) after it, whose context joins the next prompt. */
  private compactionHooks(hooks: SessionHooks): KeeperOptions['hooks'] {
    return {
      before: (trigger, focus, signal) => hooks.preCompact(trigger, focus, signal),
      after: async (signal) => this.addHookContext(await hooks.sessionStart('compact', this.o.config.model, signal)),
    };
  }

  private addHookContext(text: string | undefined): void {
    if (text) this.hookContext = this.hookContext ? `${this.hookContext}\n${text}` : text;
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
      ...(this.hooks && { hooks: this.compactionHooks(this.hooks) }),
    });
  }

  /** The events of a resumed session's earlier runs, once (the transcript is read once, when it opens). */
  takeEarlierEvents(): AgentEvent[] {
    if (this.earlierTaken) return [];
    this.earlierTaken = true;
    try {
      return readTranscript(this.transcript.file);
    } catch {
      return [];
    }
  }

  /** This session's own folder (spill files, undo data, MCP server logs), next to its transcript. */
  get folder(): string {
    return path.dirname(this.spillDir);
  }

  /** The system prompt the next request sends (with plan mode's instruction while it is on). */
  get system(): string {
    return this.permissionMode === 'plan' ? `${this.setup.system}\n\n${PLAN_MODE_PROMPT}` : this.setup.system;
  }

  /** The memory files in the system prompt, in order (for /memory: see memorySummary in memory.ts). */
  get memory(): readonly MemoryFile[] {
    return this.setup.memory;
  }

  /** One line per memory file left out, and why (memory.ts): front ends show them when the session opens. */
  get notices(): readonly string[] {
    return [...this.sessionNotices, ...this.setup.notices];
  }

  /**
   * Reads the memory files (and environment) again and renders the system prompt from them: after a
   * compaction, and after `# note` changed AGENTS.md. The next request sends the new prompt.
   */
  async reloadMemory(): Promise<void> {
    this.setup = await loadSetup(this.o);
    this.environmentNote = undefined; // the new prompt's environment block is current
    this.recordSystem();
  }

  /** Records the system prompt in the transcript when it is not the one recorded last. */
  private recordSystem(): void {
    if (this.o.transcript === false || this.recordedSystem === this.system) return;
    this.recordedSystem = this.system;
    this.transcript.record({ kind: 'system', system: this.system });
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
    this.spent.count(event); // before the transcript: a run's done event gets the prompt hooks' tokens
    if (this.o.transcript !== false) this.transcript.append(event);
    if (event.type === 'assistant_message' && this.o.transcript !== false) this.transcript.keepDescriptions(this.history);
    if (event.type === 'assistant_message' && event.usage) {
      this.contextTokens = event.usage.inputTokens + event.usage.outputTokens;
    }
    if (event.type === 'compaction') this.contextTokens = event.afterTokens;
    for (const listener of this.listeners) listener(event);
  };

  /**
   * Runs one user prompt (with its images: --image, a paste, stream-json) until the model is done. Never throws:
   * failures end with an error + done event.
   */
  run(prompt: string, images?: ImageData[]): Promise<DoneEvent> {
    const running = this.runPrompt(prompt, images);
    this.running = running;
    return running;
  }

  private async runPrompt(prompt: string, images?: ImageData[]): Promise<DoneEvent> {
    const { config } = this.o;
    const controller = new AbortController();
    this.controller = controller;
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
      this.addHookContext(await this.hooks?.sessionStart(this.resumed ? 'resume' : (this.o.startSource ?? 'startup'), config.model, controller.signal));
    }
    this.hooks?.beginRun();
    const submitted = (await this.hooks?.userPromptSubmit(prompt, controller.signal)) ?? {};
    if (submitted.blocked !== undefined || controller.signal.aborted) return this.dropPrompt(submitted.blocked);
    if (this.environmentNote) {
      this.emit({ type: 'user_message', text: this.environmentNote, synthetic: true });
      this.history.push({ role: 'user', content: this.environmentNote });
      this.environmentNote = undefined;
    }
    const withImages = images?.length ? { images } : {};
    this.emit({ type: 'user_message', text: prompt, ...withImages });
    this.history.push({ role: 'user', content: prompt, ...withImages });
    this.recordSystem();
    this.prompts.push(prompt);
    this.addHookContext(submitted.context);
    if (this.hookContext) {
      // What hooks had to say joins the conversation after the prompt (kept in the transcript, so a resume has it).
      const text = `Context from the hooks of this project and user (SessionStart / UserPromptSubmit):\n${this.hookContext}`;
      this.hookContext = undefined;
      this.history.push({ role: 'user', content: text });
      this.emit({ type: 'user_message', text, synthetic: true });
    }
    const gate = this.gates.run(this.emit);
    this.runContext = {
      cwd: config.cwd,
      beforeWrite: this.undo.forPrompt(prompt),
      readDenied: readDenial(this.rules.deny, config.projectRoot),
      env: commandEnv(config),
      sandbox: this.sandbox,
      ...(config.webFetchAllowPrivate && { allowPrivateNetwork: true }),
      ...(this.webSearch && { webSearch: (q: string, sig: AbortSignal) => this.webSearch!.search(q, sig) }),
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
        ...(this.hooks && { hooks: this.hooks.loopHooks() }),
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
      this.gates.endPrompt();
    }
  }

  /** A UserPromptSubmit hook blocked the prompt (or Esc came first): it is dropped, and the user is told why. */
  private dropPrompt(reason: string | undefined): DoneEvent {
    this.controller = undefined;
    if (reason === undefined) {
      const done: DoneEvent = { type: 'done', reason: 'aborted', text: '', usage: emptyUsage(), turns: 0 };
      this.emit(done);
      return done;
    }
    this.emit({ type: 'error', message: `A UserPromptSubmit hook blocked the prompt: ${reason}` });
    const done: DoneEvent = { type: 'done', reason: 'error', text: '', usage: emptyUsage(), turns: 0 };
    this.emit(done);
    return done;
  }

  /**
   * /rewind: drops the conversation from history[index] on (a user prompt) and records that in the transcript,
   * so the next request, and a resume, send the shorter history. Refused while a prompt runs.
   */
  rewindTo(index: number): boolean {
    if (this.controller || index < 0 || index >= this.history.length) return false;
    this.history.splice(index);
    if (this.o.transcript !== false) this.transcript.record({ kind: 'rewind', history: structuredClone(this.history) });
    this.contextTokens = this.history.length ? this.context.estimate() : 0;
    return true;
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

  /**
   * Ends the session: a running turn is aborted and given up to 2 s to end (its `done` reaches the transcript), then
   * SessionEnd hooks (`reason` as Claude Code names it).
   */
  async close(reason: SessionEndReason = 'other'): Promise<void> {
    this.abort();
    if (this.running) await Promise.race([this.running, new Promise((r) => setTimeout(r, 2000).unref())]);
    // The shells' signals go out at once; the sandbox's temp folder goes once they are gone (or at exit).
    void killAllShells(this.toolState).then(() => this.sandbox.close());
    await this.webSearch?.close();
    if (this.started && this.hooks) {
      this.started = false; // once
      await this.hooks.sessionEnd(reason, new AbortController().signal);
    }
    this.lock.release();
  }

  /**
   * The prompt hooks' tokens that no run's `done` event carried (SessionEnd's, run by close), once: for a front end
   * that reports its run after closing the session.
   */
  takeHookUsage(): Usage | undefined {
    return this.spent.takeHookUsage();
  }
}
