// Claude Code's command-line flags, accepted with Claude Code's meaning so scripts, SDKs and wrappers that drive
// `claude -p` drive glm unchanged. What glm can honour becomes config overrides and run options; what it cannot
// is accepted and named once (system/init's unsupported_options, or stderr), never an exit 2 that breaks a script.
import { Option, type Command } from 'commander';
import type { CliFlags } from '../config.ts';

export interface ClaudeOptions {
  verbose?: boolean;
  inputFormat?: string;
  includePartialMessages?: boolean;
  systemPrompt?: string;
  appendSystemPrompt?: string;
  dangerouslySkipPermissions?: boolean;
  allowDangerouslySkipPermissions?: boolean;
  sessionId?: string;
  forkSession?: boolean;
  /** false with --no-session-persistence. */
  sessionPersistence?: boolean;
  jsonSchema?: string;
  settings?: string;
  settingSources?: string;
  fallbackModel?: string;
  maxThinkingTokens?: string;
  effort?: string;
  tools?: string[];
  permissionPromptTool?: string;
  awaitInitialize?: boolean;
  maxBudgetUsd?: string;
  pluginDir?: string[];
  betas?: string[];
  agent?: string;
  agents?: string;
  thinkingDisplay?: string;
  includeHookEvents?: boolean;
  replayUserMessages?: boolean;
  debug?: string | boolean;
  debugToStderr?: boolean;
  debugFile?: string;
}

const repeat = (v: string, all?: string[]) => [...(all ?? []), v];

export function addClaudeCodeOptions(cmd: Command): Command {
  const hidden = (flags: string, description: string) => new Option(flags, description).hideHelp();
  return cmd
    .option('--verbose', 'accepted for Claude Code compatibility (stream-json output is always complete)')
    .addOption(new Option('--input-format <format>', 'headless input: text, or stream-json (one JSON message per line)').choices(['text', 'stream-json']))
    .option('--include-partial-messages', 'stream-json: also print streaming events (stream_event lines) as the answer arrives')
    .option('--system-prompt <text>', "replace glm's base instructions (memory files and the environment are still added)")
    .option('--append-system-prompt <text>', 'add text to the system prompt')
    .option('--dangerously-skip-permissions', 'run every tool without asking (bypassPermissions mode; deny rules still apply)')
    .option('--allow-dangerously-skip-permissions', 'let a program switch the session to bypassPermissions later')
    .option('--session-id <uuid>', 'the id of the new session (a UUID)')
    .option('--fork-session', 'with --resume or --continue: go on in a new session, leaving the original as it was')
    .option('--no-session-persistence', 'write no transcript (the session cannot be resumed)')
    .option('--json-schema <schema>', 'answer with JSON matching this JSON Schema (result.structured_output)')
    .option('--max-thinking-tokens <n>', '0 turns reasoning off, more turns it on (GLM has no budget)')
    .option('--effort <level>', 'reasoning effort: low, medium, high, xhigh or max (models that take reasoning_effort)')
    .option('--tools <tools...>', 'the built-in tools to offer: "default", "" for none, or names ("Bash,Edit,Read")')
    .option('--permission-prompt-tool <tool>', 'stdio: with --input-format stream-json, ask the program (can_use_tool requests)')
    .option('--await-initialize', 'stream-json: wait for the initialize request before the first turn')
    .addOption(hidden('--settings <file-or-json>', 'Claude Code settings (not read by glm; reported)'))
    .addOption(hidden('--setting-sources <sources>', 'Claude Code setting sources (reported)'))
    .addOption(hidden('--fallback-model <model>', 'Claude Code fallback model (reported)'))
    .addOption(hidden('--max-budget-usd <usd>', 'reported'))
    .addOption(hidden('--plugin-dir <dir>', 'reported').argParser(repeat))
    .addOption(hidden('--betas <betas...>', 'reported'))
    .addOption(hidden('--agent <name>', 'reported'))
    .addOption(hidden('--agents <json>', 'reported'))
    .addOption(hidden('--thinking-display <mode>', 'accepted'))
    .addOption(hidden('--include-hook-events', 'accepted'))
    .addOption(hidden('--replay-user-messages', 'accepted'))
    .addOption(hidden('--debug [filter]', 'accepted'))
    .addOption(hidden('--debug-to-stderr', 'accepted'))
    .addOption(hidden('--debug-file <file>', 'accepted'));
}

