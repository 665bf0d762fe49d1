// The permission gate between the loop and a tool: rules and mode decide, the injected approver answers
// "ask", and the result is told to the model in words it can act on. Imports no front end.
import { decide, suggestRule } from './permissions.ts';
import { userSaid } from './user-said.ts';
import { sandboxDecision } from './sandbox/decision.ts';
import type { SandboxState } from './sandbox/sandbox.ts';
import type { ShellAnalysis } from './shell/analyze.ts';
import type { AnyToolDef, ToolContext } from './tool.ts';
import type { AgentEvent, Approver, PermissionMode } from './types.ts';

export interface GateOptions {
  mode: () => PermissionMode;
  /** Live rule lists: "always allow" answers append to `allow` for the rest of the session. */
  rules: { allow: string[]; deny: string[]; ask: string[] };
  projectRoot: string;
  cwd: string;
  /** Folders the user added (--add-dir): reads and edits there count as inside the project. */
  additionalDirs?: string[];
  /** glm's own files the model is told to read (spill files of truncated outputs). */
  ownDirs?: string[];
  /** Undefined in headless mode: nobody can answer, so every "ask" is a denial. */
  approver?: Approver;
  /** The denial's message when there is no approver and nobody is to blame for it (a subagent that never asks). */
  askDenied?: string;
  emit: (event: AgentEvent) => void;
  /**
   * Asked before a call is put to the approver (or denied headless): PermissionRequest hooks (src/hooks/). An
   * answer decides instead of the approver; `input` replaces the call's arguments and is judged again.
   */
  permissionHook?: (call: GateCall, signal: AbortSignal) => Promise<PermissionHookAnswer | undefined>;
  /** Told when a call waits for the user's approval (Notification hooks). */
  notify?: (message: string) => void;
  /** The command sandbox's state: leaving it always asks, acceptEdits runs sandboxed commands (sandbox/decision.ts). */
  sandbox?: () => Promise<SandboxState>;
}

export type PermissionHookAnswer = { decision: 'allow'; input?: unknown } | { decision: 'deny'; message: string };

export interface GateCall {
  callId: string;
  tool: AnyToolDef;
  args: unknown;
  title: string;
  /** Where the tool would run: used to compute an edit's diff for the approval prompt. */
  context: Pick<ToolContext, 'cwd' | 'state'>;
}

/**
 * `args`: what the call runs with instead of its own (a hook rewrote them, and they were judged); `context`: text a
 * hook adds to the call's result for the model.
 */
export type GateResult = { allowed: true; args?: unknown; context?: string } | { allowed: false; message: string };

/**
 * A PreToolUse hook's say: `allow` skips the prompt (never a deny rule, plan mode or a protected place), `ask` asks.
 * `approved`: a PermissionRequest hook answered for the user; a deny rule or plan mode stops the call, a protected
 * place still asks the user.
 */
export type GateHint = 'allow' | 'ask' | 'approved';

export type Gate = (call: GateCall, signal: AbortSignal, hint?: GateHint) => Promise<GateResult>;

