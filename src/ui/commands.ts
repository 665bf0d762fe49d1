// Slash commands: a registry where each command is one entry (name, description, run). Commands act through
// the CommandContext the controller gives them, never on the agent directly. Imports no ink/react.
import initPrompt from '../../prompts/init.md';
import { safeLine } from '../terminal-text.ts';
import { expandCommand, type CustomCommand } from './custom-commands.ts';
import type { ReplHost, ReplSession, TurnOptions } from './host.ts';
import { formatCost, formatTokens, visionNote, type PickerOption, type Tone, type UiState } from './state.ts';

export interface CommandContext {
  readonly host: ReplHost;
  readonly session: ReplSession;
  readonly state: UiState;
  readonly commands: readonly SlashCommand[];
  notice(text: string, tone?: Tone): void;
  /** Puts text in the prompt box (a rewound prompt, to edit and send again). */
  setInput(text: string): void;
  /** Text the next prompt carries for the model (which files the user restored, a `!command`'s output). */
  addContext(text: string): void;
  /** Sends `prompt` as a user turn; the transcript shows `display` (what was typed). */
  runPrompt(prompt: string, display: string, turn?: TurnOptions): Promise<void>;
  /** Closes the session and opens a new one (or resumes `resumeId`). */
  newSession(resumeId?: string): Promise<void>;
  /** Shows a list to choose from; undefined when dismissed with Esc. */
  pick(title: string, options: PickerOption[]): Promise<string | undefined>;
  setModel(model: string): void;
  setThinking(on: boolean): void;
  exit(): void;
}

export interface SlashCommand {
  name: string;
  description: string;
  /** Argument usage shown in completion and /help, e.g. `[on|off]`. */
  args?: string;
  /** Runs even while a turn is in progress; other commands wait in the queue for the turn to end. */
  anytime?: boolean;
  run(ctx: CommandContext, args: string): void | Promise<void>;
}

const KEYS = [
  ['Enter', 'send'],
  ['Shift+Enter, Ctrl+J, \\ Enter', 'new line'],
  ['Up / Down', 'history'],
  ['Ctrl+R', 'search history'],
  ['Ctrl+G', 'edit in $EDITOR'],
  ['@path', 'attach a file (Tab completes)'],
  ['@server:uri', "attach an MCP server's resource (Tab completes)"],
  ['!command', 'run a shell command; its output goes with the next message'],
  ['Esc', 'interrupt the model; twice on an empty prompt: /rewind'],
  ['Shift+Tab', 'cycle permission mode'],
  ['Ctrl+T', 'show or hide reasoning'],
  ['Ctrl+O', 'transcript: every output in full'],
  ['Ctrl+C', 'clear input; twice to exit'],
  ['Ctrl+D', 'exit'],
];

/** The widest first column of /help: a longer command (an MCP prompt's) does not push every description right. */
const HELP_COLUMN = 28;

function helpText(commands: readonly SlashCommand[]): string {
  const names = commands.map((c) => `/${c.name}${c.args ? ` ${c.args}` : ''}`);
  const column = Math.min(HELP_COLUMN, Math.max(...names.map((n) => n.length)));
  const lines = commands.map((c, i) => `  ${names[i]!.padEnd(column)}   ${c.description}`);
  const keys = KEYS.map(([k, v]) => `  ${k!.padEnd(30)}${v}`);
  return ['Commands', ...lines, '', 'Keys', ...keys].join('\n');
}

function costText(session: ReplSession, contextWindow: number): string {
  const u = session.usage;
  const pct = contextWindow ? ` (${Math.round((session.contextTokens / contextWindow) * 100)}% of ${formatTokens(contextWindow)})` : '';
  const lines = [
    `Tokens this session: ${formatTokens(u.inputTokens)} in (${formatTokens(u.cachedTokens)} cached), ${formatTokens(u.outputTokens)} out (${formatTokens(u.reasoningTokens)} reasoning)`,
    `Context: ${formatTokens(session.contextTokens)}${pct}`,
  ];
  if (u.cost !== undefined) lines.push(`Cost: ${formatCost(u.cost)}`);
  else if (u.inputTokens + u.outputTokens > 0) lines.push('Cost: not known (the server reports none; set the model\'s price under "prices" in settings.json)');
  return lines.join('\n');
}

