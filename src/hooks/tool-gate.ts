// PreToolUse and PermissionRequest hooks around the permission gate: a hook's deny wins over everything, its
// allow skips the prompt but never a deny rule or plan mode, its ask asks; a rewritten input must fit the tool's
// schema and is judged by the rules again. Imports gate types and session-hooks; never the loop or a front end.
import type { Gate, GateCall, GateOptions } from '../gate.ts';
import type { AgentEvent } from '../types.ts';
import type { SessionHooks } from './session-hooks.ts';

/** The gate with PreToolUse hooks in front of it (the gate itself when no PreToolUse hook is configured). */
export function withToolHooks(gate: Gate, hooks: SessionHooks, emit: (event: AgentEvent) => void): Gate {
  if (!hooks.runner.has('PreToolUse')) return gate;
  return async (call, signal, hint) => {
    const pre = await hooks.preToolUse({ callId: call.callId, name: call.tool.name, input: call.args }, signal);
    if (pre.decision === 'deny') {
      emit({ type: 'approval_result', callId: call.callId, name: call.tool.name, input: call.args, decision: 'deny', by: 'hook' });
      const why = pre.reason ?? 'no reason given';
      return { allowed: false, message: `A PreToolUse hook blocked this call: ${why}\nDo not retry it as is; adjust your approach.` };
    }
    let judged: GateCall = call;
    if (pre.updatedInput) {
      const parsed = call.tool.schema.safeParse(pre.updatedInput);
      if (!parsed.success) return { allowed: false, message: `A PreToolUse hook rewrote this ${call.tool.name} call into arguments that are not valid for it; it was not run.` };
      judged = { ...call, args: parsed.data, title: call.tool.title(parsed.data) };
    }
    const r = await gate(judged, signal, pre.decision ?? hint);
    if (!r.allowed) return r;
    // The model is told what really ran: its call's arguments stay as it sent them.
    const rewritten = pre.updatedInput && `(A PreToolUse hook changed this call's input to ${JSON.stringify(judged.args)}.)`;
    const context = [r.context, rewritten, pre.context].filter(Boolean).join('\n\n');
    return { ...r, ...(pre.updatedInput && { args: r.args ?? judged.args }), ...(context && { context }) };
  };
}

/** The gate's permissionHook: PermissionRequest hooks answer before the user is asked (or headless denies). */
export function permissionHook(hooks: SessionHooks): GateOptions['permissionHook'] {
  if (!hooks.runner.has('PermissionRequest')) return undefined;
  return async (call, signal) => {
    const answer = await hooks.permissionRequest({ callId: call.callId, name: call.tool.name, input: call.args }, signal);
    if (!answer) return undefined;
    if (answer.decision === 'deny') return { decision: 'deny', message: answer.reason ?? 'no reason given' };
    return { decision: 'allow', ...(answer.updatedInput && { input: answer.updatedInput }) };
  };
}
