// `glm hooks list`, `glm hooks test <event> [--tool NAME] [--input JSON]` and the lines of the REPL's /hooks: every
// configured hook with its file, and a dry run of one event's hooks on a sample payload that prints what each
// returned and what glm would do. Imports config, trust, command-env and this folder (the model client lazily, for
// prompt hooks); never the loop or a UI.
import os from 'node:os';
import path from 'node:path';
import { commandEnv } from '../command-env.ts';
import { ConfigError, configDirFromEnv, findProjectRoot, loadConfig, projectTrust, userSettingsPath, withModel } from '../config.ts';
import { safeLine } from '../terminal-text.ts';
import type { AgentEvent, HookEntry, HookEventName, HookResponseEvent } from '../types.ts';
import { promptModel, type PromptModel } from './prompt.ts';
import { HookRunner } from './runner.ts';
import { SessionHooks } from './session-hooks.ts';
import { DEFAULT_HOOK_TIMEOUT_S, HOOK_EVENTS, loadHookSets } from './settings.ts';

interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** The configured hooks as this project sees them: the user's, and the project's with whether they run. */
export function configuredHooks(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()) {
  const projectRoot = findProjectRoot(cwd);
  const sets = loadHookSets({ userSettings: userSettingsPath(env), home: env.HOME || os.homedir(), projectRoot });
  const trusted = sets.project.length === 0 || projectTrust(env, cwd).trusted;
  return { ...sets, trusted, projectRoot, cwd: path.resolve(cwd), configDir: configDirFromEnv(env), userSettings: userSettingsPath(env) };
}

/** Where hooks could be added: every file settings.ts reads them from (Claude Code's while claudeCompat.hooks is on). */
function noHooksLine(userSettings: string, compat: { user: boolean; project: boolean }): string {
  const home = (file: string) => (process.env.HOME && file.startsWith(process.env.HOME + path.sep) ? `~${file.slice(process.env.HOME.length)}` : file);
  const claude = [...(compat.user ? ['~/.claude/settings.json'] : []), ...(compat.project ? ['.claude/settings.json', '.claude/settings.local.json'] : [])];
  const also = claude.length ? `Claude Code's ${claude.join(', ')} count too` : 'Claude Code\'s files do not count: claudeCompat.hooks is false';
  return `No hooks configured. Add "hooks" to ${safeLine(home(userSettings))}, .glm/settings.json or .glm/settings.local.json (${also}).`;
}

/** One line per hook: `PreToolUse (Bash): ./check.sh  [.claude/settings.json] timeout 5 s, failClosed`. */
export function hookLine(h: HookEntry, from: string): string {
  const extras = [...(h.timeout !== undefined ? [`timeout ${h.timeout} s`] : []), ...(h.failClosed ? ['failClosed'] : [])];
  const file = h.file.startsWith(from + path.sep) ? path.relative(from, h.file) : h.file.replace(process.env.HOME || '\0', '~');
  return `${h.event}${h.matcher ? ` (${h.matcher})` : ''}: ${safeLine(h.command)}  [${file}]${extras.length ? ` ${extras.join(', ')}` : ''}`;
}

/** The listing of /hooks and `glm hooks list`. */
export function hooksListing(o: {
  user: HookEntry[];
  project: HookEntry[];
  trusted: boolean;
  projectRoot: string;
  userSettings: string;
  claudeCompat: { user: boolean; project: boolean };
}): string[] {
  if (!o.user.length && !o.project.length) return [noHooksLine(o.userSettings, o.claudeCompat)];
  const lines = [`Hooks (${o.user.length + o.project.length}):`];
  for (const h of o.user) lines.push(`  ${hookLine(h, o.projectRoot)}`);
  for (const h of o.project) lines.push(`  ${hookLine(h, o.projectRoot)}${o.trusted ? '' : '  (not run: this project is not trusted; glm trust)'}`);
  return lines;
}

export function runHooksList(out: Output): number {
  out.stdout(hooksListing(configuredHooks()).join('\n') + '\n');
  return 0;
}

