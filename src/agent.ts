// The agent loop: request → stream → assistant message → tool calls → results → next request, until the
// model answers without tools. UI-free: it knows nothing of Ink, the openai SDK or the terminal; the model
// client, tools, gate and event sink are injected. Failures become events and tool results, never throws.
import { mkdir } from 'node:fs/promises';
import { coerceArgumentStrings } from './model/repair-arguments.ts';
import { truncateOutput } from './truncate.ts';
import type { AnyToolDef, ToolContext } from './tool.ts';
import type { Gate } from './gate.ts';
import {
  addUsage,
  emptyUsage,
  type AgentEvent,
  type AssistantMessage,
  type DoneReason,
  type FinishReason,
  type ImageData,
  type Message,
  type ModelClient,
  type ToolCall,
  type ToolSchema,
  type Usage,
} from './types.ts';

export interface LoopOptions {
  client: ModelClient;
  /** The definitions, or how to load them (they are needed only once the model calls a tool). */
  tools: AnyToolDef[] | (() => Promise<AnyToolDef[]>);
  /** The schemas to send, or how to read them before each request (a tool set whose MCP servers change). */
  schemas: ToolSchema[] | (() => ToolSchema[]);
  system: string;
  /** The conversation; the loop appends to it as it goes. */
  history: Message[];
  gate: Gate;
  toolContext: Omit<ToolContext, 'signal' | 'onOutput'>;
  spillDir: string;
  maxTurns: number;
  emit: (event: AgentEvent) => void;
  signal: AbortSignal;
  /** Keeps the conversation inside the context window (src/context/keeper.ts); without it nothing is shrunk. */
  context?: ContextGuard;
  /** Lifecycle hooks around tool calls and the end of the run (src/hooks/); without them nothing runs. */
  hooks?: LoopHooks;
}

/** What the loop asks of lifecycle hooks (PostToolUse, Stop or SubagentStop, `continue: false`). Never throws. */
export interface LoopHooks {
  /** After a call ran (or failed): text to add to its result for the model, if any. */
  afterTool(call: { callId: string; name: string; input: unknown; output: string; isError: boolean }, signal: AbortSignal): Promise<string | undefined>;
  /** The model answered without tools: a reason to go on instead of finishing. `active`: one already made it go on. */
  beforeStop(active: boolean, signal: AbortSignal): Promise<string | undefined>;
  /** A hook ended the run (`continue: false`): its reason. */
  stopped(): string | undefined;
}

/** What the loop asks of context management, around each request. Never throws. */
export interface ContextGuard {
  /** Before a request: may stub old tool outputs or compact the history in place. Returns the system prompt to send. */
  prepare(signal: AbortSignal): Promise<{ system: string; usage?: Usage }>;
  /** The server's token counts for the request just sent (calibrates the estimates). */
  observe(usage: Usage): void;
  /** The request did not fit the window: compact now. `compacted: false` when nothing could be done. */
  overflow(signal: AbortSignal): Promise<{ compacted: boolean; usage?: Usage }>;
}

export type DoneEvent = Extract<AgentEvent, { type: 'done' }>;

const INTERRUPTED = 'Interrupted by the user before this tool call ran.';
/** The same call this many times in a row gets a warning; twice as many stops the run. */
const REPEAT_WARN = 3;
const REPEAT_STOP = 5;
/** The same call failing this many times in a row stops the run. */
const FAIL_STOP = 3;
/** How often to ask the model to go on: once after a reasoning-only turn, a few times after cut-off text. */
const MAX_NUDGES = { thinking: 1, length: 3 };

