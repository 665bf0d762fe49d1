// `glm sessions` lists this project's sessions; `glm sessions export <id> [-o file]` writes one as Markdown.
// Needs no API key (reads transcripts only). Imports the transcript reader and config's project-root lookup;
// never the loop, the model client or the UI.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { dataDirFromEnv, findProjectRoot } from './config.ts';
import { listSessions, projectSessionsDir, readTranscriptEntries, resolveSessionId, sessionIdsByAge, summarizeSession } from './transcript.ts';
import type { AgentEvent, Usage } from './types.ts';

interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Tool outputs longer than this many lines are cut in an export (the transcript keeps them whole). */
const EXPORT_OUTPUT_LINES = 200;

/** The sessions folder of the project around `cwd`, derived like config.ts does, without needing a key. */
function sessionsDirFromEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return projectSessionsDir(dataDirFromEnv(env), findProjectRoot(cwd));
}

const pad = (n: number) => String(n).padStart(2, '0');
const localTime = (iso: string) => {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const formatTokens = (n: number) => (n < 1000 ? String(n) : n < 1_000_000 ? `${(n / 1000).toFixed(1)}K` : `${(n / 1_000_000).toFixed(2)}M`);

/** `glm sessions`: newest first. Exit code 0 (an empty list is not an error). */
export function runSessionsList(opts: { json?: boolean }, out: Output, dir = sessionsDirFromEnv()): number {
  const sessions = listSessions(dir);
  if (opts.json) {
    out.stdout(JSON.stringify(sessions.map(({ file: _file, ...s }) => s), null, 2) + '\n');
    return 0;
  }
  if (sessions.length === 0) {
    out.stdout('No sessions in this project yet.\n');
    return 0;
  }
  const rows = sessions.map((s) => [s.id, localTime(s.updatedAt), String(s.turns), formatTokens(s.tokens), s.firstPrompt || '(no prompt)']);
  const head = ['ID', 'DATE', 'TURNS', 'TOKENS', 'FIRST PROMPT'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]) : i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  out.stdout([line(head), ...rows.map(line)].join('\n') + '\n');
  out.stdout(`Resume one with: glm --resume <id>; export it with: glm sessions export <id>\n`);
  return 0;
}

/** An exact id, `latest`, or a unique prefix of an id: the session's id and file (no transcript is parsed). */
function findSession(dir: string, wanted: string): { id: string; file: string } | string {
  const ids = sessionIdsByAge(dir);
  const found = (id: string) => ({ id, file: path.join(dir, `${id}.jsonl`) });
  if (wanted === 'latest') return ids[0] ? found(ids[0]) : 'there are no sessions in this project yet';
  const resolved = resolveSessionId(dir, wanted);
  return 'id' in resolved ? found(resolved.id) : resolved.error;
}

/**
 * `glm sessions export <id> [-o file]`. Exit 0; 2 when no session has that id (a usage error, as for --resume);
 * 1 when the file cannot be written.
 */
export function runSessionsExport(id: string, opts: { output?: string }, out: Output, dir = sessionsDirFromEnv()): number {
  const found = findSession(dir, id);
  if (typeof found === 'string') {
    out.stderr(`glm: ${found}\n`);
    return 2;
  }
  const markdown = sessionMarkdown(found.file);
  if (!opts.output) {
    out.stdout(markdown);
    return 0;
  }
  try {
    writeFileSync(opts.output, markdown);
  } catch (err) {
    out.stderr(`glm: cannot write ${opts.output} (${(err as NodeJS.ErrnoException).code ?? 'error'}): check the folder exists and is writable\n`);
    return 1;
  }
  out.stderr(`glm: wrote session ${found.id} to ${opts.output}\n`);
  return 0;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A fence longer than any backtick run in `text`, so the text cannot close it. */
function fenced(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

function cutLines(text: string, max: number): string {
  const lines = text.split('\n');
  return lines.length <= max ? text : `${lines.slice(0, max).join('\n')}\n[… ${lines.length - max} more lines in the transcript]`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const usageLine = (u: Usage) => `${formatTokens(u.inputTokens)} in (${formatTokens(u.cachedTokens)} cached), ${formatTokens(u.outputTokens)} out`;

/** The session as Markdown: prompts, answers (reasoning folded), tool calls with their output, compactions. */
function sessionMarkdown(file: string): string {
  const entries = readTranscriptEntries(file);
  const summary = summarizeSession(file, entries);
  const parts: string[] = [`# glm session ${summary.id}`, ''];
  let prompt = 0;
  for (const entry of entries) {
    if (!('event' in entry)) continue;
    const block = eventMarkdown(entry.event, () => ++prompt);
    if (block !== undefined) parts.push(block, '');
  }
  parts.push(`---\n${plural(summary.prompts, 'prompt')}, ${plural(summary.turns, 'turn')}, ${formatTokens(summary.tokens)} tokens.`);
  return parts.join('\n') + '\n';
}

function eventMarkdown(e: AgentEvent, nextPrompt: () => number): string | undefined {
  switch (e.type) {
    case 'session_start':
      return [`- Started: ${e.resumed ? 'resumed' : 'new'} session in \`${e.cwd}\``, `- Model: ${e.model} (${e.provider})`, `- Permission mode: ${e.permissionMode}`].join('\n');
    case 'user_message':
      return `## Prompt ${nextPrompt()}\n\n${e.text}`;
    case 'assistant_message': {
      const m = e.message;
      const out: string[] = [];
      if (m.reasoning?.trim()) out.push(`<details><summary>Reasoning</summary>\n\n${m.reasoning.trim()}\n\n</details>`);
      if (m.content.trim()) out.push(m.content.trim());
      for (const call of m.toolCalls ?? []) out.push(`**${call.name}**\n\n${fenced(prettyJson(call.arguments), 'json')}`);
      return out.length ? `### Assistant\n\n${out.join('\n\n')}` : undefined;
    }
    case 'tool_end':
      return `${e.isError ? 'Error' : 'Output'} of ${e.name}:\n\n${fenced(cutLines(e.output, EXPORT_OUTPUT_LINES))}`;
    case 'approval_result':
      return e.decision === 'deny' ? `> Denied ${e.name} (${e.by})${e.feedback ? `: ${e.feedback}` : ''}` : undefined;
    case 'compaction':
      return `> **Context compacted** (${formatTokens(e.beforeTokens)} → ${formatTokens(e.afterTokens)} tokens)\n\n<details><summary>Summary</summary>\n\n${e.summary.trim()}\n\n</details>`;
    case 'error':
      return `> **Error:** ${e.message}`;
    case 'subagent': {
      // A subagent's sidechain, quoted under its Task call.
      const inner = e.event.type === 'user_message' ? `#### Task prompt\n\n${e.event.text}` : e.event.type === 'done' ? undefined : eventMarkdown(e.event, nextPrompt);
      return inner && inner.split('\n').map((l) => `> ${l}`.trimEnd()).join('\n').replace(/^> /, `> **${e.agent} agent** · `);
    }
    case 'done':
      return e.reason === 'completed' ? `*Done: ${plural(e.turns, 'turn')}, ${usageLine(e.usage)}.*` : `*Ended (${e.reason}) after ${plural(e.turns, 'turn')}.*`;
    default:
      return undefined;
  }
}
