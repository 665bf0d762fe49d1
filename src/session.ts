// A session: the conversation, its transcript, permission state and the one event stream that front ends
// subscribe to. Runs the loop for each prompt; abort reaches the request and running tools through one
// signal. Imports no front end (headless, ui, review) and not the openai SDK.
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { runLoop, type DoneEvent } from './agent.ts';
import { commandEnv } from './command-env.ts';
import { modelInfoFor } from './config.ts';
import { createGate, type Gate } from './gate.ts';
import { promptModel } from './hooks/prompt.ts';
import { HookRunner, type HookCallback } from './hooks/runner.ts';
import { SessionHooks } from './hooks/session-hooks.ts';
import { permissionHook, withToolHooks } from './hooks/tool-gate.ts';
import { deniesWholeTool, readDenial } from './permissions.ts';
import { ContextKeeper, type KeeperOptions, type ShrinkResult } from './context/keeper.ts';
import { contextSettings, type ContextSettings } from './context/settings.ts';
import { loadMemoryFiles, type MemoryFile } from './memory.ts';
import { promptMemory, readEnvironment, renderSystemPrompt, type Environment } from './prompt.ts';
import { PLAN_MODE_PROMPT, planModeTools } from './plan-mode/tool-set.ts';
import { createToolState, type ToolContext, type ToolSet, type ToolState } from './tool.ts';
import { composeToolSets, withoutTools } from './tool-sets.ts';
import type { SessionHost, SubagentStopHook } from './agents/host.ts';
import { servedBy } from './usage-by-model.ts';
import { latestAnsweredSessionId, newSessionId, projectSessionsDir, readTranscript, resolveSessionId, restoreSession, subagentSpent, subagentUsage, Transcript, type RestoredSession } from './transcript.ts';
import { lockSession, type SessionLock } from './session-lock.ts';
import { pruneSavedOutputs } from './saved-outputs.ts';
import { resumedSystem } from './system-note.ts';
import { sandboxFor, type CommandSandbox } from './sandbox/sandbox.ts';
import { UndoRecorder } from './undo/recorder.ts';
import { sessionWebSearch } from './web-search-mcp.ts';
import type { WebSearchBackend } from './web-search.ts';
import { killAllShells } from '../tools/bash-shells.ts';
import { addUsage, emptyUsage, type AgentEvent, type Approver, type Config, type ImageData, type Message, type ModelClient, type PermissionMode, type SessionEndReason, type Usage } from './types.ts';

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
  /** What SessionStart hooks are told of a new session: `clear` after /clear (a resumed one is always `resume`). */
  startSource?: 'startup' | 'clear';
  /** A new session's id (`--session-id`), or a fork's; default a fresh UUID. Must not name an existing session. */
  id?: string;
  /** With `resume`: go on from that session's history under a new id (`--fork-session`); the original stays as it was. */
  fork?: boolean;
  /** Replaces glm's base instructions (`--system-prompt`); memory files and the environment block are still added. */
  baseSystemPrompt?: string;
  /** Tool sources that need the session itself (Task and Skill: src/agents/tool-source.ts), after `tools`. */
  extensions?: (host: SessionHost) => ToolSet;
  /** A client for another model (a subagent's); without it subagents use `client`. */
  clientFor?: (model: string) => ModelClient;
  /** Called as each subagent ends, after its SubagentStop hooks (src/agents/host.ts SubagentStopHook). */
  onSubagentStop?: SubagentStopHook;
  /** How callback hooks of `config.hooks` (a program's, HookEntry.callbackId) are asked. */
  hookCallback?: HookCallback;
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
  /** Prompt hooks' tokens not yet in a run's done event. */
  private hookSpent?: Usage;
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
  /** The running prompt's tool context, for subagents; rules allowed until that prompt ends. */
  private runContext?: Omit<ToolContext, 'signal' | 'onOutput' | 'state'>;
  private promptRules: string[] = [];
  /** Approval prompts from concurrent subagents, one at a time. */
  private approvals: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly o: SessionOptions,
    id: string,
    restored: RestoredSession,
    private setup: { memory: MemoryFile[]; system: string; notices: string[]; env: Environment },
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
    this.hooks = this.createHooks();
    this.context = this.createKeeper({ ...contextSettings(o.config), ...o.context });
    if (this.history.length) this.contextTokens = this.context.estimate();
    this.undo = new UndoRecorder(path.join(dir, id, 'undo'), o.transcript === false ? undefined : this.transcript.file);
    this.listeners.add(this.undo.onEvent);
    this.rules = { allow: [...o.config.allowRules], deny: [...o.config.denyRules], ask: [...o.config.askRules] };
    this.permissionMode = o.config.permissionMode;
    // Probed at the first command that needs it (gate or Bash), not here: `glm -p hi` starts no bwrap. Front ends
    // hear the outcome once, as a `sandbox` event (the "no sandbox" notice, the status line's "sandboxed").
    this.sandbox = sandboxFor(o.config, {
      denyRules: () => this.rules.deny,
      onState: (s) => this.emit({ type: 'sandbox', active: s.active, ...(s.notice && { notice: s.notice }) }),
    });
  }

  /** What Task and Skill use of this session (src/agents/host.ts). */
  private host(): SessionHost {
    const session = this;
    return {
      config: this.o.config,
      tools: this.o.tools,
      client: (model) => (model && this.o.clientFor ? this.o.clientFor(model) : this.o.client),
      contextFor: (model) => this.subagentContext(model),
      emit: this.emit,
      // The session's gate with the agent's mode and approver: PreToolUse / PermissionRequest hooks judge its calls too.
      gate: ({ agent, mode, ask, askDenied, emit }) =>
        this.withHooks(
          createGate({
            ...this.gateOptions(emit),
            mode: () => (this.permissionMode === 'plan' ? 'plan' : (mode ?? this.permissionMode)),
            approver: ask && this.o.approver ? this.namedApprover(agent) : undefined,
            askDenied,
          }),
          emit,
        ),
      loopHooks: (info) => this.hooks?.loopHooks(info),
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

  /** A subagent's context settings: its model's window (the session's own when it inherits), the session's threshold. */
  private subagentContext(model: string | undefined): ContextSettings {
    const { config } = this.o;
    const settings = { ...contextSettings(config), ...this.o.context };
    if (!model || !this.o.clientFor) return { ...settings, window: this.context.window };
    return { ...settings, window: this.o.context?.window ?? modelInfoFor(model, config.contextWindowSetting).contextWindow };
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
    const hooks = this.hooks;
    return {
      mode: () => this.permissionMode,
      rules: this.rules,
      projectRoot: config.projectRoot,
      cwd: config.cwd,
      additionalDirs: config.additionalDirectories,
      ownDirs: [this.spillDir],
      approver: this.o.approver,
      emit,
      sandbox: () => this.sandbox.state(),
      ...(hooks && {
        permissionHook: permissionHook(hooks),
        notify: (message: string) => hooks.notify(message, 'permission_prompt', this.controller?.signal ?? new AbortController().signal),
      }),
    };
  }

  /** PreToolUse (and the other tool hooks) around a gate, when hooks are configured. */
  private withHooks(gate: Gate, emit: (event: AgentEvent) => void): Gate {
    return this.hooks ? withToolHooks(gate, this.hooks, emit) : gate;
  }

  static async open(o: SessionOptions): Promise<Session> {
    const { config } = o;
    const dir = projectSessionsDir(config.dataDir, config.projectRoot);
    let id = o.id ?? newSessionId();
    if (existsSync(path.join(dir, `${id}.jsonl`))) throw new SessionError(`Session id ${id} is already in use; pass --resume ${id} to go on with it.`);
    let restored: RestoredSession = { history: [], prompts: [], todos: [], usage: emptyUsage() };
    let wanted: string | undefined;
    if (o.resume) {
      if (o.resume === 'latest') wanted = latestAnsweredSessionId(dir);
      else {
        const resolved = resolveSessionId(dir, o.resume);
        if ('error' in resolved) throw new SessionError(`${resolved.error[0]!.toUpperCase()}${resolved.error.slice(1)}.`);
        wanted = resolved.id;
      }
      if (!wanted) throw new SessionError('No earlier session for this project to continue; run without --continue to start one.');
      if (!o.fork) id = wanted; // a fork (--fork-session) goes on under its new id
    }
    const lock = o.transcript === false ? { release: () => {} } : lockSession(path.join(dir, `${id}.jsonl`));
    if ('heldBy' in lock) {
      throw new SessionError(`session ${id} is in use by another glm process (pid ${lock.heldBy}); wait for it to end, or start a new session without --continue/--resume`);
    }
    if (wanted) {
      try {
        restored = restoreSession(path.join(dir, `${wanted}.jsonl`));
      } catch {
        lock.release();
        throw new SessionError(`No session "${wanted}" for this project; \`glm sessions\` lists them.`);
      }
      // A fork starts as a copy of the original's transcript, so resuming the fork later has the whole history.
      if (o.fork) copyFileSync(path.join(dir, `${wanted}.jsonl`), path.join(dir, `${id}.jsonl`));
    }
    const setup = await Session.loadSetup(o);
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

  /** Memory files and the system prompt rendered from them and the environment. */
  private static async loadSetup(o: SessionOptions) {
    const { config } = o;
    const notices: string[] = [];
    const [memory, env] = await Promise.all([
      loadMemoryFiles({ cwd: config.cwd, projectRoot: config.projectRoot, configDir: config.configDir, notice: (t) => notices.push(t) }),
      o.environment ?? readEnvironment(config.cwd),
    ]);
    const system = renderSystemPrompt({ tools: o.tools.names, memory: promptMemory(memory), env, extra: o.systemOverride, base: o.baseSystemPrompt });
    return { memory, system, notices, env };
  }

  private createHooks(): SessionHooks | undefined {
    const { config } = this.o;
    if (!config.hooks?.length) return undefined;
    const runner = new HookRunner({
      hooks: config.hooks,
      cwd: config.cwd,
      projectRoot: config.projectRoot,
      env: commandEnv(config),
      sessionId: () => this.id,
      transcriptPath: () => this.transcript.file,
      permissionMode: () => this.permissionMode,
      emit: (event) => this.emit(event),
      // sandbox.hooks: hooks start inside the session's sandbox, as Bash does (set later in the constructor).
      ...(config.sandbox?.hooks && { launch: (argv: string[], cwd: string, env: NodeJS.ProcessEnv) => this.sandbox.launch(argv, cwd, env) }),
      callback: this.o.hookCallback,
      // A prompt hook's tokens count in the session's usage and the run's, under the model that answered.
      model: promptModel(config, this.o.clientFor, () => this.o.client, (usage, model) => {
        const spent = model ? servedBy(model, usage) : usage;
        addUsage(this.usage, spent);
        this.hookSpent = addUsage(this.hookSpent ?? emptyUsage(), spent);
      }),
    });
    return new SessionHooks(runner);
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
    this.setup = await Session.loadSetup(this.o);
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
    // The prompt hooks' tokens since the last run ended join this run's usage (the session's has them already).
    if (event.type === 'done' && this.hookSpent) {
      event.usage = addUsage({ ...(event.usage ?? emptyUsage()) }, this.hookSpent);
      this.hookSpent = undefined;
    }
    if (this.o.transcript !== false) this.transcript.append(event);
    if (event.type === 'assistant_message' && this.o.transcript !== false) this.transcript.keepDescriptions(this.history);
    if (event.type === 'assistant_message' && event.usage) {
      this.contextTokens = event.usage.inputTokens + event.usage.outputTokens;
    }
    if (event.type === 'compaction') this.contextTokens = event.afterTokens;
    if (event.type === 'turn_end' && event.usage) addUsage(this.usage, event.usage);
    // A subagent's requests count in the session's totals (its turn_end and compaction events arrive wrapped).
    const spentBySubagent = event.type === 'subagent' ? subagentSpent(event.event) : undefined;
    if (spentBySubagent) addUsage(this.usage, subagentUsage(event.type === 'subagent' ? event.model : undefined, spentBySubagent));
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
    const gate = this.createRunGate();
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
      // A skill's allowed-tools hold for the prompt that invoked it only.
      for (const rule of this.promptRules.splice(0)) {
        const i = this.rules.allow.indexOf(rule);
        if (i >= 0) this.rules.allow.splice(i, 1);
      }
    }
  }

  /** The permission gate of one run, with PreToolUse and PermissionRequest hooks around it when there are any. */
  private createRunGate() {
    return this.withHooks(createGate(this.gateOptions(this.emit)), this.emit);
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
}