export async function runLoop(o: LoopOptions): Promise<DoneEvent> {
  const usage = emptyUsage();
  const repeat = { key: '', count: 0, failures: 0 };
  const nudges = { thinking: 0, length: 0 };
  let turn = 0;
  let overflowRetried = false;
  /** A Stop hook made the model go on in this run (stop_hook_active). */
  let stopHookActive = false;
  const done = (reason: DoneReason, text = ''): DoneEvent => {
    const event: DoneEvent = { type: 'done', reason, text, usage: { ...usage }, turns: turn };
    o.emit(event);
    return event;
  };

  while (true) {
    if (o.signal.aborted) return done('aborted');
    if (turn >= o.maxTurns) {
      o.emit({ type: 'error', message: `Stopped after ${o.maxTurns} turn${o.maxTurns === 1 ? '' : 's'} (--max-turns).` });
      return done('max_turns');
    }
    turn++;
    o.emit({ type: 'turn_start', turn });
    const prepared = await o.context?.prepare(o.signal);
    if (prepared?.usage) addUsage(usage, prepared.usage);
    if (o.signal.aborted) return done('aborted');
    const reply = await streamTurn(o, prepared?.system ?? o.system);
    if (reply.usage) addUsage(usage, reply.usage);
    const contextUsage = reply.kind === 'message' ? reply.contextUsage : reply.usage;
    if (contextUsage) o.context?.observe(contextUsage);
    // A request that did not fit: compact once and send it again.
    if (o.context && !overflowRetried && overflowed(reply)) {
      overflowRetried = true;
      const fixed = await o.context.overflow(o.signal);
      if (fixed.usage) addUsage(usage, fixed.usage);
      if (fixed.compacted) {
        o.emit({ type: 'turn_end', turn, usage: reply.usage });
        continue;
      }
    }
    if (!overflowed(reply)) overflowRetried = false;

    if (reply.kind === 'error') {
      if (reply.partial) {
        o.history.push(reply.partial);
        o.emit({ type: 'assistant_message', message: reply.partial, finishReason: 'stop', interrupted: true });
      }
      if (reply.aborted) return done('aborted', reply.partial?.content ?? '');
      o.emit({ type: 'error', message: reply.message, kind: reply.errorKind, code: reply.code });
      return done('error');
    }

    const { message, finishReason } = reply;
    o.emit({ type: 'assistant_message', message, finishReason, usage: reply.contextUsage ?? reply.usage });
    o.history.push(message);
    const calls = message.toolCalls ?? [];

    if (finishReason === 'sensitive') {
      o.emit({ type: 'error', kind: 'sensitive', message: "The provider's content filter blocked the model's output (finish_reason: sensitive). Rephrase the request or remove the flagged content." });
      o.emit({ type: 'turn_end', turn, usage: reply.usage });
      return done('error', message.content);
    }

    if (calls.length === 0) {
      const nudge = nudgeFor(message, finishReason);
      if (nudge && nudges[nudge.kind] < MAX_NUDGES[nudge.kind]) {
        nudges[nudge.kind]++;
        o.history.push({ role: 'user', content: nudge.text });
        o.emit({ type: 'user_message', text: nudge.text, synthetic: true });
        o.emit({ type: 'turn_end', turn, usage: reply.usage });
        continue;
      }
      const goOn = o.hooks?.stopped() ? undefined : await o.hooks?.beforeStop(stopHookActive, o.signal);
      if (goOn && !o.signal.aborted) {
        stopHookActive = true;
        o.history.push({ role: 'user', content: goOn });
        o.emit({ type: 'user_message', text: goOn, synthetic: true });
        o.emit({ type: 'turn_end', turn, usage: reply.usage });
        continue;
      }
      o.emit({ type: 'turn_end', turn, usage: reply.usage });
      return done(o.signal.aborted ? 'aborted' : 'completed', message.content || (message.reasoning ?? ''));
    }

    const stop = await runCalls(o, calls, finishReason, repeat, usage);
    o.emit({ type: 'turn_end', turn, usage: reply.usage });
    if (stop === 'aborted') return done('aborted');
    if (o.hooks?.stopped()) return done('completed');
    if (typeof stop === 'object') return done('completed', stop.endRun);
    if (stop === 'loop') {
      o.emit({ type: 'error', message: 'Stopped: the model kept repeating the same tool call.' });
      return done('loop');
    }
  }
}

const schemasOf = (o: LoopOptions): ToolSchema[] => (typeof o.schemas === 'function' ? o.schemas() : o.schemas);

// The model client reports a full context window (an HTTP error or finish_reason model_context_window_exceeded)
// as an error of kind 'context', never as a message.
const overflowed = (reply: TurnReply): boolean => reply.kind === 'error' && reply.errorKind === 'context';

/** Text the loop sends when a turn ended without an answer or was cut off. */
function nudgeFor(message: AssistantMessage, finishReason: FinishReason): { kind: 'thinking' | 'length'; text: string } | undefined {
  if (finishReason === 'length') return { kind: 'length', text: 'Your reply was cut off by the output limit. Continue exactly where you stopped.' };
  if (!message.content.trim() && message.reasoning?.trim()) return { kind: 'thinking', text: 'You finished thinking but gave no answer. Continue: call a tool or give your answer.' };
  return undefined;
}

type TurnReply =
  | { kind: 'message'; message: AssistantMessage; finishReason: FinishReason; usage?: Usage; contextUsage?: Usage }
  | { kind: 'error'; message: string; errorKind?: Extract<AgentEvent, { type: 'error' }>['kind']; code?: string; aborted: boolean; partial?: AssistantMessage; usage?: Usage };