const TOOL_EVENTS: readonly HookEventName[] = ['PreToolUse', 'PermissionRequest', 'PostToolUse', 'PostToolUseFailure'];

function sampleInput(tool: string): Record<string, unknown> {
  if (tool === 'Bash') return { command: 'echo hello' };
  if (tool === 'Edit') return { file_path: 'README.md', old_string: 'a', new_string: 'b' };
  if (tool === 'Write') return { file_path: 'notes.txt', content: 'hello\n' };
  return { file_path: 'README.md' };
}

function parseInput(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(`--input must be a JSON object, like '{"command": "rm -rf build"}'`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`--input must be a JSON object, like '{"command": "rm -rf build"}'`);
  return value as Record<string, unknown>;
}

/** `glm hooks test <event>`: runs the event's hooks on a sample payload; exit 1 when one failed or timed out. */
export async function runHooksTest(eventName: string, opts: { tool?: string; input?: string }, out: Output): Promise<number> {
  const event = HOOK_EVENTS.find((e) => e.toLowerCase() === eventName.toLowerCase());
  if (!event) throw new ConfigError(`unknown hook event "${safeLine(eventName)}": use one of ${HOOK_EVENTS.join(', ')}`);
  const input = parseInput(opts.input);
  const c = configuredHooks();
  const hooks = [...c.user, ...(c.trusted ? c.project : [])];
  const events: HookResponseEvent[] = [];
  // Prompt hooks ask the model a session would (a model request: only when one of this event's hooks is one).
  const model = hooks.some((h) => h.event === event && h.prompt) ? await dryRunModel() : undefined;
  const runner = new HookRunner({
    ...(model && { model }),
    hooks,
    cwd: c.cwd,
    projectRoot: c.projectRoot,
    env: commandEnv({}),
    sessionId: () => 'hooks-test',
    transcriptPath: () => path.join(c.configDir, 'hooks-test.jsonl'),
    permissionMode: () => 'default',
    emit: (e: AgentEvent) => void (e.type === 'hook_response' && events.push(e)),
  });
  if (!c.trusted) out.stdout(`Not running this project's ${c.project.length} hook${c.project.length === 1 ? '' : 's'}: the project is not trusted (glm trust).\n`);
  const tool = opts.tool ?? 'Bash';
  const value = TOOL_EVENTS.includes(event) ? tool : undefined;
  const selected = runner.selected(event, value ?? defaultValue(event, input));
  if (!selected.length) {
    out.stdout(`No ${event} hook${value ? ` matches ${tool}` : ''}: glm would go on as if there were none.\n`);
    return 0;
  }
  const verdict = await dryRun(new SessionHooks(runner), event, tool, input);
  for (const e of events) out.stdout(describeRun(e, c.projectRoot));
  out.stdout(`glm would: ${verdict}\n`);
  return events.some((e) => e.outcome === 'error' || e.outcome === 'timeout') ? 1 : 0;
}

/** The model prompt hooks ask, chosen from the configuration as a session chooses it. */
async function dryRunModel(): Promise<PromptModel> {
  const config = loadConfig({});
  const { createModelClientFromConfig } = await import('../model/client.ts');
  return promptModel(config, (id) => createModelClientFromConfig(withModel(config, id)), () => createModelClientFromConfig(config));
}

function defaultValue(event: HookEventName, input: Record<string, unknown> | undefined): string | undefined {
  const given = (key: string, fallback: string) => (typeof input?.[key] === 'string' ? (input[key] as string) : fallback);
  if (event === 'SessionStart') return given('source', 'startup');
  if (event === 'SessionEnd') return given('reason', 'other');
  if (event === 'PreCompact') return given('trigger', 'manual');
  if (event === 'Notification') return given('notification_type', 'permission_prompt');
  return undefined;
}

