// Headless front end (`glm -p`): runs one prompt, prints text, one JSON result or a JSON event stream in the
// shapes scripts already parse for Claude Code, and maps the outcome to an exit code. Never reads a terminal, and
// never prints an escape sequence that came from the model (terminal-text.ts). Imports the session, never the UI.
import type { Session } from './session.ts';
import { safeText } from './terminal-text.ts';
import type { AgentEvent, DoneReason, Usage } from './types.ts';

export type OutputFormat = 'text' | 'json' | 'stream-json';
export const OUTPUT_FORMATS: OutputFormat[] = ['text', 'json', 'stream-json'];

export const EXIT = { ok: 0, error: 1, usage: 2, maxTurns: 3, interrupted: 130 } as const;

const exitCodeFor = (reason: DoneReason): number =>
  reason === 'completed' ? EXIT.ok : reason === 'max_turns' ? EXIT.maxTurns : reason === 'aborted' ? EXIT.interrupted : EXIT.error;

const subtypeFor = (reason: DoneReason) =>
  reason === 'completed' ? 'success' : reason === 'max_turns' ? 'error_max_turns' : 'error_during_execution';

const usageJson = (u: Usage) => ({
  input_tokens: u.inputTokens,
  output_tokens: u.outputTokens,
  cached_tokens: u.cachedTokens,
  reasoning_tokens: u.reasoningTokens,
  // Only when the server reported it (OpenRouter): an extra field, the Claude Code shape stays as it is.
  ...(u.cost !== undefined && { cost_usd: u.cost }),
});

interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

type Denial = Extract<AgentEvent, { type: 'approval_result' }>;

/**
 * One line: `denied Edit a.txt (edits need approval in default mode); allow it with --allowedTools "Edit(/a.txt)"`.
 * The rule is suggested only when it fits a command line (a heredoc's rule would be the whole file).
 */
function denialLine(denial: Denial, request?: Extract<AgentEvent, { type: 'approval_request' }>): string {
  if (request) {
    const usable = request.rule !== undefined && request.rule.length <= 120 && !/["\n\\$`]/.test(request.rule);
    return `denied ${request.title} (${request.reason})${usable ? `; allow it with --allowedTools "${request.rule}"` : ''}`;
  }
  const json = JSON.stringify(denial.input) ?? '';
  const why = denial.by === 'rule' ? ' (a deny rule)' : denial.by === 'mode' ? ' (plan mode is read-only)' : '';
  return `denied ${denial.name} ${json.length > 200 ? `${json.slice(0, 199)}…` : json}${why}`;
}

/** Runs the prompt and returns the exit code. SIGINT aborts the run cleanly (the transcript is already on disk). */
/** What the run started besides the session, for stream-json's init line: MCP servers and their status. */
export interface RunExtras {
  mcpServers?: { name: string; status: string }[];
}

export async function runHeadless(session: Session, prompt: string, format: OutputFormat, terminal: Output, extras: RunExtras = {}): Promise<number> {
  // Control characters are printed escaped. JSON lines stay JSON with the same meaning: JSON.stringify writes C0 as
  // escapes already, and DEL, C1 and bidi controls become \u escapes here.
  const out: Output = { stdout: (t) => terminal.stdout(safeText(t)), stderr: (t) => terminal.stderr(safeText(t)) };
  const started = Date.now();
  const denials: { tool_name: string; tool_input: unknown }[] = [];
  const errors: string[] = [];
  const line = (value: unknown) => out.stdout(JSON.stringify(value) + '\n');
  const sid = session.id;

  // Calls put to approval, which nobody can give here: their denial line says why and which rule allows them.
  const asked = new Map<string, Extract<AgentEvent, { type: 'approval_request' }>>();
  session.subscribe((outer: AgentEvent) => {
    if (format === 'stream-json') streamEvent(outer, sid, line, extras);
    // A subagent's denials are the run's denials too (its other events stay inside its Task result).
    const event = outer.type === 'subagent' && outer.event.type.startsWith('approval_') ? outer.event : outer;
    if (event.type === 'approval_request') asked.set(event.callId, event);
    if (event.type === 'approval_result' && event.decision === 'deny') {
      denials.push({ tool_name: event.name, tool_input: event.input });
      if (format === 'text') out.stderr(`glm: ${denialLine(event, asked.get(event.callId))}\n`);
    }
    if (event.type === 'error') {
      errors.push(event.message);
      if (format === 'text') out.stderr(`glm: ${event.message}\n`);
    }
    if (event.type === 'retry' && format === 'text') out.stderr(`glm: ${event.reason}; retrying in ${(event.delayMs / 1000).toFixed(1)} s (${event.attempt}/${event.maxAttempts})\n`);
  });

  // On stderr in every format (stdout may be JSON): what the prompt was built without, and why.
  for (const notice of session.notices) out.stderr(`glm: ${notice}\n`);
  const onSigint = () => session.abort();
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const done = await session.run(prompt);
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigint);
  await session.close();

  const isError = done.reason !== 'completed';
  const result = {
    type: 'result',
    subtype: subtypeFor(done.reason),
    is_error: isError,
    result: isError && !done.text ? (errors.at(-1) ?? done.reason) : done.text,
    session_id: sid,
    num_turns: done.turns,
    duration_ms: Date.now() - started,
    usage: usageJson(done.usage),
    /** How full the context is after the run (prompt + completion of the last request), and of how much. */
    context_tokens: session.contextTokens,
    context_window: session.context.window,
    permission_denials: denials,
  };
  if (format === 'json' || format === 'stream-json') line(result);
  else if (done.text) out.stdout(done.text.endsWith('\n') ? done.text : done.text + '\n');
  if (format === 'text' && done.reason === 'aborted') out.stderr(`glm: interrupted; resume with: glm --resume ${sid}\n`);
  return exitCodeFor(done.reason);
}

