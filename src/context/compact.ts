// Compaction: the model summarises the older part of the conversation with prompts/compact.md, and the
// history becomes one summary message (with the user's own messages verbatim, the files touched and the todo
// list) followed by the latest turns, kept whole. Imports types, tokens and the template; no loop, no UI.
import compactTemplate from '../../prompts/compact.md';
import { renderTemplate } from '../template.ts';
import { estimateMessage, estimateMessages, estimateRequest, estimateTokens } from './tokens.ts';
import type { TodoItem } from '../tool.ts';
import type { Message, ModelClient, ModelRequest, ToolSchema, Usage } from '../types.ts';

/** Model turns kept whole after a compaction, when they fit KEEP_SHARE of the window. */
export const KEEP_TURNS = 3;
const KEEP_SHARE = 0.2;
/** The user's messages are carried over verbatim up to this share of the window. */
const PROMPTS_SHARE = 0.1;
/** The compaction request leaves this share of the window for the summary itself. */
const SUMMARY_SHARE = 0.15;
/** Older tool outputs are cut to this many characters when the compaction request would not fit. */
const SHORT_OUTPUT_CHARS = 1000;

export const SUMMARY_HEADER = '[This conversation was compacted to fit the context window. This summary replaces the earlier turns; the latest turns follow it unchanged.]';

export interface CompactInput {
  client: ModelClient;
  /** The session's system prompt and tools: the compaction request shares their cached prefix. */
  system: string;
  tools: ToolSchema[];
  /** Not changed; the result holds the new history. */
  history: readonly Message[];
  window: number;
  /** Raw estimate → calibrated tokens. */
  scale: (rawTokens: number) => number;
  /** Every prompt the user typed in this session, oldest first (from the transcript, across compactions). */
  prompts: readonly string[];
  todos: readonly TodoItem[];
  /** Files read or changed in this session, as the user would name them. */
  files: readonly string[];
  /** `/compact <focus>`: what the summary should concentrate on. */
  focus?: string;
  /** Model turns to keep whole (default KEEP_TURNS; /compact keeps only the latest). */
  keepTurns?: number;
  signal: AbortSignal;
}

export interface Compacted {
  /** The summary message followed by the kept turns. */
  history: Message[];
  /** What the model wrote (or why it wrote nothing). */
  summary: string;
  usage?: Usage;
  /** Set when the model could not summarise: the history was compacted without its summary. */
  failure?: string;
}

/** Compacts `history`; undefined when there is nothing older than the latest turn, or on abort. */
export async function compactHistory(input: CompactInput): Promise<Compacted | undefined> {
  const start = keptStart(input.history, input.scale, input.window * KEEP_SHARE, input.keepTurns);
  if (start <= 0) return undefined;
  const old = imagesAsText(input.history.slice(0, start));
  const kept = input.history.slice(start);
  const reply = await summarise(input, old);
  if (input.signal.aborted) return undefined;
  const summary = reply.text || `(No summary: ${reply.failure ?? 'the model answered with nothing'}. Rely on the user's messages, the files and the todo list below, and on the files themselves.)`;
  const text = summaryMessage(summary, input, kept);
  return { history: [{ role: 'user', content: text }, ...kept], summary, usage: reply.usage, failure: reply.text ? undefined : (reply.failure ?? 'empty summary') };
}

/**
 * The summarised part's images as text: the description vision routing made (kept beside the image file), else
 * `[image: shot.png 1280×720, removed by compaction]`. A summary asks no vision model, and a vision model's own
 * images are not sent again just to be summarised; the kept turns keep theirs.
 */
export function imagesAsText(messages: readonly Message[]): Message[] {
  return messages.map((m): Message => {
    if (m.role !== 'user' || !m.images?.length) return m;
    const texts = m.images.map((img) =>
      img.description
        ? `[image: ${img.name} ${img.width}×${img.height}, replaced by compaction with its description by a vision model]\n${img.description}\n[end of description]`
        : `[image: ${img.name} ${img.width}×${img.height}, removed by compaction]`,
    );
    return { role: 'user', content: [m.content, ...texts].filter(Boolean).join('\n\n') };
  });
}

/**
 * Where the kept tail starts: at most `keepTurns` model turns within `budget` tokens, always at least the latest
 * turn, never at a tool result; moved back to the prompt those turns answer when that fits too.
 * 0 means nothing would be left to summarise.
 */
export function keptStart(history: readonly Message[], scale: (raw: number) => number, budget: number, keepTurns = KEEP_TURNS): number {
  let start = history.length;
  let tokens = 0;
  let turns = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i];
    tokens += scale(estimateMessage(m));
    if (m.role === 'tool') continue;
    if (tokens > budget && start < history.length) return start;
    start = i;
    if (m.role === 'assistant' && ++turns >= keepTurns) break;
  }
  if (start >= history.length) return 0;
  for (let j = start - 1; j > 0; j--) {
    tokens += scale(estimateMessage(history[j]));
    if (tokens > budget) break;
    if (history[j].role === 'user') return j;
  }
  return start;
}

type Reply = { text: string; usage?: Usage; failure?: string };

