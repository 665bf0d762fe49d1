// A session's hooks, one function per event, each turning the runs' results into the decision the caller acts on
// (deny > ask > allow for a tool call; any block blocks) and remembering a `continue: false`. The session injects
// them into the gate (gate.ts withToolHooks, permissionHook) and the loop (loopHooks). Imports the runner and
// types; never the loop, the gate or a front end.
import type { LoopHooks } from '../agent.ts';
import type { SessionEndReason } from '../types.ts';
import type { HookResult, PermissionChoice } from './outcome.ts';
import type { HookFields, HookRunner } from './runner.ts';

export interface PreToolDecision {
  decision?: PermissionChoice;
  reason?: string;
  updatedInput?: Record<string, unknown>;
  context?: string;
}

export interface ToolCallInfo {
  callId: string;
  name: string;
  input: unknown;
}

const joined = (parts: (string | undefined)[]): string | undefined => {
  const texts = parts.filter((p): p is string => Boolean(p?.trim())).map((p) => p.trim());
  return texts.length ? texts.join('\n') : undefined;
};

/** Where a subagent's run comes from, for SubagentStop. */
export interface SubagentInfo {
  agentId: string;
  agentType?: string;
  transcriptPath?: string;
}

export class SessionHooks {
  private stopReason?: string;

  constructor(readonly runner: HookRunner) {}

  /** A new prompt: a `continue: false` of the last one no longer applies. */
  beginRun(): void {
    this.stopReason = undefined;
  }

  /** Why a hook ended the run (`continue: false`), if one did. */
  stopped(): string | undefined {
    return this.stopReason;
  }

  private async run(event: Parameters<HookRunner['run']>[0], value: string | undefined, fields: HookFields, signal: AbortSignal): Promise<HookResult[]> {
    if (signal.aborted || !this.runner.has(event, value)) return [];
    const results = await this.runner.run(event, value, fields, signal);
    this.stopReason ??= results.find((r) => r.stop)?.stop;
    return results;
  }

  /** PreToolUse: deny beats ask beats allow; a rewritten input comes from a hook that did not deny. */
  async preToolUse(call: ToolCallInfo, signal: AbortSignal): Promise<PreToolDecision> {
    const results = await this.run('PreToolUse', call.name, { tool_name: call.name, tool_input: call.input, tool_use_id: call.callId }, signal);
    const context = joined(results.map((r) => r.context));
    const stop = results.find((r) => r.stop);
    if (stop) return { decision: 'deny', reason: `a hook stopped the run: ${stop.stop}` };
    for (const choice of ['deny', 'ask', 'allow'] as const) {
      const chosen = results.filter((r) => r.decision === choice);
      if (!chosen.length) continue;
      const updatedInput = choice === 'deny' ? undefined : results.find((r) => r.updatedInput && r.decision !== 'deny')?.updatedInput;
      return { decision: choice, reason: joined(chosen.map((r) => r.decisionReason)), ...(updatedInput && { updatedInput }), ...(context && { context }) };
    }
    const updatedInput = results.find((r) => r.updatedInput)?.updatedInput;
    return { ...(updatedInput && { updatedInput }), ...(context && { context }) };
  }

  /** PermissionRequest: a deny wins; an allow answers for the user. */
  async permissionRequest(call: ToolCallInfo, signal: AbortSignal): Promise<{ decision: 'allow' | 'deny'; reason?: string; updatedInput?: Record<string, unknown> } | undefined> {
    const results = await this.run('PermissionRequest', call.name, { tool_name: call.name, tool_input: call.input, tool_use_id: call.callId }, signal);
    const denied = results.filter((r) => r.decision === 'deny' || r.block || r.stop);
    if (denied.length) return { decision: 'deny', reason: joined(denied.map((r) => r.decisionReason ?? r.block ?? r.stop)) ?? 'no reason given' };
    const allowed = results.find((r) => r.decision === 'allow');
    return allowed ? { decision: 'allow', ...(allowed.updatedInput && { updatedInput: allowed.updatedInput }) } : undefined;
  }

