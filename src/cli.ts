// The command line: parses flags with commander, builds the one Config, and picks a front end (headless
// `-p`, the REPL, or a subcommand). The only place that wires concrete parts together.
import { Command, CommanderError, Option } from 'commander';
import { endQuietlyWhenOutputCloses } from './closed-output.ts';
import { addModelOptions, addPermissionOptions, configFromOptions, fail, loadConfigFromOptions, type CommonOptions } from './cli-options.ts';
import { EXIT, OUTPUT_FORMATS, readStdin, runHeadless, type OutputFormat } from './headless.ts';
import { spawnEarly } from './mcp/spawn.ts';
import { readEnvironment } from './prompt.ts';
import { oversizedPrompt } from './prompt-size.ts';
import { registerSubcommands } from './subcommands.ts';
import { safeText } from './terminal-text.ts';
import { promptImages, sessionOpener, type Core, type OpenOptions } from './headless-open.ts';
import { runStreamJson } from './stream-json/driver.ts';
import { schemaInstruction } from './stream-json/turn.ts';
import { addClaudeCodeOptions, claudeSettings, type ClaudeSettings } from './stream-json/flags.ts';
import { untrustedNotice } from './trust.ts';
import { unknownCommandError } from './unknown-command.ts';
import { quickExit } from './quick-exit.ts';
import type { Config, ImageData } from './types.ts';

interface RootOptions extends OpenOptions {
  print?: string | boolean;
  outputFormat: OutputFormat;
  /** --image files sent with a -p prompt. */
  image?: string[];
}

/**
 * Starts what a headless run needs: `git status` for the environment block, and the model client, session and
 * tools (openai, zod …), imported only now that flags and config are checked. They load while stdin is read.
 */
function startCore(config: Config, tools: string[] | undefined): Core {
  // Stdio MCP servers first, before the MCP client loads (SDK and zod: the longest load of a run), so it loads
  // while they start; git next: import() reads and links the modules before it returns.
  const early = spawnEarly(config);
  const environment = readEnvironment(config.cwd);
  const modules = Promise.all([import('./session.ts'), import('./model/client.ts'), import('../tools/catalog.ts'), import('./prices.ts')]);
  modules.catch(() => {}); // awaited when the session opens; not an unhandled rejection while stdin is read
  // MCP servers start now, in parallel, while stdin is read and the modules load; a run without any loads nothing.
  const mcp = config.mcpServers?.length ? import('./mcp/start.ts').then((m) => ({ servers: m.startMcpServers(config, process.env, early), failureLine: m.failureLine })) : undefined;
  mcp?.catch(() => {});
  // Custom agents and skills are read while stdin is read too, unless --tools leaves out Task and Skill. The
  // reader is inlined into dist/glm.cjs (scripts/build-main-script.mjs): the built-in agents offer Task on every run.
  const agents = offersAgentTools(tools) ? import('./agents/start.ts').then((m) => m.loadAgentExtensions(config)) : Promise.resolve(undefined);
  agents.catch(() => {});
  return { environment, modules, mcp, agents };
}

/** Whether Task or Skill can be offered: --tools (when given) names one of them. */
const offersAgentTools = (tools: string[] | undefined) => !tools || tools.includes('Task') || tools.includes('Skill');

/** Text and json output: one prompt, one answer (src/headless.ts). */
async function runPrompt(config: Config, prompt: string, opts: RootOptions, claude: ClaudeSettings, core: Core, images?: ImageData[]): Promise<number> {
  const { SessionError } = await core.modules.then(([m]) => m);
  const schema = claude.jsonSchema && schemaInstruction(claude.jsonSchema);
  const append = [opts.appendSystemPrompt, schema].filter(Boolean).join('\n\n') || undefined;
  let opened;
  try {
    opened = await sessionOpener(config, opts, claude, core)({ baseSystemPrompt: opts.systemPrompt, appendSystemPrompt: append });
  } catch (err) {
    if (err instanceof SessionError) return fail(err.message);
    throw err;
  }
  for (const line of claude.unsupported) process.stderr.write(`glm: ${safeText(line)}\n`);
  try {
    return await runHeadless(opened, prompt, opts.outputFormat, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }, { jsonSchema: claude.jsonSchema, images });
  } finally {
    await opened.close();
  }
}

/** stream-json output, with text input (one prompt) or stream-json input (a program's messages): src/stream-json/. */
async function runStream(config: Config, prompt: string | undefined, opts: RootOptions, claude: ClaudeSettings, core: Core, images?: ImageData[]): Promise<number> {
  return runStreamJson({
    input: prompt === undefined ? 'stream-json' : 'text',
    prompt,
    images,
    stdin: process.stdin,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    includePartial: Boolean(opts.includePartialMessages),
    promptStdio: opts.permissionPromptTool === 'stdio' && !claude.neverAsk,
    allowBypass: Boolean(opts.allowDangerouslySkipPermissions || opts.dangerouslySkipPermissions),
    unsupported: claude.unsupported,
    jsonSchema: claude.jsonSchema,
    systemPrompt: opts.systemPrompt,
    appendSystemPrompt: opts.appendSystemPrompt,
    apiKeySource: config.apiKey ? 'user' : 'none',
    model: config.model,
    open: sessionOpener(config, opts, claude, core),
  });
}

