// The REPL's one bridge to the session: submits prompts (queued while a turn runs), aborts, answers
// approvals, runs slash commands, and feeds session events into the store. No rendering here and no agent
// logic: the session decides, this only relays. Approvals wait in approval-queue.ts, `!command`s and restored
// files for the next prompt in shell-context.ts, the command list is command-catalog.ts, messages sent during a
// turn in prompt-queue.ts, @mentions are expanded by prompt-expansion.ts. Imports no ink/react.
import { ApprovalQueue } from './approval-queue.ts';
import { CommandCatalog } from './command-catalog.ts';
import { parseCommand, type CommandContext, type SlashCommand } from './commands.ts';
import { PromptHistory } from './history.ts';
import type { ReplHost, ReplSession, ResourceRef, TurnOptions } from './host.ts';
import { loadMarkdown } from './markdown.ts';
import { listProjectFiles } from './project-files.ts';
import { expandPrompt } from './prompt-expansion.ts';
import { PromptImages } from './prompt-images.ts';
import { PromptQueue } from './prompt-queue.ts';
import { replayEvents } from './replay.ts';
import { ShellContext } from './shell-context.ts';
import { formatTokens, initialState, visionNote, type PickerOption, type Tone } from './state.ts';
import { UiStore } from './store.ts';
import type { AgentEvent, ApprovalDecision, PermissionMode, SessionEndReason } from '../types.ts';
import { closestWord } from '../closest-word.ts';

const MODES: PermissionMode[] = ['default', 'acceptEdits', 'plan'];
const NO_RESOURCES: readonly ResourceRef[] = [];
/** Events after which the context and token figures change. */
const STATS_EVENTS = new Set<AgentEvent['type']>(['assistant_message', 'turn_end', 'compaction', 'done']);
const EXIT_WINDOW_MS = 2000;
const ESC_TWICE_MS = 1000;
const HISTORY_ENTRY_MAX = 10_000;

export class ReplController {
  readonly store: UiStore;
  readonly history: PromptHistory;
  private readonly catalog: CommandCatalog;
  /** Project paths for @-completion, once listed. */
  files?: string[];
  /** Set by the app: puts text back into the prompt (queued messages after Esc). */
  onRestoreInput?: (text: string) => void;
  /** Set by the app: clears the terminal, scrollback included (/clear). */
  onClearScreen?: () => Promise<void>;
  readonly exited: Promise<number>;
  /** Images attached to the prompt being typed (pasted paths, Ctrl+V); the app sets its onInsert. */
  readonly images: PromptImages;

  private session!: ReplSession;
  /** Settles when the first session is open; prompts typed before that wait for it. */
  private ready: Promise<void> = Promise.resolve();
  private unsubscribe?: () => void;
  private readonly approvals: ApprovalQueue;
  private picking?: (value: string | undefined) => void;
  private readonly queue: PromptQueue;
  private running = false;
  private lastCtrlC = 0;
  /** SessionEnd's reason, set by the first exit. */
  private endReason?: SessionEndReason;
  /** The user picked a permission mode (Shift+Tab): new sessions keep it. */
  private modeChosen = false;
  private hintTimer?: ReturnType<typeof setTimeout>;
  private filesLoading?: Promise<void>;
  private resolveExit!: (code: number) => void;
  /** `!command`s run and files restored since the last prompt: the next prompt carries them. */
  private readonly shell: ShellContext;
  private lastEsc = 0;
  private sessionUsed = false;
  /** Reading the prompt's @server:uri mentions (Esc stops it). */
  private mentionAbort?: AbortController;
  /** Session notices already shown: a session opened again (/clear, /resume) does not repeat them. */
  private readonly noticesShown = new Set<string>();

  constructor(
    readonly host: ReplHost,
    opts: { history?: PromptHistory; frameMs?: number } = {},
  ) {
    const c = host.config;
    this.store = new UiStore(initialState({ model: c.model, provider: c.provider, thinking: c.thinking, mode: c.permissionMode }), opts.frameMs);
    this.history = opts.history ?? PromptHistory.forProject(c.dataDir, c.projectRoot).load();
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
    this.catalog = new CommandCatalog(host);
    this.approvals = new ApprovalQueue(this.store);
    this.shell = new ShellContext(host, this.store);
    this.queue = new PromptQueue(this.store);
    this.images = new PromptImages(host, (text, tone) => this.notice(text, tone));
  }

  get sessionId(): string | undefined {
    return this.session?.id;
  }

  get busy(): boolean {
    return this.running;
  }

  /** The current session has something to resume: it was resumed, or a prompt was sent in it. */
  get resumable(): boolean {
    return this.sessionUsed;
  }

