// Plan mode's tool source: ExitPlanMode, offered only while the session is in plan mode. The call puts the plan
// to the user through the injected approver (the REPL's approval box) and switches the mode they choose; with
// nobody to ask (headless) the run ends with the plan as its result. Imports the tool contract and types only.
import planPrompt from '../../prompts/plan-mode.md';
import { userSaid } from '../user-said.ts';
import type { AnyToolDef, ToolContext, ToolDef, ToolSet } from '../tool.ts';
import type { Approver, PermissionMode, ToolSchema } from '../types.ts';

export const EXIT_PLAN_MODE = 'ExitPlanMode';

/** The instruction a plan-mode request carries (after the system prompt). */
export const PLAN_MODE_PROMPT = planPrompt.trim();

const SCHEMA: ToolSchema = {
  name: EXIT_PLAN_MODE,
  description:
    'Present your plan to the user for approval and leave plan mode. Call it once you have explored enough (read-only) to know what to change. The user approves (then you carry out the plan) or answers with feedback (then revise the plan and call this again).',
  parameters: {
    type: 'object',
    properties: { plan: { type: 'string', description: 'The plan in Markdown: the changes, the files, the order, how to check them.' } },
    required: ['plan'],
    additionalProperties: false,
  },
};

export interface PlanModeDeps {
  mode(): PermissionMode;
  setMode(mode: PermissionMode): void;
  /** Undefined in headless runs: the plan is the run's result. */
  approver?: Approver;
}

type PlanArgs = { plan: string };

function exitPlanMode(deps: PlanModeDeps): ToolDef {
  return {
    name: EXIT_PLAN_MODE,
    kind: 'meta',
    description: SCHEMA.description,
    // Checked by hand below: this source loads without zod.
    schema: { safeParse: (v: unknown) => parseArgs(v) } as never,
    keep: 'head',
    title: () => 'Plan',
    async execute(args: PlanArgs, ctx: ToolContext) {
      const plan = args.plan.trim();
      if (deps.mode() !== 'plan') return { output: 'Plan mode is not on; carry on with the task.', isError: true };
      if (!deps.approver) {
        return { output: 'The plan is the result of this non-interactive run.', display: { summary: 'Plan ready' }, endRun: plan };
      }
      const answer = await deps.approver({ callId: '', toolName: EXIT_PLAN_MODE, input: { plan }, title: 'Plan', reason: 'Approve this plan?' }, ctx.signal);
      if (answer.decision === 'allow') {
        const mode = answer.mode ?? 'default';
        deps.setMode(mode);
        const edits = mode === 'acceptEdits' ? 'Edits inside the project are allowed without asking' : 'Edits and commands still ask the user as usual';
        return { output: `The user approved the plan and left plan mode (now ${mode} mode). ${edits}. Carry out the plan now.`, display: { summary: `Plan approved · ${mode} mode` } };
      }
      const feedback = userSaid(answer.feedback);
      return {
        output: `The user did not approve the plan and stays in plan mode.${feedback} Revise the plan (explore more, read-only, if needed) and call ExitPlanMode again.`,
        display: { summary: answer.feedback ? `Keep planning: ${answer.feedback}` : 'Keep planning' },
      };
    },
  } as unknown as ToolDef;
}

function parseArgs(v: unknown): { success: true; data: PlanArgs } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } {
  const plan = v && typeof v === 'object' && 'plan' in v ? (v as { plan: unknown }).plan : undefined;
  if (typeof plan === 'string' && plan.trim()) return { success: true, data: { plan } };
  return { success: false, error: { issues: [{ path: ['plan'], message: 'the plan (Markdown text) is required' }] } };
}

/** ExitPlanMode while the session is in plan mode; nothing otherwise. */
export function planModeTools(deps: PlanModeDeps): ToolSet {
  const tool = exitPlanMode(deps) as AnyToolDef;
  const on = () => deps.mode() === 'plan';
  return {
    get names() {
      return on() ? [EXIT_PLAN_MODE] : [];
    },
    get schemas() {
      return on() ? [SCHEMA] : [];
    },
    load: async () => [tool],
  };
}
