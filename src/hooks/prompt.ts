// Runs one `prompt` hook as Claude Code does: the hook's prompt (its `$ARGUMENTS` replaced by the payload, else the
// payload appended) goes to a model, which answers `{"ok": true}` or `{"ok": false, "reason": "…"}`. ok: false
// blocks like exit 2 with the reason on stderr (a tool call denied, a prompt dropped, a Stop refused). Never throws.
// The tokens the answer cost go back in the run (RawRun.usage), so its hook_response event carries them into the
// session's usage and the transcript. Imports types, the model alias table and usage-by-model only: the model
// client arrives as an injected function.
import { resolveAgentModel } from '../agents/models.ts';
import { addUsage, emptyUsage, type Config, type ModelClient, type PromptHookSpec, type Usage } from '../types.ts';
import { servedBy } from '../usage-by-model.ts';
import type { RawRun } from './run.ts';

/**
 * The model a prompt hook asks (`model`: the hook's own, undefined for the session's fast model): its client, and
 * the id that serves it when that is not the session's own model.
 */
export type PromptModel = (model: string | undefined) => { client: ModelClient; served?: string };

/**
 * The client for a prompt hook: its own model (an id or Claude Code's alias), else the provider's fast GLM (haiku's),
 * else (a self-hosted server's one model) `base`.
 */
export function promptModel(config: Pick<Config, 'provider' | 'agents'>, clientFor: ((model: string) => ModelClient) | undefined, base: () => ModelClient): PromptModel {
  return (wanted) => {
    const id = resolveAgentModel(wanted ?? 'haiku', config);
    return id && clientFor ? { client: clientFor(id), served: id } : { client: base() };
  };
}

const SYSTEM = `You judge one event of a coding agent for a hook its user configured. Read the instructions and the event's JSON,
then answer with one JSON object and nothing else: {"ok": true} when the instructions are satisfied, or
{"ok": false, "reason": "<one or two sentences: what is wrong and what to do>"} when they are not.`;

/** The user message: the prompt with the payload in place of $ARGUMENTS, or after it. */
export function promptText(prompt: string, input: string): string {
  return prompt.includes('$ARGUMENTS') ? prompt.replaceAll('$ARGUMENTS', input) : `${prompt}\n\n${input}`;
}

export async function runPromptHook(spec: PromptHookSpec, input: string, o: { model: PromptModel; timeoutMs: number; signal: AbortSignal }): Promise<RawRun> {
  const started = Date.now();
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = AbortSignal.any([o.signal, timeout]);
  let spent: Usage | undefined;
  let served: string | undefined;
  const usage = () => spent && { usage: served ? servedBy(served, spent) : spent };
  const done = (r: Partial<RawRun>): RawRun => ({ exitCode: null, stdout: '', stderr: '', timedOut: timeout.aborted, aborted: o.signal.aborted && !timeout.aborted, durationMs: Date.now() - started, ...usage(), ...r });
  let text = '';
  try {
    const asked = o.model(spec.model);
    served = asked.served;
    for await (const event of asked.client.stream({ system: SYSTEM, messages: [{ role: 'user', content: promptText(spec.prompt, input) }], tools: [] }, signal)) {
      if (event.type === 'text_delta') text += event.text;
      if (event.type === 'message_end' && event.usage) spent = addUsage(addUsage(spent ?? emptyUsage(), event.usage), event.extraUsage ?? emptyUsage());
      if (event.type === 'message_end' && event.message.content) text = event.message.content;
      if (event.type === 'error') return signal.aborted ? done({}) : done({ failure: `the model request failed: ${event.message}` });
    }
  } catch (e) {
    return signal.aborted ? done({}) : done({ failure: `the model request failed: ${e instanceof Error ? e.message : String(e)}` });
  }
  if (signal.aborted) return done({});
  const answer = verdict(text);
  if (!answer) return done({ failure: 'the model did not answer {"ok": true|false, "reason": "…"}', stdout: text.slice(0, 2000) });
  if (answer.ok) return done({ exitCode: 0 });
  return done({ exitCode: 2, stderr: answer.reason ?? 'a prompt hook said no (it gave no reason)' });
}

/** `{ok, reason}` out of the answer: the first JSON object in it (a code fence or words around it are ignored). */
export function verdict(text: string): { ok: boolean; reason?: string } | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) return undefined;
  try {
    const v = JSON.parse(text.slice(start, end + 1)) as Record<string, unknown>;
    if (typeof v.ok !== 'boolean') return undefined;
    return { ok: v.ok, ...(typeof v.reason === 'string' && v.reason.trim() && { reason: v.reason.trim() }) };
  } catch {
    return undefined;
  }
}
