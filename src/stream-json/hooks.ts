// Hook callbacks a program registers in `initialize` (the Agent SDK's `hooks` option): glm asks the client with a
// `hook_callback` request and acts on the answer. PreToolUse and PostToolUse wrap each tool's execute (after the
// permission gate, so a hook can block a call but never lets through one the rules deny); UserPromptSubmit runs
// before each turn. Other events are accepted and reported as not run. Injected as a ToolSet wrapper: no loop change.
import type { AnyToolDef, ToolSet } from '../tool.ts';
import { ControlError, isObject, type ControlChannel } from './control.ts';

export const SUPPORTED_HOOK_EVENTS = ['PreToolUse', 'PostToolUse', 'UserPromptSubmit'] as const;
type HookEvent = (typeof SUPPORTED_HOOK_EVENTS)[number];

interface Matcher {
  matcher?: string;
  hookCallbackIds: string[];
  timeout?: number;
  onFailure?: 'continue' | 'block';
}

export interface HookContext {
  sessionId: string;
  transcriptPath: string;
  cwd: string;
  permissionMode: string;
}

/** What the answers to one event said, merged: the first block wins, context adds up. */
export interface HookVerdict {
  block?: string;
  additionalContext: string[];
}

export class SdkHooks {
  private readonly matchers = new Map<string, Matcher[]>();
  /** The call whose tool is about to run (tool_start comes just before execute). */
  current?: { callId: string };

  constructor(
    registered: unknown,
    private readonly channel: ControlChannel,
    private readonly context: () => HookContext,
  ) {
    if (!isObject(registered)) return;
    for (const [event, list] of Object.entries(registered)) {
      if (Array.isArray(list)) this.matchers.set(event, list.filter((m): m is Matcher => isObject(m) && Array.isArray(m.hookCallbackIds)));
    }
  }

  get any(): boolean {
    return this.matchers.size > 0;
  }

  /** Events registered that glm never fires, for the init line's unsupported list. */
  unsupported(): string[] {
    return [...this.matchers.keys()].filter((e) => !(SUPPORTED_HOOK_EVENTS as readonly string[]).includes(e));
  }

  async run(event: HookEvent, input: Record<string, unknown>, toolName?: string, toolUseId?: string): Promise<HookVerdict> {
    const verdict: HookVerdict = { additionalContext: [] };
    const ctx = this.context();
    const full = { session_id: ctx.sessionId, transcript_path: ctx.transcriptPath, cwd: ctx.cwd, permission_mode: ctx.permissionMode, hook_event_name: event, ...input };
    for (const m of this.matchers.get(event) ?? []) {
      if (toolName !== undefined && !matches(m.matcher, toolName)) continue;
      for (const id of m.hookCallbackIds) {
        const answer = await this.ask(id, full, toolUseId, m);
        if (answer === 'failed') {
          if (m.onFailure === 'block') verdict.block ??= `the ${event} hook failed and is set to block on failure`;
          continue;
        }
        readAnswer(answer, verdict);
      }
    }
    return verdict;
  }

  private async ask(callbackId: string, input: Record<string, unknown>, toolUseId: string | undefined, m: Matcher): Promise<Record<string, unknown> | 'failed'> {
    const timeout = AbortSignal.timeout((m.timeout ?? 60) * 1000);
    try {
      return await this.channel.request({ subtype: 'hook_callback', callback_id: callbackId, input, ...(toolUseId && { tool_use_id: toolUseId }) }, timeout);
    } catch (err) {
      if (err instanceof ControlError) return 'failed';
      throw err;
    }
  }

  /** The tool set with PreToolUse / PostToolUse callbacks around each tool's execute. */
  wrap(tools: ToolSet): ToolSet {
    if (!this.matchers.has('PreToolUse') && !this.matchers.has('PostToolUse')) return tools;
    return {
      get names() {
        return tools.names;
      },
      get schemas() {
        return tools.schemas;
      },
      load: async () => (await tools.load()).map((t) => this.wrapTool(t)),
    };
  }

  private wrapTool(tool: AnyToolDef): AnyToolDef {
    return {
      ...tool,
      execute: async (args, ctx) => {
        // The call's own id: read-only calls of one message run at the same time, so `current` may be another's.
        const toolUseId = ctx.callId ?? this.current?.callId ?? '';
        const pre = await this.run('PreToolUse', { tool_name: tool.name, tool_input: args, tool_use_id: toolUseId }, tool.name, toolUseId);
        if (pre.block) return { output: `Blocked by a PreToolUse hook: ${pre.block}`, isError: true };
        const result = await tool.execute(args, ctx);
        const post = await this.run('PostToolUse', { tool_name: tool.name, tool_input: args, tool_response: result.output, tool_use_id: toolUseId }, tool.name, toolUseId);
        const extra = [...(post.block ? [`A PostToolUse hook says: ${post.block}`] : []), ...post.additionalContext];
        return extra.length ? { ...result, output: `${result.output}\n\n${extra.join('\n')}` } : result;
      },
    };
  }
}

/** Claude Code's matcher: empty or `*` matches every tool, otherwise a regular expression on the whole name. */
function matches(matcher: string | undefined, toolName: string): boolean {
  if (!matcher || matcher === '*') return true;
  try {
    return new RegExp(`^(?:${matcher})$`).test(toolName);
  } catch {
    return matcher === toolName;
  }
}

function readAnswer(answer: Record<string, unknown>, verdict: HookVerdict): void {
  const specific = isObject(answer.hookSpecificOutput) ? answer.hookSpecificOutput : {};
  const reason = [specific.permissionDecisionReason, answer.reason, answer.stopReason].find((r): r is string => typeof r === 'string' && r !== '');
  const blocked = answer.continue === false || answer.decision === 'block' || specific.permissionDecision === 'deny';
  if (blocked) verdict.block ??= reason ?? 'no reason given';
  if (typeof specific.additionalContext === 'string' && specific.additionalContext) verdict.additionalContext.push(specific.additionalContext);
}
