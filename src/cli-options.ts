// Flags shared by the root command and subcommands (model, provider, permissions), and turning them into
// the one frozen Config. A configuration error is one line on stderr and exit code 2, before any request.
import { Option, type Command } from 'commander';
import { ConfigError, loadConfig, type CliFlags } from './config.ts';
import { safeText } from './terminal-text.ts';
import type { Config } from './types.ts';

export interface CommonOptions {
  model?: string;
  provider?: string;
  baseUrl?: string;
  thinking?: string;
  permissionMode?: string;
  allowedTools?: string[];
  disallowedTools?: string[];
  addDir?: string[];
  maxTurns?: string;
  mcpConfig?: string[];
  strictMcpConfig?: boolean;
  sandbox?: string;
}

export const EXIT_USAGE = 2;

/** Prints `glm: <message>` and exits: for errors the user can fix. */
export function fail(message: string, code: number = EXIT_USAGE): never {
  process.stderr.write(`glm: ${safeText(message)}\n`);
  process.exit(code);
}

export function addModelOptions(cmd: Command): Command {
  return cmd
    .option('--model <id>', 'model id, e.g. glm-4.7')
    .addOption(new Option('--provider <name>', 'zai, zai-coding, bigmodel, bigmodel-coding, openrouter, vllm, sglang, ollama, llamacpp, openai-compatible'))
    .option('--base-url <url>', "override the provider's base URL")
    .option('--thinking <on|off>', "turn the model's reasoning on or off");
}

export function addPermissionOptions(cmd: Command): Command {
  return cmd
    .option('--permission-mode <mode>', 'default, acceptEdits, plan or bypassPermissions')
    .option('--allowedTools <rules...>', 'allow rules, e.g. "Bash(npm test:*)" Read')
    .option('--disallowedTools <rules...>', 'deny rules, e.g. "Bash(git push:*)"')
    .option('--add-dir <dir>', 'a folder outside the project to read like the project (repeat for more)', (dir: string, dirs?: string[]) => [...(dirs ?? []), dir])
    .option('--max-turns <n>', 'stop after this many model turns (default 100)')
    .option('--sandbox <mode>', 'run commands in an OS sandbox: auto (where supported, default), on (refuse without one) or off');
}

/** The Config these options give; throws a ConfigError (configFromOptions prints it and exits instead). */
export function loadConfigFromOptions(opts: CommonOptions, overrides: Partial<CliFlags> = {}, cwd?: string): Config {
  return loadConfig({
    provider: opts.provider,
    model: opts.model,
    baseUrl: opts.baseUrl,
    thinking: opts.thinking as CliFlags['thinking'],
    permissionMode: opts.permissionMode,
    allowedTools: opts.allowedTools,
    disallowedTools: opts.disallowedTools,
    addDir: opts.addDir,
    maxTurns: opts.maxTurns,
    mcpConfig: opts.mcpConfig,
    strictMcpConfig: opts.strictMcpConfig,
    sandbox: opts.sandbox,
    ...overrides,
  }, process.env, cwd);
}

export function configFromOptions(opts: CommonOptions, overrides: Partial<CliFlags> = {}): Config {
  try {
    return loadConfigFromOptions(opts, overrides);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
}