export interface ClaudeSettings {
  /** Config flags these options set (thinking, effort, mode). */
  flags: Partial<CliFlags>;
  /** One line per option accepted but not honoured. */
  unsupported: string[];
  /** dontAsk: never put a call to the program, even with --permission-prompt-tool stdio. */
  neverAsk: boolean;
  /** The built-in tools to keep, or undefined for all. */
  tools?: string[];
  jsonSchema?: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The settings these options give; a value that cannot mean anything throws an Error with one line for the user. */
export function claudeSettings(opts: ClaudeOptions & { thinking?: string; permissionMode?: string }): ClaudeSettings {
  const flags: Partial<CliFlags> = {};
  const unsupported: string[] = [];
  let neverAsk = false;
  if (opts.sessionId !== undefined && !UUID.test(opts.sessionId)) throw new Error(`--session-id must be a UUID, not "${opts.sessionId}"`);
  if (opts.permissionMode === 'dontAsk') [flags.permissionMode, neverAsk] = ['default', true];
  // Claude Code's auto mode approves what a classifier judges safe; glm's nearest is acceptEdits (commands still ask).
  if (opts.permissionMode === 'auto') flags.permissionMode = 'acceptEdits';
  if (opts.dangerouslySkipPermissions) flags.permissionMode = 'bypassPermissions';
  const thinking = thinkingSwitch(opts.thinking, opts.maxThinkingTokens);
  if (thinking) flags.thinking = thinking;
  if (opts.effort !== undefined) flags.reasoningEffort = opts.effort;
  const jsonSchema = opts.jsonSchema === undefined ? undefined : parseSchema(opts.jsonSchema);
  const report = (flag: string, why: string) => unsupported.push(`${flag}: ${why}`);
  if (opts.settings !== undefined) report('--settings', 'glm reads its own settings files (~/.config/glm-code/settings.json, .glm/settings.json); ignored');
  if (opts.settingSources !== undefined && opts.settingSources.split(',').filter(Boolean).length < 3) report('--setting-sources', 'glm always reads its user and project settings; ignored');
  if (opts.fallbackModel !== undefined) report('--fallback-model', 'glm retries the same model; ignored');
  if (opts.maxBudgetUsd !== undefined) report('--max-budget-usd', 'not enforced (GLM servers rarely report cost)');
  if (opts.pluginDir?.length) report('--plugin-dir', 'glm has no plugins; ignored');
  if (opts.betas?.length) report('--betas', 'Anthropic API betas do not apply to GLM; ignored');
  if (opts.agent !== undefined || opts.agents !== undefined) report('--agents', 'not supported yet; ignored');
  if (opts.permissionPromptTool !== undefined && opts.permissionPromptTool !== 'stdio') report('--permission-prompt-tool', 'only "stdio" is supported; calls that need approval are denied');
  if (opts.permissionPromptTool === 'stdio' && opts.inputFormat !== 'stream-json') report('--permission-prompt-tool', 'stdio needs --input-format stream-json; calls that need approval are denied');
  return { flags, unsupported, neverAsk, tools: toolList(opts.tools), ...(jsonSchema && { jsonSchema }) };
}

/** --thinking (on/off, or Claude Code's adaptive/enabled/disabled) and --max-thinking-tokens as glm's switch. */
function thinkingSwitch(thinking: string | undefined, maxTokens: string | undefined): 'on' | 'off' | undefined {
  if (maxTokens !== undefined) {
    const n = Number(maxTokens);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--max-thinking-tokens must be a whole number, not "${maxTokens}"`);
    return n === 0 ? 'off' : 'on';
  }
  if (thinking === undefined) return undefined;
  if (['adaptive', 'enabled', 'on', 'true'].includes(thinking)) return 'on';
  if (['disabled', 'off', 'false'].includes(thinking)) return 'off';
  throw new Error(`--thinking takes on, off, adaptive, enabled or disabled, not "${thinking}"`);
}

function parseSchema(text: string): Record<string, unknown> {
  try {
    const schema: unknown = JSON.parse(text);
    if (typeof schema === 'object' && schema !== null && !Array.isArray(schema)) return schema as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new Error('--json-schema must be a JSON Schema object, e.g. \'{"type":"object","properties":{…}}\'');
}

/** `--tools default` (or none given) keeps every tool; `--tools ""` none; otherwise the names, comma or space separated. */
function toolList(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const names = values.flatMap((v) => v.split(/[,\s]+/)).filter(Boolean);
  if (names.includes('default')) return undefined;
  return names;
}