/**
 * Adapts agent events to Claude Code's stream-json lines (system/init, assistant, user, result). A subagent's
 * messages come as the same lines with `parent_tool_use_id` set to its Task call's id (null for the session's own).
 */
function streamEvent(event: AgentEvent, sid: string, line: (value: unknown) => void, extras: RunExtras, parent: string | null = null) {
  switch (event.type) {
    case 'subagent':
      if (['assistant_message', 'tool_end', 'user_message', 'error'].includes(event.event.type)) streamEvent(event.event, sid, line, extras, event.callId);
      return;
    case 'user_message':
      // The session's own prompt is the caller's input; a subagent's is the Task prompt, shown like Claude Code does.
      if (parent) line({ type: 'user', message: { role: 'user', content: [{ type: 'text', text: event.text }] }, parent_tool_use_id: parent, session_id: sid });
      return;
    case 'session_start':
      return line({
        type: 'system',
        subtype: 'init',
        session_id: sid,
        cwd: event.cwd,
        model: event.model,
        provider: event.provider,
        permissionMode: event.permissionMode,
        tools: event.tools,
        mcp_servers: extras.mcpServers ?? [],
      });
    case 'assistant_message': {
      const m = event.message;
      const content: unknown[] = [];
      if (m.reasoning) content.push({ type: 'thinking', thinking: m.reasoning });
      if (m.content) content.push({ type: 'text', text: m.content });
      for (const call of m.toolCalls ?? []) content.push({ type: 'tool_use', id: call.id, name: call.name, input: JSON.parse(call.arguments) });
      return line({ type: 'assistant', message: { role: 'assistant', content, stop_reason: event.finishReason, usage: event.usage && usageJson(event.usage) }, parent_tool_use_id: parent, session_id: sid });
    }
    case 'tool_end':
      return line({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: event.callId, content: event.output, is_error: event.isError }] }, parent_tool_use_id: parent, session_id: sid });
    case 'retry':
      return line({ type: 'system', subtype: 'retry', session_id: sid, attempt: event.attempt, max_attempts: event.maxAttempts, delay_ms: event.delayMs, reason: event.reason });
    case 'error':
      return line({ type: 'system', subtype: 'error', session_id: sid, message: event.message, code: event.code, ...(parent && { parent_tool_use_id: parent }) });
    default:
      return;
  }
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