async function streamTurn(o: LoopOptions, system: string): Promise<TurnReply> {
  let text = '';
  let reasoning = '';
  let toolsLoading = false;
  for await (const event of o.client.stream({ system, messages: o.history, tools: schemasOf(o) }, o.signal)) {
    switch (event.type) {
      case 'text_delta':
        text += event.text;
        o.emit(event);
        break;
      case 'thinking_delta':
        reasoning += event.text;
        o.emit(event);
        break;
      case 'tool_call_delta':
        // A call is on its way: load the tool definitions while its arguments stream (once, not per chunk).
        if (!toolsLoading && typeof o.tools === 'function') {
          toolsLoading = true;
          o.tools().catch(() => {});
        }
        o.emit(event);
        break;
      case 'retry':
        // The attempt that failed is discarded; front ends drop what they showed of it.
        text = '';
        reasoning = '';
        o.emit(event);
        break;
      case 'message_end': {
        // The vision model's descriptions (extraUsage) cost tokens too, but only the request itself fills the context.
        const usage = event.extraUsage ? addUsage({ ...emptyUsage(), ...event.usage }, event.extraUsage) : event.usage;
        return { kind: 'message', message: event.message, finishReason: event.finishReason, usage, contextUsage: event.usage };
      }
      case 'error': {
        const aborted = event.kind === 'aborted';
        // Keep what the user already saw of an interrupted answer; a partial tool call is dropped.
        const partial: AssistantMessage | undefined = aborted && (text || reasoning) ? { role: 'assistant', content: text, reasoning: reasoning || undefined } : undefined;
        return { kind: 'error', message: event.message, errorKind: event.kind, code: event.code, aborted, partial };
      }
    }
  }
  return { kind: 'error', message: 'The model stream ended without a message.', aborted: o.signal.aborted };
}

type Repeat = { key: string; count: number; failures: number };

async function runCalls(o: LoopOptions, calls: ToolCall[], finishReason: FinishReason, repeat: Repeat, usage: Usage): Promise<'aborted' | 'loop' | { endRun: string } | undefined> {
  await mkdir(o.spillDir, { recursive: true });
  let stop: 'loop' | undefined;
  let endRun: string | undefined;
  const images: ImageData[] = [];
  for (let i = 0; i < calls.length; ) {
    const call = calls[i]!;
    const hookStop = o.hooks?.stopped();
    if (o.signal.aborted || stop || hookStop) {
      const output = stop ? 'Not run: the run was stopped because the same call kept repeating.' : hookStop ? `Not run: a hook stopped the run (${hookStop}).` : INTERRUPTED;
      endCall(o, call, output, true);
      i++;
      continue;
    }
    // Calls of parallel tools (Task, the read-only built-ins) that follow each other run at the same time; results go
    // in in order, and their gate decisions come one at a time (one approval prompt, hooks in the calls' order).
    const group = await parallelGroup(o, calls, i);
    const groupOptions = group.length > 1 ? { ...o, gate: oneAtATime(o.gate) } : o;
    const results = await Promise.all(group.map((c) => runOneCall(groupOptions, c, finishReason)));
    group.forEach((c, k) => {
      const result = results[k]!;
      if (result.usage) addUsage(usage, result.usage);
      // A call with broken arguments carries `{}`: its raw text tells one attempt from another.
      const key = `${c.name}\u0000${c.invalid?.raw ?? c.arguments}`;
      repeat.count = key === repeat.key ? repeat.count + 1 : 1;
      if (key !== repeat.key) repeat.failures = 0;
      repeat.key = key;
      let output = result.output;
      if (repeat.count >= REPEAT_WARN) output += `\n\nWarning: this is call number ${repeat.count} of ${c.name} with exactly the same arguments in a row. Repeating it will not give a different result; change your approach.`;
      endCall(o, c, output, result.isError, result.display, result.title);
      images.push(...(result.images ?? []));
      repeat.failures = result.isError ? repeat.failures + 1 : 0;
      if (repeat.count >= REPEAT_STOP || repeat.failures >= FAIL_STOP) stop = 'loop';
      endRun ??= result.endRun;
    });
    i += group.length;
  }
  if (images.length > 0) sendImages(o, images);
  if (o.signal.aborted) return 'aborted';
  return stop ?? (endRun !== undefined ? { endRun } : undefined);
}

/** Images tool calls returned go in one user message after the results: servers reject image parts in tool messages. */
function sendImages(o: LoopOptions, images: ImageData[]): void {
  const text = `The image${images.length === 1 ? '' : 's'} returned by the tool calls above: ${images.map((i) => i.name).join(', ')}.`;
  o.history.push({ role: 'user', content: text, images });
  o.emit({ type: 'user_message', text, synthetic: true, images });
}