async function permissions(ctx: CommandContext): Promise<void> {
  const c = ctx.host.config;
  // One line per kind: a rule's own newlines (a heredoc's) are shown escaped, so it cannot pose as another line.
  const list = (label: string, rules: readonly string[]) => (rules.length ? [`${label}: ${rules.map(safeLine).join(', ')}`] : []);
  const lines = [
    `Mode: ${ctx.session.permissionMode} (Shift+Tab cycles)`,
    ...list('Allow (settings)', c.allowRules),
    ...list('Ask (settings)', c.askRules),
    ...list('Deny (settings)', c.denyRules),
    ...list('Additional directories', c.additionalDirectories),
    ...list(
      'Not used (project not trusted: run glm trust)',
      (c.untrustedProject?.entries ?? []).map((e) =>
        e.kind === 'allow' || e.kind === 'additionalDirectory' ? e.value : e.kind === 'mcpServer' ? `MCP server ${/^\{"name":"([^"]*)"/.exec(e.value)?.[1] ?? '?'} (.mcp.json)` : e.kind === 'setting' ? e.value : `${e.kind} ${e.value}`,
      ),
    ),
    ...list('Allowed this session', ctx.session.sessionRules),
    ...(ctx.session.sessionRules.length ? [] : ['No rules added this session.']),
  ];
  ctx.notice(lines.join('\n'));
  if (!ctx.session.sessionRules.length) return;
  const options = ctx.session.sessionRules.map((r) => ({ label: `Remove ${r}`, value: r }));
  const rule = await ctx.pick('Remove a rule added this session? (Esc keeps them all)', options);
  if (!rule) return;
  ctx.session.removeRule(rule);
  ctx.notice(`Removed ${safeLine(rule)}`, 'dim');
}

async function resume(ctx: CommandContext): Promise<void> {
  const sessions = (await ctx.host.listSessions()).filter((s) => s.id !== ctx.session.id);
  if (!sessions.length) return ctx.notice('No other sessions in this project yet.', 'dim');
  sessions.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  const options = sessions.slice(0, 20).map((s) => ({
    label: s.firstPrompt.replace(/\s+/g, ' ').slice(0, 60) || '(empty)',
    value: s.id,
    hint: `${s.updatedAt.slice(0, 16).replace('T', ' ')} · ${s.turns} turn${s.turns === 1 ? '' : 's'}`,
  }));
  const id = await ctx.pick('Resume which session?', options);
  if (id) await ctx.newSession(id);
}

export const builtinCommands: SlashCommand[] = [
  { name: 'help', description: 'show commands and keys', anytime: true, run: (ctx) => ctx.notice(helpText(ctx.commands)) },
  { name: 'clear', description: 'start a new session (the old one can be resumed)', run: (ctx) => ctx.newSession() },
  {
    name: 'model',
    args: '[id]',
    description: 'show or change the model for the next request',
    anytime: true,
    run: (ctx, args) => (args ? ctx.setModel(args) : ctx.notice(`Model: ${ctx.session.model}${visionNote(ctx.session.config ?? ctx.host.config)}. Change it with /model <id>.`)),
  },
  {
    name: 'thinking',
    args: '[on|off]',
    description: 'turn the model\'s reasoning on or off',
    anytime: true,
    run: (ctx, args) => {
      const a = args.toLowerCase();
      if (a && a !== 'on' && a !== 'off') return ctx.notice('Use /thinking on or /thinking off.', 'warn');
      ctx.setThinking(a ? a === 'on' : !ctx.session.thinking);
    },
  },
  { name: 'permissions', description: 'list permission rules; remove ones added this session', anytime: true, run: permissions },
  { name: 'cost', description: 'tokens and cost of this session', anytime: true, run: (ctx) => ctx.notice(costText(ctx.session, ctx.host.config.modelInfo.contextWindow)) },
  { name: 'resume', description: 'continue an earlier session of this project', run: resume },
  { name: 'init', description: 'explore the project and write AGENTS.md', run: (ctx) => ctx.runPrompt(initPrompt, '/init') },
  { name: 'exit', description: 'quit', anytime: true, run: (ctx) => ctx.exit() },
];

export function customSlashCommand(c: CustomCommand): SlashCommand {
  const turn: TurnOptions = { ...(c.allowedTools && { allow: c.allowedTools, fromProject: c.source === 'project' }), ...(c.model && { model: c.model }) };
  return {
    name: c.name,
    args: c.argumentHint ?? '[args]',
    description: `${c.description || 'custom command'} (${c.source})`,
    run: (ctx, args) => ctx.runPrompt(expandCommand(c.body, args), `/${c.name}${args ? ` ${args}` : ''}`, turn),
  };
}

/** Built-ins first; a custom command cannot shadow a built-in. */
export function commandList(custom: readonly CustomCommand[], extra: readonly SlashCommand[] = []): SlashCommand[] {
  const list = [...builtinCommands, ...extra];
  const taken = new Set(list.map((c) => c.name));
  return [...list, ...custom.filter((c) => !taken.has(c.name)).map(customSlashCommand)];
}

/** `/name args` → the command and its arguments; undefined when `text` is not a known command. */
export function parseCommand(text: string, commands: readonly SlashCommand[]): { command: SlashCommand; args: string } | undefined {
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(text.trim());
  if (!m) return undefined;
  const command = commands.find((c) => c.name === m[1]!.toLowerCase());
  return command ? { command, args: m[2]!.trim() } : undefined;
}