async function summarise(input: CompactInput, old: readonly Message[]): Promise<Reply> {
  const instruction: Message = {
    role: 'user',
    content: renderTemplate(compactTemplate, { focus: input.focus?.trim() ? `\n\nThe user asked you to focus the summary on: ${input.focus.trim()}` : '' }),
  };
  const fitted = fitForSummary(input, old);
  const request: ModelRequest = { system: input.system, messages: [...fitted.messages, instruction], tools: fitted.tools };
  let usage: Usage | undefined;
  for await (const event of input.client.stream(request, input.signal)) {
    if (event.type === 'message_end') {
      usage = event.usage;
      return { text: event.message.content.trim(), usage };
    }
    if (event.type === 'error') return { text: '', failure: event.message };
  }
  return { text: '', usage, failure: 'the model stream ended without a message' };
}

/**
 * The older turns as sent for summarising, and the tools sent with them. Information goes before the cache: whole
 * with the session's tool list (the cached prefix), else whole without the tool list (one cache miss), else with
 * short tool outputs, else the newest turns that fit.
 */
function fitForSummary(input: CompactInput, old: readonly Message[]): { messages: Message[]; tools: ToolSchema[] } {
  const budget = input.window * (1 - SUMMARY_SHARE);
  const base = (tools: ToolSchema[]) => estimateRequest({ system: input.system, messages: [], tools }) + estimateTokens(compactTemplate);
  if (input.scale(base(input.tools) + estimateMessages(old)) <= budget) return { messages: [...old], tools: input.tools };
  const bare = base([]);
  const fits = (messages: readonly Message[]) => input.scale(bare + estimateMessages(messages)) <= budget;
  return { messages: fitTurns(old, fits), tools: [] };
}

function fitTurns(old: readonly Message[], fits: (messages: readonly Message[]) => boolean): Message[] {
  if (fits(old)) return [...old];
  const short = old.map((m): Message => (m.role === 'tool' && m.content.length > SHORT_OUTPUT_CHARS ? { ...m, content: `${m.content.slice(0, SHORT_OUTPUT_CHARS)}\n[… output cut for the summary]` } : m));
  if (fits(short)) return short;
  // Drop the oldest turns (never starting at a tool result), keeping an earlier summary at the front.
  const lead = short[0]?.role === 'user' && short[0].content.startsWith(SUMMARY_HEADER) ? [short[0]] : [];
  const note: Message = { role: 'user', content: '[The oldest part of the conversation did not fit here and was left out.]' };
  for (let from = lead.length + 1; from < short.length; from++) {
    if (short[from].role === 'tool') continue;
    const rest = [...lead, note, ...short.slice(from)];
    if (fits(rest)) return rest;
  }
  return [...lead, note];
}

function summaryMessage(summary: string, input: CompactInput, kept: readonly Message[]): string {
  const parts = [SUMMARY_HEADER, `<summary>\n${summary}\n</summary>`];
  const prompts = verbatimPrompts(earlierPrompts(input.prompts, kept), input.scale, input.window * PROMPTS_SHARE);
  if (prompts) parts.push(`The user's messages so far, verbatim, oldest first (their instructions still apply):\n<user-messages>\n${prompts}\n</user-messages>`);
  if (input.files.length) parts.push(`Files read or changed in this session (Read a file again before you edit it): ${input.files.join(', ')}`);
  if (input.todos.length) parts.push(`The current todo list:\n${input.todos.map(todoLine).join('\n')}`);
  return parts.join('\n\n');
}

const todoLine = (t: TodoItem) => `- [${t.status === 'completed' ? 'x' : t.status === 'in_progress' ? '~' : ' '}] ${t.content}${t.status === 'in_progress' ? ' (in progress)' : ''}`;

/** The prompts not already in the kept turns (each kept user message accounts for one prompt). */
function earlierPrompts(prompts: readonly string[], kept: readonly Message[]): string[] {
  const out = [...prompts];
  for (const m of kept) {
    if (m.role !== 'user') continue;
    const at = out.lastIndexOf(m.content);
    if (at >= 0) out.splice(at, 1);
  }
  return out;
}

/** Numbered prompts within `budget` tokens: the first one always, then the newest that fit; long ones cut. */
function verbatimPrompts(prompts: readonly string[], scale: (raw: number) => number, budget: number): string {
  if (prompts.length === 0) return '';
  const maxChars = Math.max(400, Math.floor(budget * 2)); // about half the budget, at ~4 characters a token
  const cut = (p: string) => (p.length > maxChars ? `${p.slice(0, maxChars)} […cut]` : p);
  const line = (p: string, i: number) => `${i + 1}. ${cut(p).replace(/\n/g, '\n   ')}`;
  const first = line(prompts[0], 0);
  let used = scale(estimateTokens(first));
  const tail: string[] = [];
  for (let i = prompts.length - 1; i >= 1; i--) {
    const text = line(prompts[i], i);
    used += scale(estimateTokens(text));
    if (used > budget) {
      tail.unshift(`(${i} more of the user's messages left out)`);
      break;
    }
    tail.unshift(text);
  }
  return [first, ...tail].join('\n');
}