  /** Opens the first session (or the one to resume) and loads custom commands. */
  async start(): Promise<void> {
    this.ready = this.attach(this.host.resumeId);
    await this.ready;
    if (this.host.resumeId) this.notice(`Resumed session ${this.session.id}.`, 'dim');
    this.host.watchNotices?.((text) => this.notice(text, 'warn'));
    this.host.watchMcpServers?.((up, total) => this.store.dispatch({ type: 'mcp_servers', up, total }));
    this.catalog.loadCustom(() => this.store.dispatch({ type: 'completions_changed' }));
    if (this.host.initialPrompt) this.submit(this.host.initialPrompt);
  }

  /** Starts listing project files (on the first '@'). */
  loadFiles(): void {
    this.filesLoading ??= (this.host.projectFiles?.() ?? listProjectFiles(this.host.config.cwd))
      .then((files) => {
        this.files = files;
        this.store.dispatch({ type: 'completions_changed' });
      })
      .catch(() => {
        this.files = [];
      });
  }

  /** MCP resources for @-completion (none until a server that offers some connects). */
  get resources(): readonly ResourceRef[] {
    return this.host.resources?.list() ?? NO_RESOURCES;
  }

  /** The command menu opened ('/' at the start of the prompt): the host may have new commands (a skill added). */
  commandMenuOpened(): void {
    void this.host.refreshCommands?.().then((changed) => changed && this.store.dispatch({ type: 'completions_changed' }), () => undefined);
  }

  /** Built-in, host and custom commands, then the live ones (MCP prompts); the same array while none changed. */
  get commands(): SlashCommand[] {
    return this.catalog.all;
  }