  /** PostToolUse / PostToolUseFailure: what the model is told besides the result (a block's reason, context). */
  async afterTool(call: ToolCallInfo & { output: string; isError: boolean }, signal: AbortSignal): Promise<string | undefined> {
    const fields = call.isError
      ? { tool_name: call.name, tool_input: call.input, tool_use_id: call.callId, error: call.output, is_interrupt: signal.aborted }
      : { tool_name: call.name, tool_input: call.input, tool_use_id: call.callId, tool_response: toolResponse(call) };
    const results = await this.run(call.isError ? 'PostToolUseFailure' : 'PostToolUse', call.name, fields, signal);
    const blocks = joined(results.map((r) => r.block));
    const context = joined(results.map((r) => r.context));
    return joined([blocks && `A PostToolUse hook says: ${blocks}`, context]);
  }

  /** UserPromptSubmit: `blocked` (the prompt is dropped; the user sees why), or context for the model. */
  async userPromptSubmit(prompt: string, signal: AbortSignal): Promise<{ blocked?: string; context?: string }> {
    const results = await this.run('UserPromptSubmit', undefined, { prompt }, signal);
    const blocked = joined(results.map((r) => r.block ?? r.stop));
    if (blocked) return { blocked };
    const context = joined(results.map((r) => r.context));
    return context ? { context } : {};
  }

  /** Stop / SubagentStop: a reason the model must go on, unless a hook also said `continue: false`. */
  async stop(active: boolean, signal: AbortSignal, subagent?: SubagentInfo): Promise<string | undefined> {
    const fields: HookFields = { stop_hook_active: active, ...(subagent && { agent_id: subagent.agentId, agent_type: subagent.agentType, agent_transcript_path: subagent.transcriptPath }) };
    const results = await this.run(subagent ? 'SubagentStop' : 'Stop', undefined, fields, signal);
    if (results.some((r) => r.stop)) return undefined;
    return joined(results.map((r) => r.block));
  }

  /** SessionStart (startup | resume | clear | compact): context for the model. */
  async sessionStart(source: 'startup' | 'resume' | 'clear' | 'compact', model: string, signal: AbortSignal): Promise<string | undefined> {
    return joined((await this.run('SessionStart', source, { source, model }, signal)).map((r) => r.context));
  }

  async sessionEnd(reason: SessionEndReason, signal: AbortSignal): Promise<void> {
    await this.run('SessionEnd', reason, { reason }, signal);
  }

  async preCompact(trigger: 'manual' | 'auto', instructions: string | undefined, signal: AbortSignal): Promise<void> {
    await this.run('PreCompact', trigger, { trigger, custom_instructions: instructions ?? '' }, signal);
  }

  /** Notification: not awaited by anyone (a slow hook must not hold up the prompt it announces). */
  notify(message: string, type: string, signal: AbortSignal): void {
    void this.run('Notification', type, { message, notification_type: type }, signal);
  }

  /**
   * What the loop calls: PostToolUse after each call, Stop (or, for a subagent's loop, SubagentStop) before it
   * finishes. A subagent runner (src/agents/) passes `loopHooks(info)` as its runLoop's `hooks`.
   */
  loopHooks(subagent?: SubagentInfo): LoopHooks {
    return {
      afterTool: (call, signal) => this.afterTool(call, signal),
      beforeStop: (active, signal) => this.stop(active, signal, subagent),
      stopped: () => this.stopped(),
    };
  }
}

/** tool_response as hooks written for Claude Code read it: the output, and for Bash its stdout; file tools' path. */
function toolResponse(call: ToolCallInfo & { output: string }): Record<string, unknown> {
  const input = (call.input ?? {}) as Record<string, unknown>;
  return {
    output: call.output,
    ...(call.name === 'Bash' && { stdout: call.output, stderr: '', interrupted: false }),
    ...(typeof input.file_path === 'string' && { filePath: input.file_path, success: true }),
  };
}
