// Headless front end (`glm -p`): runs one prompt, prints text or one JSON result in the shape scripts already
// parse for Claude Code (stream-json output is src/stream-json/driver.ts), and maps the outcome to an exit code.
// Never reads a terminal, and never prints an escape sequence that came from the model (terminal-text.ts).
// Imports the session, never the UI.
import type { OpenedSession } from './stream-json/driver.ts';
import { resultMessage } from './stream-json/messages.ts';
import { structuredAnswer, TurnRecord } from './stream-json/turn.ts';
import { safeText } from './terminal-text.ts';
import { addUsage, type AgentEvent, type DoneReason, type ImageData } from './types.ts';

export type OutputFormat = 'text' | 'json' | 'stream-json';
export const OUTPUT_FORMATS: OutputFormat[] = ['text', 'json', 'stream-json'];

export const EXIT = { ok: 0, error: 1, usage: 2, maxTurns: 3, interrupted: 130 } as const;

const exitCodeFor = (reason: DoneReason): number =>
  reason === 'completed' ? EXIT.ok : reason === 'max_turns' ? EXIT.maxTurns : reason === 'aborted' ? EXIT.interrupted : EXIT.error;

interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

type Denial = Extract<AgentEvent, { type: 'approval_result' }>;

/**
 * One line: `denied Edit a.txt (edits need approval in default mode); allow it with --allowedTools "Edit(/a.txt)"`.
 * The rule is suggested only when it fits a command line (a heredoc's rule would be the whole file).
 */
/** A UserPromptSubmit hook's block: the session's error says it, with the reason, so the hook's own line would repeat it. */
const saidAsError = (e: Extract<AgentEvent, { type: 'hook_response' }>): boolean => e.hookEvent === 'UserPromptSubmit' && e.outcome === 'blocked';

