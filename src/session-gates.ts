// The permission gates of a session: its runs' and each subagent's (the agent's mode; its approval prompts named
// and one at a time), with the configured tool hooks around them; and the allow rules a skill adds for one
// prompt. Imports no front end.
import type { SessionHost } from './agents/host.ts';
import { createGate, type Gate, type GateOptions } from './gate.ts';
import type { SessionHooks } from './hooks/session-hooks.ts';
import { permissionHook, withToolHooks } from './hooks/tool-gate.ts';
import type { SandboxState } from './sandbox/sandbox.ts';
import type { AgentEvent, Approver, Config, PermissionMode } from './types.ts';

/** What the gates need of the session (read when a gate is made or asks, so they follow its changes). */
export interface GateSource {
  config: Config;
  /** The session's live rule lists ("always allow" answers append to them). */
  rules: { allow: string[]; deny: string[]; ask: string[] };
  mode: () => PermissionMode;
  approver?: Approver;
  /** Folders of the session's own that tools may write (its spill folder). */
  ownDirs: string[];
  sandbox: () => Promise<SandboxState>;
  hooks: () => SessionHooks | undefined;
  /** The running prompt's signal, for a permission_prompt notification. */
  signal: () => AbortSignal | undefined;
}

export class SessionGates {
  /** Approval prompts from concurrent subagents, one at a time. */
  private approvals: Promise<unknown> = Promise.resolve();
  /** Rules allowed until the running (or next) prompt ends. */
  private promptRules: string[] = [];

  constructor(private readonly s: GateSource) {}

  /** The permission gate of one run, with PreToolUse and PermissionRequest hooks around it when there are any. */
  run(emit: (event: AgentEvent) => void): Gate {
    return this.withHooks(createGate(this.options(emit)), emit);
  }

  /** The session's gate with the agent's mode and approver: PreToolUse / PermissionRequest hooks judge its calls too. */
  subagent: SessionHost['gate'] = ({ agent, mode, ask, askDenied, emit }) =>
    this.withHooks(
      createGate({
        ...this.options(emit),
        mode: () => (this.s.mode() === 'plan' ? 'plan' : (mode ?? this.s.mode())),
        approver: ask && this.s.approver ? this.namedApprover(agent) : undefined,
        askDenied,
      }),
      emit,
    );

  /** Allow rules that hold until the running (or next) prompt ends: an invoked skill's allowed-tools. */
  allowForPrompt(rules: string[]): void {
    for (const rule of rules.filter((r) => !this.s.rules.allow.includes(r))) {
      this.s.rules.allow.push(rule);
      this.promptRules.push(rule);
    }
  }

  /** A skill's allowed-tools hold for the prompt that invoked it only. */
  endPrompt(): void {
    for (const rule of this.promptRules.splice(0)) {
      const i = this.s.rules.allow.indexOf(rule);
      if (i >= 0) this.s.rules.allow.splice(i, 1);
    }
  }

  /** The session's approver for a subagent's calls: its prompts name the agent and come one at a time. */
  private namedApprover(agent: string): Approver {
    const approver = this.s.approver!;
    return (request, signal) => {
      const answer = this.approvals.then(() => (signal.aborted ? { decision: 'deny' as const } : approver({ ...request, agent, title: `${agent}: ${request.title}` }, signal)));
      this.approvals = answer.catch(() => undefined);
      return answer;
    };
  }

  private options(emit: (event: AgentEvent) => void): GateOptions {
    const { config } = this.s;
    const hooks = this.s.hooks();
    return {
      mode: this.s.mode,
      rules: this.s.rules,
      projectRoot: config.projectRoot,
      cwd: config.cwd,
      additionalDirs: config.additionalDirectories,
      ownDirs: this.s.ownDirs,
      approver: this.s.approver,
      emit,
      sandbox: this.s.sandbox,
      ...(hooks && {
        permissionHook: permissionHook(hooks),
        notify: (message: string) => hooks.notify(message, 'permission_prompt', this.s.signal() ?? new AbortController().signal),
      }),
    };
  }

  /** PreToolUse (and the other tool hooks) around a gate, when hooks are configured. */
  private withHooks(gate: Gate, emit: (event: AgentEvent) => void): Gate {
    const hooks = this.s.hooks();
    return hooks ? withToolHooks(gate, hooks, emit) : gate;
  }
}