  submit(text: string, display = text): void {
    const trimmed = text.trim();
    if (!trimmed) return;
    this.history.add(text.length <= HISTORY_ENTRY_MAX ? text : display);
    // `# remember this` (one line) is a note for the memory file when the host offers /note.
    const note = /^#\s+\S/.test(trimmed) && !trimmed.includes('\n') ? this.commands.find((c) => c.name === 'note') : undefined;
    if (note) {
      if (this.running) return this.queue.add({ text: `/note ${trimmed.replace(/^#\s+/, '')}`, display: trimmed });
      void this.runCommand(note, trimmed.replace(/^#\s+/, ''));
      return;
    }
    if (trimmed.startsWith('!') && this.host.runShell) return void this.runShell(trimmed.slice(1).trim());
    if (trimmed.startsWith('/') && !trimmed.startsWith('//')) {
      const parsed = parseCommand(trimmed, this.commands);
      if (parsed) return this.startCommand(parsed, trimmed);
      // Typed faster than the menu's read of the skill folders: read them before calling it unknown.
      if (!this.host.refreshCommands) return this.unknownCommand(trimmed);
      void this.host.refreshCommands().then(
        () => {
          const again = parseCommand(trimmed, this.commands);
          return again ? this.startCommand(again, trimmed) : this.unknownCommand(trimmed);
        },
        () => this.unknownCommand(trimmed),
      );
      return;
    }
    const images = this.images.take(text);
    if (this.running) return this.queue.add({ text, display, ...(images.length && { images }) });
    void this.runPrompt(text, display, true, images.length ? { images } : undefined);
  }

  private startCommand(parsed: { command: SlashCommand; args: string }, text: string): void {
    if (this.running && !parsed.command.anytime) return this.queue.add({ text, display: text });
    void this.runCommand(parsed.command, parsed.args);
  }

  private unknownCommand(text: string): void {
    const typed = text.split(/\s/)[0]!;
    const near = closestWord(typed.slice(1), this.commands.map((c) => c.name));
    this.notice(`Unknown command ${typed}.${near ? ` Did you mean /${near}?` : ''} /help lists them.`, 'warn');
  }

  /** Esc: denies a pending approval, closes a picker, stops the turn; queued messages return to the prompt. */
  abort(): void {
    if (this.picking) return this.choose(undefined);
    this.shell.stop();
    this.mentionAbort?.abort();
    this.approvals.denyAll();
    if (!this.running) return;
    this.session?.abort();
    this.queue.restore(this.onRestoreInput);
  }

  /** Esc on an empty prompt with nothing running: a second one within a second opens /rewind. */
  escapeIdle(): void {
    const now = Date.now();
    const rewind = this.commands.find((c) => c.name === 'rewind');
    if (!rewind) return;
    if (now - this.lastEsc < ESC_TWICE_MS) {
      this.lastEsc = 0;
      this.store.dispatch({ type: 'hint' });
      void this.runCommand(rewind, '');
      return;
    }
    this.lastEsc = now;
    this.showHint('Esc again to rewind');
  }

  /** Ctrl+C on an empty prompt: stops a running turn; a second press within 2 s exits. */
  ctrlC(): void {
    const now = Date.now();
    if (now - this.lastCtrlC < EXIT_WINDOW_MS) return this.exit(0, 'prompt_input_exit');
    this.lastCtrlC = now;
    if (this.running) this.session?.abort();
    this.showHint('Press Ctrl+C again to exit');
  }

  get approver() {
    return this.approvals.approver;
  }

  approve(decision: ApprovalDecision): void {
    if (!this.approvals.answer(decision)) return;
    // An approved plan goes on in the mode the user chose (the session switches itself).
    if (decision.decision === 'allow' && decision.mode) {
      this.modeChosen = true;
      this.store.dispatch({ type: 'set_mode', mode: decision.mode });
    }
  }

  /** Starts typing a reason for a denial (shown in the prompt, sent with `n` + Enter). */
  typeFeedback(feedback: string): void {
    this.store.dispatch({ type: 'approval_typing', feedback });
  }

  /** Shift+Tab. Pressed before the session is open, the mode is handed to it once it is. */
  cycleMode(): void {
    const next = MODES[(MODES.indexOf(this.store.getState().mode) + 1) % MODES.length]!;
    this.modeChosen = true;
    if (this.session) this.session.permissionMode = next;
    this.store.dispatch({ type: 'set_mode', mode: next });
  }

  /** Set by the app as it draws the transcript view: lines beyond one screen, and one screen's lines. */
  transcriptView = { overflow: 0, page: 10 };

  /** Ctrl+O: the transcript view, or back to the conversation. */
  setTranscript(open: boolean): void {
    this.store.dispatch({ type: 'transcript', open });
    this.store.flush();
  }

  scrollTranscript(delta: number): void {
    this.store.dispatch({ type: 'transcript_scroll', delta, max: this.transcriptView.overflow });
  }

  toggleReasoning(): void {
    this.store.dispatch({ type: 'toggle_reasoning' });
  }

  choose(value: string | undefined): void {
    const resolve = this.picking;
    this.picking = undefined;
    this.store.dispatch({ type: 'picker_close' });
    resolve?.(value);
  }

  movePicker(delta: number): void {
    this.store.dispatch({ type: 'picker_move', delta });
  }

  /** Ends the REPL; `reason` is what SessionEnd hooks are told (the user leaving the prompt: prompt_input_exit). */
  exit(code = 0, reason: SessionEndReason = 'other'): void {
    this.endReason ??= reason;
    this.resolveExit(code);
  }

  /** Ends the session (running turn aborted, shells killed). */
  async close(): Promise<void> {
    this.unsubscribe?.();
    if (this.hintTimer) clearTimeout(this.hintTimer);
    await this.session?.close(this.endReason ?? 'other');
  }

  private async attach(resumeId?: string): Promise<void> {
    const session = await this.host.openSession({ approver: this.approver, resumeId });
    this.unsubscribe?.();
    this.session = session;
    this.sessionUsed = Boolean(resumeId);
    const noticeOnce = (text: string) => {
      if (!this.noticesShown.has(text)) this.notice(text, 'warn');
      this.noticesShown.add(text);
    };
    this.unsubscribe = session.subscribe((event) => {
      this.store.dispatch(event);
      if (STATS_EVENTS.has(event.type)) this.syncStats();
      if (event.type === 'sandbox' && event.notice) noticeOnce(event.notice);
    });
    this.store.dispatch({ type: 'session_opened', id: session.id, sandboxed: session.sandboxed });
    for (const text of session.notices ?? []) noticeOnce(text);
    session.startSandbox?.(); // after the first frame; its `sandbox` event sets the status line
    if (resumeId) {
      const { events, skipped } = replayEvents(session.earlierEvents?.() ?? []);
      if (events.length || skipped) {
        // Replayed answers are written to the scrollback once: as Markdown, like a live answer (see runPrompt).
        await loadMarkdown().catch(() => undefined);
        this.store.dispatch({ type: 'replay', events, skipped });
      }
    }
    this.syncConfig();
    if (this.modeChosen) session.permissionMode = this.store.getState().mode;
    else this.store.dispatch({ type: 'set_mode', mode: session.permissionMode });
    this.store.dispatch({ type: 'set_model', model: session.model });
    this.store.dispatch({ type: 'set_thinking', thinking: session.thinking });
    this.syncStats();
  }

  /** The session's configuration (after /model, /thinking) becomes the host's: the status line shows its window. */
  private syncConfig(): void {
    if (this.session.config) this.host.config = this.session.config;
  }

  private syncStats(): void {
    if (!this.session) return; // the session never opened
    this.store.dispatch({ type: 'stats', contextTokens: this.session.contextTokens, usage: { ...this.session.usage } });
  }

  private notice(text: string, tone: Tone = 'info'): void {
    this.store.dispatch({ type: 'notice', text, tone });
  }

  private showHint(text: string): void {
    this.store.dispatch({ type: 'hint', text });
    if (this.hintTimer) clearTimeout(this.hintTimer);
    this.hintTimer = setTimeout(() => this.store.dispatch({ type: 'hint' }), EXIT_WINDOW_MS);
  }

  /** `!command`: runs it as the user, shows its output, and keeps both for the next prompt. */
  private async runShell(command: string): Promise<void> {
    if (!command) return this.notice('Type a command after !, e.g. !git status.', 'warn');
    await this.shell.run(command);
  }

  private async runPrompt(text: string, display: string, expand: boolean, turn?: TurnOptions): Promise<void> {
    this.running = true;
    this.store.dispatch({ type: 'submit', text: display, at: Date.now() });
    try {
      await this.ready;
      const expanded = expand ? await this.expand(text, turn?.images?.length ?? 0) : undefined;
      if (expanded?.images.length) turn = { ...turn, images: [...(turn?.images ?? []), ...expanded.images] };
      const prompt = this.shell.wrap(expanded?.text ?? text);
      this.sessionUsed = true;
      await loadMarkdown().catch(() => undefined);
      await (turn ? this.session.run(prompt, turn) : this.session.run(prompt));
    } catch (err) {
      this.notice(`The turn failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
    } finally {
      this.running = false;
      this.syncStats();
      // A turn in a mode of its own (/review --fix) is over: the status line shows the session's mode again.
      if (turn?.mode && this.session) this.store.dispatch({ type: 'set_mode', mode: this.session.permissionMode });
    }
    await this.drainQueue();
  }

  /** The prompt as the model gets it (prompt-expansion.ts); Esc stops reading its @server:uri resources. */
  private async expand(text: string, before: number) {
    const abort = new AbortController();
    this.mentionAbort = abort;
    try {
      return await expandPrompt(text, { host: this.host, images: this.images, before, signal: abort.signal, notice: (line, tone) => this.notice(line, tone) });
    } finally {
      this.mentionAbort = undefined;
    }
  }

  private async runCommand(command: SlashCommand, args: string): Promise<void> {
    try {
      await this.ready;
      await command.run(this.commandContext(), args);
    } catch (err) {
      this.notice(`/${command.name} failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
    } finally {
      // /compact, /model and the like change the context at once, not with the next request.
      if (this.session) this.syncStats();
    }
  }

  /** After a turn: queued commands run one by one; queued messages go together as the next turn. */
  private async drainQueue(): Promise<void> {
    while (!this.running) {
      const next = this.queue.next();
      if (!next) return;
      if ('command' in next) {
        const parsed = parseCommand(next.command, this.commands);
        if (parsed) await this.runCommand(parsed.command, parsed.args);
        continue;
      }
      const { text, display, images } = next.prompt;
      await this.runPrompt(text, display, true, images.length ? { images } : undefined);
      return; // runPrompt drains the rest
    }
  }

  private commandContext(): CommandContext {
    return {
      host: this.host,
      session: this.session,
      state: this.store.getState(),
      commands: this.commands,
      notice: (text, tone) => this.notice(text, tone),
      setInput: (text) => this.onRestoreInput?.(text),
      addContext: (text) => this.shell.add(text),
      runPrompt: (prompt, display, turn) => this.runPrompt(prompt, display, false, turn),
      newSession: async (resumeId) => {
        const old = this.session;
        await this.attach(resumeId);
        await old.close(resumeId ? 'resume' : 'clear');
        if (!resumeId) await this.onClearScreen?.();
        this.notice(resumeId ? `Resumed session ${resumeId}.` : `New session ${this.session.id}.`, 'dim');
      },
      pick: (title, options: PickerOption[]) =>
        new Promise((resolve) => {
          this.picking = resolve;
          this.store.dispatch({ type: 'picker_open', title, options });
        }),
      setModel: (model) => {
        this.session.model = model;
        this.syncConfig();
        this.store.dispatch({ type: 'set_model', model });
        const info = this.host.config.modelInfo;
        const said = `Model: ${model}, context window ${formatTokens(info.contextWindow)}${visionNote(this.host.config)} (from the next request).`;
        if (info.known !== false) return this.notice(said, 'dim');
        // A typo (gml-5) would only show as the server's error on the next prompt.
        const near = closestWord(model, this.host.knownModels ?? []);
        this.notice(`${said} glm does not know this model${near ? ` (did you mean ${near}?)` : ''}, so its window is a guess.`, 'warn');
      },
      setThinking: (on) => {
        if (!on && this.host.config.modelInfo.thinking === 'always') return this.notice(`${this.session.model} always reasons; it cannot be turned off.`, 'warn');
        this.session.thinking = on;
        this.syncConfig();
        this.store.dispatch({ type: 'set_thinking', thinking: on });
        this.notice(`Thinking ${on ? 'on' : 'off'} (from the next request).`, 'dim');
      },
      exit: () => this.exit(0, 'prompt_input_exit'),
    };
  }
}
