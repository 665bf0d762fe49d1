// What one hook run said, on Claude Code's contract: exit 0 (stdout parsed as JSON when it is JSON, else context
// for UserPromptSubmit and SessionStart), exit 2 (blocking: stderr is the reason), any other end (a non-blocking
// error), and the JSON fields (continue, stopReason, systemMessage, decision, hookSpecificOutput). failClosed turns
// a failure of a PreToolUse or PermissionRequest hook into a denial. Pure: imports types only.
import type { HookEntry, HookEventName, HookOutcome } from '../types.ts';
import type { RawRun } from './run.ts';

export type PermissionChoice = 'allow' | 'deny' | 'ask';

export interface HookResult {
  hook: HookEntry;
  run: RawRun;
  outcome: HookOutcome;
  /** exit 2's stderr, or a `decision: "block"`'s reason: what blocks (a tool call, a prompt, the stop). */
  block?: string;
  /** PreToolUse (permissionDecision) and PermissionRequest (decision.behavior). */
  decision?: PermissionChoice;
  decisionReason?: string;
  updatedInput?: Record<string, unknown>;
  /** additionalContext, or plain stdout of UserPromptSubmit and SessionStart: for the model. */
  context?: string;
  /** `continue: false`: the run ends; its stopReason. */
  stop?: string;
  systemMessage?: string;
  /** The hook asked stdout to stay out of the transcript. */
  suppressOutput?: boolean;
  /** Why it failed, for the user (a crash, a timeout, output that is not JSON). */
  failure?: string;
}

/** Events whose plain stdout (not JSON) on exit 0 is context for the model. */
const STDOUT_IS_CONTEXT: readonly HookEventName[] = ['UserPromptSubmit', 'SessionStart'];
/** Events where a failClosed hook's failure denies. */
const DECIDING: readonly HookEventName[] = ['PreToolUse', 'PermissionRequest'];

const firstLine = (text: string): string => text.trim().split('\n')[0]?.trim() ?? '';
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

export function interpret(event: HookEventName, hook: HookEntry, run: RawRun): HookResult {
  const r: HookResult = { hook, run, outcome: 'success' };
  if (run.aborted) return { ...r, outcome: 'cancelled', failure: 'cancelled' };
  if (run.timedOut) return failed(event, { ...r, outcome: 'timeout' }, `timed out after ${run.durationMs >= 1000 ? `${Math.round(run.durationMs / 1000)} s` : `${run.durationMs} ms`}`);
  if (run.startError) return failed(event, { ...r, outcome: 'error' }, `could not start: ${run.startError}`);
  if (run.failure) return failed(event, { ...r, outcome: 'error' }, run.failure);
  if (run.exitCode === 2) {
    const block = run.stderr.trim() || 'blocked by a hook (it gave no reason on stderr)';
    return { ...r, outcome: 'blocked', block, ...(DECIDING.includes(event) && { decision: 'deny' as const, decisionReason: block }) };
  }
  if (run.exitCode !== 0) {
    const why = firstLine(run.stderr) || firstLine(run.stdout);
    return failed(event, { ...r, outcome: 'error' }, `${run.exitCode === null ? 'killed by a signal' : `exit ${run.exitCode}`}${why ? `: ${why}` : ''}`);
  }
  const text = run.stdout.trim();
  if (!text.startsWith('{')) {
    if (text && STDOUT_IS_CONTEXT.includes(event)) return { ...r, context: text };
    return text && hook.failClosed && DECIDING.includes(event) ? failed(event, { ...r, outcome: 'error' }, 'its output is not JSON') : r;
  }
  let json: Record<string, unknown> | undefined;
  try {
    json = obj(JSON.parse(text));
  } catch {
    json = undefined;
  }
  if (!json) return failed(event, { ...r, outcome: DECIDING.includes(event) && hook.failClosed ? 'error' : 'success' }, 'its output is not valid JSON');
  return fromJson(event, r, json);
}

/** A failure: one line for the user; a denial when the hook is failClosed and decides a tool call. */
function failed(event: HookEventName, r: HookResult, why: string): HookResult {
  const out = { ...r, failure: why };
  if (!r.hook.failClosed || !DECIDING.includes(event)) return out;
  return { ...out, decision: 'deny', decisionReason: `the ${event} hook "${r.hook.command}" failed (${why}), and it is failClosed` };
}

function fromJson(event: HookEventName, r: HookResult, json: Record<string, unknown>): HookResult {
  const out: HookResult = { ...r };
  if (json.continue === false) out.stop = str(json.stopReason) ?? 'a hook stopped the run (continue: false)';
  if (str(json.systemMessage)) out.systemMessage = str(json.systemMessage);
  if (json.suppressOutput === true) out.suppressOutput = true;
  const reason = str(json.reason);
  // The older PreToolUse form: decision approve | block.
  if (json.decision === 'block') out.block = reason ?? 'blocked by a hook';
  if (json.decision === 'approve' && event === 'PreToolUse') out.decision = 'allow';
  const specific = obj(json.hookSpecificOutput);
  if (specific) {
    const context = str(specific.additionalContext);
    if (context) out.context = context;
    const decision = specific.permissionDecision;
    if (decision === 'allow' || decision === 'deny' || decision === 'ask') {
      out.decision = decision;
      out.decisionReason = str(specific.permissionDecisionReason);
    }
    const perm = obj(specific.decision);
    if (perm && (perm.behavior === 'allow' || perm.behavior === 'deny')) {
      out.decision = perm.behavior;
      out.decisionReason = str(perm.message);
      if (obj(perm.updatedInput)) out.updatedInput = obj(perm.updatedInput);
    }
    if (obj(specific.updatedInput)) out.updatedInput = obj(specific.updatedInput);
  }
  if (out.block && event === 'PreToolUse') {
    out.decision = 'deny';
    out.decisionReason = out.block;
  }
  if (out.block || out.stop || out.decision === 'deny') out.outcome = 'blocked';
  return out;
}

/** The one line a person sees of a run, or none for a quiet success. */
export function messageOf(r: HookResult): string | undefined {
  if (r.stop) return `stopped the run: ${firstLine(r.stop)}`;
  if (r.decision === 'deny') return `denied: ${firstLine(r.decisionReason ?? r.block ?? '') || 'no reason given'}`;
  if (r.block) return `blocked: ${firstLine(r.block)}`;
  if (r.failure && r.outcome !== 'cancelled') return `failed: ${r.failure}`;
  return r.systemMessage ? firstLine(r.systemMessage) : undefined;
}
