// Runs the hooks of one event: those whose matcher takes the value, identical commands once, all in parallel,
// each with its timeout; the payload Claude Code sends on stdin; one hook_response event per run. Imports the
// hook files of this folder and types; never the loop, the gate or a front end.
import type { AgentEvent, HookEntry, HookEventName, PermissionMode } from '../types.ts';
import { interpret, messageOf, type HookResult } from './outcome.ts';
import { runHttpHook } from './http.ts';
import { runPromptHook, type PromptModel } from './prompt.ts';
import { runHookProcess, type RawRun } from './run.ts';
import { DEFAULT_HOOK_TIMEOUT_S, DEFAULT_PROMPT_TIMEOUT_S, matches } from './settings.ts';
import type { HookLaunch } from './spawn.ts';

export interface HookRunnerOptions {
  hooks: readonly HookEntry[];
  cwd: string;
  projectRoot: string;
  /** The environment of commands (command-env.ts: no provider keys). */
  env: NodeJS.ProcessEnv;
  sessionId: () => string;
  transcriptPath: () => string;
  permissionMode: () => PermissionMode;
  emit: (event: AgentEvent) => void;
  /** The session sandbox's launch, when hooks run sandboxed (sandbox.hooks). */
  launch?: HookLaunch;
  /** Called when a sandboxed hook's process has ended (the sandbox puts back what it may have planted for git). */
  ended?: () => void;
  /** Asks the program that registered a callback hook (HookEntry.callbackId) instead of starting a process. */
  callback?: HookCallback;
  /** The model prompt hooks ask; without one (glm hooks test) they fail with a line saying so. */
  model?: PromptModel;
}

/** A callback hook's run: the program's answer as a run's stdout (JSON), its failure as a failed run. */
export type HookCallback = (hook: HookEntry, payload: Record<string, unknown>, o: { timeoutMs: number; signal: AbortSignal }) => Promise<RawRun>;

/** A hook event's own fields (tool_name, prompt, source …), added to the common ones. */
export type HookFields = Record<string, unknown>;

/** Stored stdout/stderr of a run in its event (the transcript keeps them). */
const EVENT_OUTPUT_CHARS = 8 * 1024;

export class HookRunner {
  constructor(private readonly o: HookRunnerOptions) {}

  private callback(hook: HookEntry, payload: Record<string, unknown>, timeoutMs: number, signal: AbortSignal): Promise<RawRun> {
    return this.o.callback ? this.o.callback(hook, payload, { timeoutMs, signal }) : noCallback();
  }

  get hooks(): readonly HookEntry[] {
    return this.o.hooks;
  }

  /** Whether any hook is configured for `event` (and, given, takes `value`). */
  has(event: HookEventName, value?: string): boolean {
    return this.o.hooks.some((h) => h.event === event && (value === undefined || matches(h.matcher, value)));
  }

  /** The hooks `run` would start: matching, one per distinct command (failClosed if any copy is). */
  selected(event: HookEventName, value: string | undefined): HookEntry[] {
    const byCommand = new Map<string, HookEntry>();
    for (const h of this.o.hooks) {
      if (h.event !== event || !matches(h.matcher, value)) continue;
      const seen = byCommand.get(h.command);
      if (!seen) byCommand.set(h.command, h);
      else if (h.failClosed && !seen.failClosed) byCommand.set(h.command, { ...seen, failClosed: true });
    }
    return [...byCommand.values()];
  }

  /** The payload a hook of `event` reads on stdin. */
  payload(event: HookEventName, fields: HookFields): Record<string, unknown> {
    return {
      session_id: this.o.sessionId(),
      transcript_path: this.o.transcriptPath(),
      cwd: this.o.cwd,
      permission_mode: this.o.permissionMode(),
      hook_event_name: event,
      ...fields,
    };
  }

  /**
   * Runs the hooks of `event` that take `value` (a tool name, a source …) in parallel and reports each as a
   * hook_response event. Never throws.
   */
  async run(event: HookEventName, value: string | undefined, fields: HookFields, signal: AbortSignal): Promise<HookResult[]> {
    const hooks = this.selected(event, value);
    if (!hooks.length) return [];
    const payload = this.payload(event, fields);
    const input = JSON.stringify(payload);
    const env = { ...this.o.env, CLAUDE_PROJECT_DIR: this.o.projectRoot, GLM_PROJECT_DIR: this.o.projectRoot };
    const name = value === undefined ? event : `${event}:${value}`;
    // The transcripts the payload names: a sandboxed hook may read them (read-only), though glm's data folder is hidden.
    const transcripts = [payload.transcript_path, payload.agent_transcript_path].filter((p): p is string => typeof p === 'string' && p !== '');
    return Promise.all(
      hooks.map(async (hook) => {
        const timeoutMs = (hook.timeout ?? (hook.prompt ? DEFAULT_PROMPT_TIMEOUT_S : DEFAULT_HOOK_TIMEOUT_S)) * 1000;
        const run = hook.callbackId !== undefined ? await this.callback(hook, payload, timeoutMs, signal) : await this.start(hook, input, env, timeoutMs, signal, transcripts);
        const result = interpret(event, hook, run);
        this.o.emit(responseEvent(event, name, result));
        return result;
      }),
    );
  }

  private start(hook: HookEntry, input: string, env: NodeJS.ProcessEnv, timeoutMs: number, signal: AbortSignal, show: string[]): Promise<RawRun> {
    if (hook.http) return runHttpHook(hook.http, input, { env, timeoutMs, signal });
    if (hook.prompt) {
      if (!this.o.model) return Promise.resolve(notRun('no model to ask'));
      return runPromptHook(hook.prompt, input, { model: this.o.model, timeoutMs, signal });
    }
    const launch = this.o.launch;
    if (!launch) return runHookProcess(hook.command, input, { cwd: this.o.cwd, env, timeoutMs, signal });
    // At once, also after a timeout's kill of the hook's group (which takes the launch's watcher with it).
    return runHookProcess(hook.command, input, { cwd: this.o.cwd, env, timeoutMs, signal, launch: (argv, cwd, e) => launch(argv, cwd, e, show) }).finally(() => this.o.ended?.());
  }
}

/** A callback hook with nobody to ask fails (it is never run as a command). */
const noCallback = (): Promise<RawRun> =>
  Promise.resolve({ exitCode: null, stdout: '', stderr: '', timedOut: false, aborted: false, startError: 'no program is connected to answer this hook callback', durationMs: 0 });
const notRun = (failure: string): RawRun => ({ exitCode: null, stdout: '', stderr: '', timedOut: false, aborted: false, durationMs: 0, failure });

function responseEvent(event: HookEventName, name: string, r: HookResult): AgentEvent {
  const cut = (t: string) => (t.length > EVENT_OUTPUT_CHARS ? `${t.slice(0, EVENT_OUTPUT_CHARS)}…` : t);
  const message = messageOf(r);
  return {
    type: 'hook_response',
    hookEvent: event,
    hookName: name,
    command: r.hook.command,
    source: r.hook.file,
    exitCode: r.run.exitCode,
    outcome: r.outcome,
    stdout: r.suppressOutput ? '' : cut(r.run.stdout),
    stderr: cut(r.run.stderr),
    ...(message && { message }),
    durationMs: r.run.durationMs,
    ...(r.run.usage && { usage: r.run.usage }),
  };
}
