// The permission gate between the loop and a tool: rules and mode decide, the injected approver answers
// "ask", and the result is told to the model in words it can act on. Imports no front end.
import { decide, suggestRule } from './permissions.ts';
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
}

export interface GateCall {
  callId: string;
  tool: AnyToolDef;
  args: unknown;
  title: string;
  /** Where the tool would run: used to compute an edit's diff for the approval prompt. */
  context: Pick<ToolContext, 'cwd' | 'state'>;
}

export type GateResult = { allowed: true } | { allowed: false; message: string };

export function createGate(opts: GateOptions) {
  return async function check(call: GateCall, signal: AbortSignal): Promise<GateResult> {
    const target = call.tool.target?.(call.args);
    const shell = call.tool.name === 'Bash' && target !== undefined ? await parseCommand(target, opts) : undefined;
    const decision = decide({
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
    const base = { type: 'approval_result', callId: call.callId, name: call.tool.name, input: call.args } as const;
    if (decision.action === 'allow') return { allowed: true };
    if (decision.action === 'deny') {
      opts.emit({ ...base, decision: 'deny', by: decision.rule ? 'rule' : 'mode' });
      return { allowed: false, message: `Permission denied: ${decision.reason}. Do not retry this call; take another approach or tell the user what you need.` };
    }

    // A change that cannot happen (a file not read yet, an old_string not found) is not put to anyone: the model
    // gets the error the call would fail with, as if it had run.
    const preview = await call.tool.preview?.(call.args, call.context).catch(() => undefined);
    if (preview && 'error' in preview) return { allowed: false, message: preview.error };
    // A protected place asks whatever the rules say: offering a rule for it would promise what it cannot do.
    const rule = decision.final ? undefined : suggestRule(call.tool.name, target, opts.projectRoot, shell);
    opts.emit({ type: 'approval_request', callId: call.callId, name: call.tool.name, input: call.args, title: call.title, reason: decision.reason, rule });
    if (!opts.approver) {
      opts.emit({ ...base, decision: 'deny', by: 'headless' });
      if (opts.askDenied) return { allowed: false, message: `Permission denied: ${call.title} needs approval (${decision.reason}). ${opts.askDenied}` };
      return {
        allowed: false,
        message: `Permission denied: ${call.title} needs approval (${decision.reason}) and glm is running non-interactively, so nobody can approve it. Do not retry; finish what you can and say which permission is missing${rule ? ` (the user can allow it with --allowedTools "${rule}")` : ''}.`,
      };
    }
    const answer = await opts.approver(
      { callId: call.callId, toolName: call.tool.name, input: call.args, title: call.title, reason: decision.reason, rule, preview: preview?.diff },
      signal,
    );
    if (answer.decision === 'allow') {
      const always = answer.always && rule !== undefined;
      if (always && !opts.rules.allow.includes(rule)) opts.rules.allow.push(rule);
      opts.emit({ ...base, decision: 'allow', by: 'user', rule: always ? rule : undefined });
      return { allowed: true };
    }
    opts.emit({ ...base, decision: 'deny', by: 'user', feedback: answer.feedback });
    const why = answer.feedback ? ` The user said: ${answer.feedback}` : '';
    return { allowed: false, message: `The user denied this call.${why} Do not retry it as is; adjust your approach.` };
  };
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
