// A scripted ReplHost/ReplSession for UI tests: sessions emit AgentEvents a test (or a script) hands them,
// record what the UI sent back (prompts, aborts, approvals), and never touch a model.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SlashCommand } from '../../../src/ui/commands.ts';
import type { ReplHost, ReplSession, SessionSummary } from '../../../src/ui/host.ts';
import { emptyUsage, type AgentEvent, type ApprovalDecision, type ApprovalRequest, type Approver, type Config, type PermissionMode, type Usage } from '../../../src/types.ts';

export type Script = (prompt: string, session: FakeSession) => void | Promise<void>;

export function testConfig(dir: string, over: Partial<Config> = {}): Config {
  return {
    provider: 'zai',
    dialect: 'zai',
    baseURL: 'http://127.0.0.1:1/v1',
    model: 'glm-4.6',
    modelInfo: { contextWindow: 200_000, maxOutput: 32_000, thinking: 'hybrid', reasoningEffort: false, vision: false, known: true },
    thinking: true,
    maxTokens: 32_000,
    permissionMode: 'default',
    allowRules: [],
    denyRules: [],
    askRules: [],
    additionalDirectories: [],
    maxTurns: 100,
    cwd: dir,
    projectRoot: dir,
    dataDir: path.join(dir, '.data'),
    configDir: path.join(dir, '.config'),
    idleTimeoutMs: 60_000,
    maxRetries: 0,
    concurrency: 1,
    compactThreshold: 0.85,
    autoCompact: true,
    ...over,
  };
}

export class FakeSession implements ReplSession {
  readonly prompts: string[] = [];
  aborts = 0;
  closed = false;
  permissionMode: PermissionMode;
  sessionRules: string[] = [];
  model: string;
  thinking: boolean;
  contextTokens = 0;
  usage: Usage = emptyUsage();
  private readonly listeners = new Set<(e: AgentEvent) => void>();
  private turn?: { resolve: () => void; controller: AbortController };

  constructor(
    readonly id: string,
    readonly approver: Approver,
    config: Config,
    private readonly script?: Script,
  ) {
    this.permissionMode = config.permissionMode;
    this.model = config.model;
    this.thinking = config.thinking;
  }

  get running(): boolean {
    return this.turn !== undefined;
  }

  /** The running turn's abort signal (aborted once the turn is over), for scripts. */
  get signal(): AbortSignal {
    return this.turn?.controller.signal ?? AbortSignal.abort();
  }

  subscribe(listener: (e: AgentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(...events: AgentEvent[]): void {
    for (const e of events) {
      for (const l of this.listeners) l(e);
      if (e.type === 'done') {
        const turn = this.turn;
        this.turn = undefined;
        turn?.resolve();
      }
    }
  }

  /** Ends the running turn the way the loop does. */
  finish(reason: 'completed' | 'aborted' = 'completed', text = ''): void {
    this.emit({ type: 'done', reason, text, usage: this.usage, turns: 1 });
  }

  run(prompt: string): Promise<void> {
    this.prompts.push(prompt);
    return new Promise<void>((resolve) => {
      this.turn = { resolve, controller: new AbortController() };
      this.emit({ type: 'user_message', text: prompt }, { type: 'turn_start', turn: 1 });
      void this.script?.(prompt, this);
    });
  }

  /** Asks the UI, as the permission gate would. */
  ask(request: Partial<ApprovalRequest> & { title: string }): Promise<ApprovalDecision> {
    const full: ApprovalRequest = { callId: 'c1', toolName: 'Bash', input: {}, reason: 'runs a command', rule: 'Bash(ls:*)', ...request };
    return this.approver(full, this.turn?.controller.signal ?? new AbortController().signal);
  }

  abort(): void {
    this.aborts++;
    if (!this.turn) return;
    this.turn.controller.abort();
    this.finish('aborted');
  }

  removeRule(rule: string): void {
    this.sessionRules = this.sessionRules.filter((r) => r !== rule);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export class FakeHost implements ReplHost {
  readonly config: Config;
  readonly sessions: FakeSession[] = [];
  past: SessionSummary[] = [];
  resumeId?: string;
  initialPrompt?: string;
  commands?: SlashCommand[];
  knownModels?: readonly string[];
  private n = 0;

  constructor(
    opts: { dir?: string; config?: Partial<Config>; script?: Script } = {},
    private readonly script = opts.script,
  ) {
    const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), 'glm-ui-'));
    this.config = testConfig(dir, opts.config);
  }

  get session(): FakeSession {
    const s = this.sessions.at(-1);
    if (!s) throw new Error('no session opened yet');
    return s;
  }

  async openSession(opts: { approver: Approver; resumeId?: string }): Promise<ReplSession> {
    const s = new FakeSession(opts.resumeId ?? `s${++this.n}`, opts.approver, this.config, this.script);
    this.sessions.push(s);
    return s;
  }

  async listSessions(): Promise<SessionSummary[]> {
    return this.past;
  }
}