/** The call at `i`, and the calls right after it when all are of tools marked `parallel`. */
async function parallelGroup(o: LoopOptions, calls: ToolCall[], i: number): Promise<ToolCall[]> {
  const first = calls[i]!;
  if (typeof o.tools !== 'function' && !o.tools.some((t) => t.parallel)) return [first];
  const tools = typeof o.tools === 'function' ? await o.tools().catch(() => []) : o.tools;
  const parallel = (c: ToolCall) => !c.invalid && tools.some((t) => t.name === c.name && t.parallel);
  if (!parallel(first)) return [first];
  let j = i + 1;
  while (j < calls.length && parallel(calls[j]!)) j++;
  return calls.slice(i, j);
}

/** The gate, asked again only once its previous decision is made (in the order the calls asked). */
function oneAtATime(gate: Gate): Gate {
  let last: Promise<unknown> = Promise.resolve();
  return (call, signal) => {
    const decision = last.then(() => gate(call, signal));
    last = decision.catch(() => undefined);
    return decision;
  };
}

function endCall(o: LoopOptions, call: ToolCall, output: string, isError: boolean, display?: { summary: string; diff?: string }, title?: string) {
  o.emit({ type: 'tool_end', callId: call.id, name: call.name, ...(title !== undefined && { title }), output, display, isError });
  o.history.push({ role: 'tool', toolCallId: call.id, name: call.name, content: output });
}

type CallResult = { output: string; isError: boolean; display?: { summary: string; diff?: string }; title?: string; endRun?: string; images?: ImageData[]; usage?: Usage };

async function runOneCall(o: LoopOptions, call: ToolCall, finishReason: FinishReason): Promise<CallResult> {
  // Errors obey the same truncate-and-spill rule as outputs (a thrown error can quote a 1 MB argument).
  const fail = (output: string): CallResult => ({ output: truncateOutput(output, 'head', o.spillDir).text, isError: true });
  const tools = typeof o.tools === 'function' ? await o.tools() : o.tools;
  const tool = tools.find((t) => t.name === call.name);
  if (!tool) return fail(`Unknown tool "${call.name}". Available tools: ${tools.map((t) => t.name).join(', ')}. Call one of those.`);
  if (call.invalid) {
    const cut = finishReason === 'length' ? ' Your reply hit the output limit, so the call was cut off: send a smaller call (e.g. split a large Write into Write + Edit).' : '';
    return fail(`The arguments of this ${call.name} call are not valid JSON (${call.invalid.error}).${cut} You sent:\n${call.invalid.raw.slice(0, 2000)}\nCall ${call.name} again with a valid JSON object.`);
  }
  const schema = schemasOf(o).find((s) => s.name === call.name)?.parameters ?? {};
  const parsed = tool.schema.safeParse(coerceArgumentStrings(JSON.parse(call.arguments) as Record<string, unknown>, schema));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i: { path: PropertyKey[]; message: string }) => `${i.path.join('.') || '(arguments)'}: ${i.message}`).join('; ');
    return fail(`Invalid arguments for ${call.name}: ${issues}. Fix them and call ${call.name} again.`);
  }
  const title = tool.title(parsed.data);
  const gate = await o.gate({ callId: call.id, tool, args: parsed.data, title, context: o.toolContext }, o.signal);
  if (!gate.allowed) return { ...fail(gate.message), title };
  const args = gate.args ?? parsed.data;
  if (o.signal.aborted) return { ...fail(INTERRUPTED), title };
  // A hook may have rewritten the arguments (judged again by the gate): the call runs with those.
  const input = gate.args ?? args;
  const shown = gate.args === undefined ? title : tool.title(input);
  const result = await execute(o, call, tool, input, shown);
  const added = [gate.context, await o.hooks?.afterTool({ callId: call.id, name: call.name, input, output: result.output, isError: result.isError }, o.signal)].filter(Boolean);
  return { ...result, title: shown, ...(added.length && { output: `${result.output}\n\n${added.join('\n\n')}` }) };
}

async function execute(o: LoopOptions, call: ToolCall, tool: AnyToolDef, input: unknown, title: string): Promise<CallResult> {
  o.emit({ type: 'tool_start', callId: call.id, name: call.name, input, title });
  try {
    const result = await tool.execute(input, {
      ...o.toolContext,
      signal: o.signal,
      callId: call.id,
      onOutput: (chunk: string) => o.emit({ type: 'tool_output', callId: call.id, chunk }),
    });
    const cut = await truncateOutput(result.output, tool.keep, o.spillDir);
    return { output: cut.text, isError: Boolean(result.isError), display: result.display, endRun: result.endRun, usage: result.usage, ...(result.images?.length && { images: result.images }) };
  } catch (err) {
    // An error message obeys the same truncate-and-spill rule as an output (a 1 MB path in an error must not go whole).
    return { output: truncateOutput(`${call.name} failed: ${err instanceof Error ? err.message : String(err)}`, 'head', o.spillDir).text, isError: true };
  }
}