function claudeSettingsOf(opts: RootOptions): ClaudeSettings {
  try {
    return claudeSettings(opts);
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
}

async function runRoot(promptArg: string | undefined, opts: RootOptions, program: Command): Promise<number> {
  if (!OUTPUT_FORMATS.includes(opts.outputFormat)) fail(`unknown --output-format "${opts.outputFormat}"; use text, json or stream-json`);
  const claude = claudeSettingsOf(opts);
  const streamInput = opts.inputFormat === 'stream-json';
  // A person (or script) typing both meant one of them; the Agent SDK may pass both, and --resume wins there as before.
  if (opts.continue && opts.resume !== undefined && !streamInput) fail('--continue and --resume each pick a session: pass one of them');
  if (streamInput && opts.outputFormat !== 'stream-json') fail('--input-format stream-json needs --output-format stream-json');
  if (streamInput && opts.image?.length) fail('--image goes with a text prompt; with --input-format stream-json, send image blocks in the user messages');
  // `glm sesions`, `glm update`: a mistyped or imagined subcommand, not a prompt (one with -p always is).
  const typo = opts.print === undefined && !streamInput && promptArg !== undefined && unknownCommandError(promptArg, program.commands.map((c) => c.name()));
  if (typo) fail(typo);
  const headless = opts.print !== undefined || streamInput || !process.stdin.isTTY || !process.stdout.isTTY;
  const config = configFromOptions(opts, claude.flags);
  for (const warning of config.warnings ?? []) process.stderr.write(`glm: ${warning}\n`);
  if (!headless) {
    if (opts.image?.length) fail('--image goes with -p "…"; in the REPL, type or paste the image path into the prompt');
    const { startRepl } = await import('./repl-host.ts');
    return startRepl(config, { resume: opts.resume ?? (opts.continue ? 'latest' : undefined), prompt: promptArg, reloadConfig: () => loadConfigFromOptions(opts, claude.flags) });
  }
  const core = startCore(config, claude.tools);
  // Headless runs never ask: an untrusted project's loosening stays out, and stderr says so (stdout may be JSON).
  const untrusted = () => config.untrustedProject && process.stderr.write(`glm: ${safeText(untrustedNotice(config.untrustedProject, config.cwd))}\n`);
  if (streamInput) {
    untrusted();
    return runStream(config, undefined, opts, claude, core);
  }
  const argPrompt = typeof opts.print === 'string' ? opts.print : (promptArg ?? '');
  const piped = await readStdin(argPrompt.trim() !== '');
  const prompt = [argPrompt.trim(), piped.trim()].filter(Boolean).join('\n\n');
  if (!prompt) fail('no prompt: pass one with -p "…" or pipe it on stdin');
  const oversized = oversizedPrompt(prompt, config);
  if (oversized) fail(oversized);
  const images = await promptImages(opts.image, config.cwd);
  untrusted();
  if (opts.outputFormat === 'stream-json') return runStream(config, prompt, opts, claude, core, images);
  return runPrompt(config, prompt, opts, claude, core, images);
}

export function buildProgram(): Command {
  const program = new Command('glm')
    .description('An agentic coding assistant for GLM models')
    .argument('[prompt]', 'prompt to start with')
    .option('-p, --print [prompt]', 'run headless: answer the prompt (and stdin), print the result, exit')
    .addOption(new Option('--output-format <format>', 'headless output: text, json or stream-json').default('text'))
    .option('-c, --continue', "continue this project's latest session")
    .option('-r, --resume <id>', 'resume a session by id')
    .option('--mcp-config <file-or-json>', 'MCP servers from a file or JSON text with "mcpServers" (repeat for more)', (v: string, all?: string[]) => [...(all ?? []), v])
    .option('--strict-mcp-config', 'use only the MCP servers of --mcp-config')
    .option('--image <file>', 'send a PNG, JPEG, GIF or WebP image with the -p prompt (repeat for more)', (v: string, all?: string[]) => [...(all ?? []), v]);
  addClaudeCodeOptions(addPermissionOptions(addModelOptions(program)))
    .version(GLM_VERSION, '-v, --version')
    .showHelpAfterError(false)
    .configureOutput({ outputError: (message, write) => write(`glm: ${safeText(message.replace(/^error: /, ''))}`) })
    .exitOverride()
    .action(async (prompt: string | undefined, opts: RootOptions) => {
      process.exitCode = await runRoot(prompt, opts, program);
    });
  registerSubcommands(program);
  return program;
}

async function main() {
  endQuietlyWhenOutputCloses();
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end up here too, with exit code 0.
      process.exit(err.exitCode === 0 ? 0 : EXIT.usage);
    }
    fail(err instanceof Error ? err.message : String(err), EXIT.error);
  }
  // The work is done and the transcript is on disk: do not wait for idle keep-alive sockets or timers.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  // Nor for V8's background compiles of WebAssembly (fetch's HTTP parser, the Bash grammar): src/quick-exit.ts.
  quickExit(Number(process.exitCode ?? 0) || 0);
}

// No top-level await: this module is also bundled as the classic script dist/glm.cjs.
void main();