function describeRun(e: HookResponseEvent, projectRoot: string): string {
  const file = e.source.startsWith(projectRoot + path.sep) ? path.relative(projectRoot, e.source) : e.source;
  const status = e.exitCode === null ? e.outcome : `exit ${e.exitCode} (${e.outcome})`;
  const lines = [`${safeLine(e.command)}  [${file}]`, `  ${status} in ${e.durationMs} ms`];
  if (e.stdout.trim()) lines.push(`  stdout: ${safeLine(e.stdout.trim())}`);
  if (e.stderr.trim()) lines.push(`  stderr: ${safeLine(e.stderr.trim())}`);
  if (e.message) lines.push(`  ${safeLine(e.message)}`);
  return lines.join('\n') + '\n';
}

/** Runs the event through SessionHooks, as a session would, and says what glm would do with the answers. */
async function dryRun(hooks: SessionHooks, event: HookEventName, tool: string, input: Record<string, unknown> | undefined): Promise<string> {
  const signal = new AbortController().signal;
  const call = { callId: 'toolu_hooks_test', name: tool, input: TOOL_EVENTS.includes(event) ? (input ?? sampleInput(tool)) : {} };
  const fields = input ?? {};
  const stop = () => (hooks.stopped() ? ` A hook also ends the run: ${hooks.stopped()}.` : '');
  switch (event) {
    case 'PreToolUse': {
      const d = await hooks.preToolUse(call, signal);
      const rewritten = d.updatedInput ? ` with its input rewritten to ${JSON.stringify(d.updatedInput)} (judged by the permission rules again)` : '';
      const context = d.context ? ` The model is also told: ${d.context}` : '';
      if (d.decision === 'deny') return `not run the ${tool} call; the model is told: ${d.reason ?? 'no reason given'}.${stop()}`;
      if (d.decision === 'ask') return `ask you before running the ${tool} call${rewritten} (headless: deny it).${context}`;
      if (d.decision === 'allow') return `run the ${tool} call${rewritten} without asking, unless a deny rule or plan mode forbids it.${context}`;
      return `decide the ${tool} call by the permission rules as usual${rewritten}.${context}${stop()}`;
    }
    case 'PermissionRequest': {
      const d = await hooks.permissionRequest(call, signal);
      if (!d) return `ask you about the ${tool} call as usual (headless: deny it).`;
      return d.decision === 'allow' ? `allow the ${tool} call without asking you.` : `deny the ${tool} call: ${d.reason}.`;
    }
    case 'PostToolUse':
    case 'PostToolUseFailure': {
      const extra = await hooks.afterTool({ ...call, output: String(fields.output ?? ''), isError: event === 'PostToolUseFailure' }, signal);
      return extra ? `add to the result the model gets: ${extra}${stop()}` : `pass the result on unchanged.${stop()}`;
    }
    case 'UserPromptSubmit': {
      const d = await hooks.userPromptSubmit(typeof fields.prompt === 'string' ? fields.prompt : 'Hello', signal);
      if (d.blocked) return `drop the prompt and show you: ${d.blocked}`;
      return d.context ? `send the prompt with this context for the model: ${d.context}` : 'send the prompt unchanged.';
    }
    case 'Stop':
    case 'SubagentStop': {
      const active = fields.stop_hook_active === true;
      const reason = await hooks.stop(active, signal, event === 'SubagentStop' ? { agentId: 'hooks-test' } : undefined);
      return reason ? `not stop: the model goes on with "${reason}".` : `let the model stop.${stop()}`;
    }
    case 'SessionStart': {
      const context = await hooks.sessionStart((defaultValue(event, input) ?? 'startup') as 'startup', 'glm', signal);
      return context ? `give the model this context with the first prompt: ${context}` : 'start the session with no added context.';
    }
    case 'SessionEnd':
      await hooks.sessionEnd((defaultValue(event, input) ?? 'other') as 'other', signal);
      return 'end the session (SessionEnd hooks cannot change anything).';
    case 'PreCompact':
      await hooks.preCompact((defaultValue(event, input) ?? 'manual') as 'manual', typeof fields.custom_instructions === 'string' ? fields.custom_instructions : undefined, signal);
      return 'compact the conversation.';
    case 'Notification':
      await hooks.runner.run(event, defaultValue(event, input), { message: fields.message ?? 'glm needs your permission to use Bash', notification_type: defaultValue(event, input) }, signal);
      return 'go on (Notification hooks only tell).';
  }
}