export function createGate(opts: GateOptions): Gate {
  return async function check(call: GateCall, signal: AbortSignal, hint?: GateHint): Promise<GateResult> {
    const target = call.tool.target?.(call.args);
    const shell = call.tool.name === 'Bash' && target !== undefined ? await parseCommand(target, opts) : undefined;
    const ruled = decide({
      toolName: call.tool.name,
      kind: call.tool.kind,
      target,
      mode: opts.mode(),
      allow: opts.rules.allow,
      deny: opts.rules.deny,
      ask: opts.rules.ask,
      projectRoot: opts.projectRoot,
      cwd: opts.cwd,
      shell,
      additionalDirs: opts.additionalDirs,
      ownDirs: opts.ownDirs,
    });
    // Only a Bash call the rules did not deny needs the sandbox's state (which probes bwrap the first time).
    const sandbox = call.tool.name === 'Bash' && ruled.action !== 'deny' ? opts.sandbox : undefined;
    const sandboxed = sandbox ? await sandbox() : undefined;
    const decision = sandboxed ? sandboxDecision(ruled, call.tool.name, call.args, opts.mode(), sandboxed) : ruled;
    // No hook answers for the user a protected place, nor, unsandboxed, a write glm cannot place (`cd .git/hooks && …`).
    const hookable = !decision.final && !(decision.unplaced && !sandboxed?.active);
    const base = { type: 'approval_result', callId: call.callId, name: call.tool.name, input: call.args } as const;
    if (decision.action === 'allow' && hint !== 'ask') return { allowed: true };
    if (decision.action === 'deny') {
      opts.emit({ ...base, decision: 'deny', by: decision.rule ? 'rule' : 'mode' });
      return { allowed: false, message: `Permission denied: ${decision.reason}. Do not retry this call; take another approach or tell the user what you need.` };
    }
    // A final decision (a protected place, leaving the sandbox) asks the user whatever a hook says.
    if ((hint === 'approved' || hint === 'allow') && hookable) {
      opts.emit({ ...base, decision: 'allow', by: 'hook' });
      return { allowed: true };
    }
    const reason = decision.action === 'allow' ? 'a PreToolUse hook asks for approval' : decision.reason;

    // A change that cannot happen (a file not read yet, an old_string not found) is not put to anyone: the model
    // gets the error the call would fail with, as if it had run.
    const preview = await call.tool.preview?.(call.args, call.context).catch(() => undefined);
    if (preview && 'error' in preview) return { allowed: false, message: preview.error };
    // A protected place asks whatever the rules say: offering a rule for it would promise what it cannot do.
    const rule = decision.final ? undefined : suggestRule(call.tool.name, target, opts.projectRoot, shell);
    // A rewritten call a PermissionRequest hook already approved is not put to the hooks again.
    const hooked = hint === 'approved' ? undefined : await opts.permissionHook?.(call, signal);
    if (hooked?.decision === 'deny') {
      opts.emit({ ...base, decision: 'deny', by: 'hook' });
      return { allowed: false, message: `Permission denied by a PermissionRequest hook: ${hooked.message}. Do not retry this call as is.` };
    }
    if (hooked?.decision === 'allow' && hookable) return hookAllowed(check, call, hooked.input, signal, () => opts.emit({ ...base, decision: 'allow', by: 'hook' }));
    opts.emit({ type: 'approval_request', callId: call.callId, name: call.tool.name, input: call.args, title: call.title, reason, rule });
    if (!opts.approver) {
      opts.emit({ ...base, decision: 'deny', by: 'headless' });
      if (opts.askDenied) return { allowed: false, message: `Permission denied: ${call.title} needs approval (${decision.reason}). ${opts.askDenied}` };
      return {
        allowed: false,
        message: `Permission denied: ${call.title} needs approval (${reason}) and glm is running non-interactively, so nobody can approve it. Do not retry; finish what you can and say which permission is missing${rule ? ` (the user can allow it with --allowedTools "${rule}")` : ''}.`,
      };
    }
    opts.notify?.(`glm needs your permission to use ${call.tool.name}`);
    const answer = await opts.approver(
      { callId: call.callId, toolName: call.tool.name, input: call.args, title: call.title, reason, rule, preview: preview?.diff },
      signal,
    );
    if (answer.decision === 'allow' && answer.updatedInput) return checkUpdatedInput(call, answer.updatedInput, opts, signal);
    if (answer.decision === 'allow') {
      const always = answer.always && rule !== undefined;
      if (always && !opts.rules.allow.includes(rule)) opts.rules.allow.push(rule);
      opts.emit({ ...base, decision: 'allow', by: 'user', rule: always ? rule : undefined });
      return { allowed: true };
    }
    opts.emit({ ...base, decision: 'deny', by: 'user', feedback: answer.feedback });
    const why = userSaid(answer.feedback);
    return { allowed: false, message: `The user denied this call.${why} Do not retry it as is; adjust your approach.` };
  };
}

/**
 * A PermissionRequest hook allowed the call: as it is, or with its rewritten input, which must fit the tool's schema
 * and is judged by the rules again (a deny rule still wins).
 */
async function hookAllowed(check: Gate, call: GateCall, input: unknown, signal: AbortSignal, allowed: () => void): Promise<GateResult> {
  if (input === undefined) {
    allowed();
    return { allowed: true };
  }
  const parsed = call.tool.schema.safeParse(input);
  if (!parsed.success) return { allowed: false, message: `A PermissionRequest hook rewrote this ${call.tool.name} call into arguments that are not valid; it was not run.` };
  const rewritten = { ...call, args: parsed.data, title: call.tool.title(parsed.data) };
  const r = await check(rewritten, signal, 'approved');
  return r.allowed ? { ...r, args: parsed.data } : r;
}

/**
 * An approval that changed the arguments: the new ones must fit the tool's schema and are judged again by the
 * rules and mode (a deny rule still denies; what would ask again is allowed, since the approver just answered).
 */
async function checkUpdatedInput(call: GateCall, input: Record<string, unknown>, opts: GateOptions, signal: AbortSignal): Promise<GateResult> {
  const parsed = call.tool.schema.safeParse(input);
  const base = { type: 'approval_result', callId: call.callId, name: call.tool.name, input } as const;
  if (!parsed.success) {
    opts.emit({ ...base, decision: 'deny', by: 'user' });
    return { allowed: false, message: `The permission prompt changed the arguments into ones ${call.tool.name} does not accept; the call did not run.` };
  }
  const again = await createGate({ ...opts, approver: async () => ({ decision: 'allow' }), emit: () => {} })({ ...call, args: parsed.data }, signal);
  if (!again.allowed) {
    opts.emit({ ...base, decision: 'deny', by: 'rule' });
    return again;
  }
  opts.emit({ ...base, decision: 'allow', by: 'user' });
  return { allowed: true, args: parsed.data };
}

/**
 * The parsed command, loaded only when a rule decision needs it: bypassPermissions with no rule that could deny
 * or ask decides without it. A parser that fails to load leaves the command unparsed, which only asks or denies.
 */
async function parseCommand(command: string, opts: GateOptions): Promise<ShellAnalysis | undefined> {
  const { deny, ask } = opts.rules;
  if (opts.mode() === 'bypassPermissions' && deny.length === 0 && ask.length === 0) return undefined;
  const { analyzeCommand } = await loadShellAnalysis();
  return analyzeCommand(command).catch(() => undefined);
}

/**
 * The parser's module, imported from here only: Node resolves an import() against the importing chunk's file, so
 * the REPL's preload (repl-host.ts) must go through this same import to survive an upgrade that deletes dist/.
 */
export const loadShellAnalysis = () => import('./shell/analyze.ts');