function denialLine(denial: Denial, request?: Extract<AgentEvent, { type: 'approval_request' }>): string {
  if (request) {
    // A rule the shell would change, or one with control characters (shown escaped, and refused as a rule), is no help.
    const usable = request.rule !== undefined && request.rule.length <= 120 && !/["\\$`\x00-\x1f\x7f-\x9f]/.test(request.rule);
    return `denied ${request.title} (${request.reason})${usable ? `; allow it with --allowedTools "${request.rule}"` : ''}`;
  }
  const json = JSON.stringify(denial.input) ?? '';
  const why = denial.by === 'rule' ? ' (a deny rule)' : denial.by === 'mode' ? ' (plan mode is read-only)' : denial.by === 'hook' ? ' (a hook)' : '';
  return `denied ${denial.name} ${json.length > 200 ? `${json.slice(0, 199)}…` : json}${why}`;
}

/** What the run needs besides the session: the JSON schema the answer must match (--json-schema), the images. */
export interface RunExtras {
  jsonSchema?: Record<string, unknown>;
  /** Images sent with the prompt (--image). */
  images?: ImageData[];
}

/** Runs the prompt and returns the exit code. SIGINT aborts the run cleanly (the transcript is already on disk). */
export async function runHeadless(opened: OpenedSession, prompt: string, format: OutputFormat, terminal: Output, extras: RunExtras = {}): Promise<number> {
  // Control characters are printed escaped. JSON lines stay JSON with the same meaning: JSON.stringify writes C0 as
  // escapes already, and DEL, C1 and bidi controls become \u escapes here.
  const out: Output = { stdout: (t) => terminal.stdout(safeText(t)), stderr: (t) => terminal.stderr(safeText(t)) };
  const session = opened.session;
  const turn = new TurnRecord();

  // Calls put to approval, which nobody can give here: their denial line says why and which rule allows them.
  const asked = new Map<string, Extract<AgentEvent, { type: 'approval_request' }>>();
  session.subscribe((outer: AgentEvent) => {
    turn.onEvent(outer);
    if (format !== 'text') {
      // A data folder that cannot be written is said on stderr in every format (stdout may be JSON).
      if (outer.type === 'error' && outer.code === 'data_folder') out.stderr(`glm: ${outer.message}\n`);
      if (outer.type === 'sandbox' && outer.notice) out.stderr(`glm: ${outer.notice}\n`);
      return;
    }
    // Said once, when the first command needed the sandbox (no probe at start).
    if (outer.type === 'sandbox' && outer.notice) out.stderr(`glm: ${outer.notice}\n`);
    // A subagent's denials are the run's denials too (its other events stay inside its Task result).
    const event = outer.type === 'subagent' && outer.event.type.startsWith('approval_') ? outer.event : outer;
    if (event.type === 'approval_request') asked.set(event.callId, event);
    if (event.type === 'approval_result' && event.decision === 'deny') out.stderr(`glm: ${denialLine(event, asked.get(event.callId))}\n`);
    if (event.type === 'error') out.stderr(`glm: ${event.message}\n`);
    if (event.type === 'retry') out.stderr(`glm: ${event.reason}; retrying in ${(event.delayMs / 1000).toFixed(1)} s (${event.attempt}/${event.maxAttempts})\n`);
    if (event.type === 'hook_response' && event.message && format === 'text' && !saidAsError(event)) out.stderr(`glm: ${event.hookName} hook: ${event.message}\n`);
  });

  // On stderr in every format (stdout may be JSON): what the prompt was built without, and why.
  for (const notice of session.notices) out.stderr(`glm: ${notice}\n`);
  const onSigint = () => session.abort();
  // SIGHUP (the terminal closed, the SSH session ended) stops the run like SIGTERM: cleanly, children stopped.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, onSigint);
  const done = await session.run(prompt, extras.images);
  for (const s of signals) process.off(s, onSigint);
  // SessionEnd's prompt hooks spend after the run's done event: their tokens join the run's usage here.
  await session.close();
  const late = session.takeHookUsage();
  const run = late ? { ...done, usage: addUsage({ ...done.usage }, late) } : done;

  const structured = extras.jsonSchema && done.reason === 'completed' ? structuredAnswer(done.text) : undefined;
  const notJson = extras.jsonSchema !== undefined && done.reason === 'completed' && structured === undefined;
  if (notJson) turn.errors.push('The final answer was not JSON matching --json-schema.');
  if (format === 'json') {
    const result = resultMessage(session.id, {
      ...run,
      durationMs: Date.now() - turn.started,
      durationApiMs: turn.apiMs,
      total: session.usage,
      model: opened.model(),
      contextWindow: session.context.window,
      maxOutput: opened.maxOutput(),
      stopReason: turn.stopReason,
      errors: turn.errors,
      denials: turn.denials,
      contextTokens: session.contextTokens,
      structuredOutput: structured,
    }, notJson ? 'error_max_structured_output_retries' : undefined);
    out.stdout(JSON.stringify(result) + '\n');
  } else if (done.text) out.stdout(done.text.endsWith('\n') ? done.text : done.text + '\n');
  if (format === 'text' && done.reason === 'aborted') out.stderr(`glm: interrupted; resume with: glm --resume ${session.id}\n`);
  return notJson ? EXIT.error : exitCodeFor(done.reason);
}

/**
 * The prompt's stdin part. A pipe or file is read to the end; when a prompt was also given on the command
 * line, a pipe that stays silent for `waitMs` is ignored, so an inherited, never-closed stdin cannot hang the run.
 */
export async function readStdin(hasPrompt: boolean, waitMs = 1000): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      stdin.off('data', onData);
      stdin.off('end', finish);
      stdin.off('error', finish);
      stdin.pause();
      stdin.unref?.();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      clearTimeout(timer);
      chunks.push(chunk);
    };
    stdin.on('data', onData);
    stdin.once('end', finish);
    stdin.once('error', finish);
    if (hasPrompt) timer = setTimeout(finish, waitMs);
  });
}
