// The command line: parses flags with commander, builds the one Config, and picks a front end (headless
// `-p`, the REPL, or a subcommand). The only place that wires concrete parts together.
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { endQuietlyWhenOutputCloses } from './closed-output.ts';
import { addModelOptions, addPermissionOptions, configFromOptions, fail, loadConfigFromOptions, type CommonOptions } from './cli-options.ts';
import { EXIT, OUTPUT_FORMATS, readStdin, runHeadless, type OutputFormat } from './headless.ts';
import { readEnvironment } from './prompt.ts';
import { registerSubcommands } from './subcommands.ts';
import { safeText } from './terminal-text.ts';
import { composeToolSets } from './tool-sets.ts';
import { withModel } from './config.ts';
import { untrustedNotice } from './trust.ts';
import { unknownCommandError } from './unknown-command.ts';
import type { Config } from './types.ts';

interface RootOptions extends CommonOptions {
  print?: string | boolean;
  outputFormat: OutputFormat;
  continue?: boolean;
  resume?: string;
}

/**
 * Starts what a headless run needs: `git status` for the environment block, and the model client, session and
 * tools (openai, zod …), imported only now that flags and config are checked. They load while stdin is read.
 */
function startCore(config: Config) {
  // git first: import() reads and links the modules before it returns.
  const environment = readEnvironment(config.cwd);
  const modules = Promise.all([import('./session.ts'), import('./model/client.ts'), import('../tools/catalog.ts'), import('./prices.ts')]);
  modules.catch(() => {}); // awaited in runPrompt; not an unhandled rejection while stdin is read
  // MCP servers start now, in parallel, while stdin is read and the modules load; a run without any loads nothing.
  const mcp = config.mcpServers?.length ? import('./mcp/start.ts').then((m) => ({ servers: m.startMcpServers(config), failureLine: m.failureLine })) : undefined;
  mcp?.catch(() => {});
  // Custom agents and skills are read while stdin is read too.
  const agents = import('./agents/start.ts').then((m) => m.loadAgentExtensions(config));
  agents.catch(() => {});
  return { environment, modules, mcp, agents };
}

/** Waits for the MCP servers (each bounded by the startup timeout) and reports the ones that failed on stderr. */
async function mcpReady(core: ReturnType<typeof startCore>) {
  if (!core.mcp) return undefined;
  const { servers, failureLine } = await core.mcp;
  await servers.ready();
  for (const s of servers.statuses()) if (s.status === 'failed') process.stderr.write(`glm: ${safeText(failureLine(s))}\n`);
  return servers;
}

async function runPrompt(config: Config, prompt: string, opts: RootOptions, core: ReturnType<typeof startCore>): Promise<number> {
  const [{ Session, SessionError }, { createModelClientFromConfig }, { builtinToolSet }, { loadPrices, priceFor, withPrices }] = await core.modules;
  const mcp = await mcpReady(core);
  const agents = await core.agents;
  for (const warning of agents.warnings) process.stderr.write(`glm: ${safeText(warning)}\n`);
  // The `prices` setting prices what the server did not (usage.cost_usd in json output), as in the REPL.
  const prices = loadPrices(config);
  const clientFor = (c: Config) => withPrices(createModelClientFromConfig(c), priceFor(prices, c.model));
  let session;
  try {
    session = await Session.open({
      config,
      client: clientFor(config),
      clientFor: (model) => clientFor(withModel(config, model)),
      extensions: agents.extensions,
      tools: mcp ? composeToolSets([builtinToolSet, mcp.toolSet]) : builtinToolSet,
      resume: opts.resume ?? (opts.continue ? 'latest' : undefined),
      environment: core.environment,
    });
  } catch (err) {
    await mcp?.close();
    if (err instanceof SessionError) return fail(err.message);
    throw err;
  }
  mcp?.logTo(path.join(session.folder, 'mcp'));
  // bin/glm.js keeps the code cache of a -p run only if a prompt ran (not, say, after `-p --help`).
  (globalThis as Record<symbol, unknown>)[Symbol.for('glm-code.prompt-ran')] = true;
  try {
    return await runHeadless(
      session,
      prompt,
      opts.outputFormat,
      { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) },
      { mcpServers: mcp?.statuses().map((s) => ({ name: s.name, status: s.status })) },
    );
  } finally {
    // Every server ends with the run: stdin closed, then SIGTERM / SIGKILL for one that stays.
    await mcp?.close();
  }
}

async function runRoot(promptArg: string | undefined, opts: RootOptions, program: Command): Promise<number> {
  if (!OUTPUT_FORMATS.includes(opts.outputFormat)) fail(`unknown --output-format "${opts.outputFormat}"; use text, json or stream-json`);
  // `glm sesions`, `glm update`: a mistyped or imagined subcommand, not a prompt (one with -p always is).
  const typo = opts.print === undefined && promptArg !== undefined && unknownCommandError(promptArg, program.commands.map((c) => c.name()));
  if (typo) fail(typo);
  const headless = opts.print !== undefined || !process.stdin.isTTY || !process.stdout.isTTY;
  const config = configFromOptions(opts);
  for (const warning of config.warnings ?? []) process.stderr.write(`glm: ${warning}\n`);
  if (!headless) {
    const { startRepl } = await import('./repl-host.ts');
    return startRepl(config, { resume: opts.resume ?? (opts.continue ? 'latest' : undefined), prompt: promptArg, reloadConfig: () => loadConfigFromOptions(opts) });
  }
  const argPrompt = typeof opts.print === 'string' ? opts.print : (promptArg ?? '');
  const core = startCore(config);
  const piped = await readStdin(argPrompt.trim() !== '');
  const prompt = [argPrompt.trim(), piped.trim()].filter(Boolean).join('\n\n');
  if (!prompt) fail('no prompt: pass one with -p "…" or pipe it on stdin');
  // Headless runs never ask: an untrusted project's loosening stays out, and stderr says so (stdout may be JSON).
  if (config.untrustedProject) process.stderr.write(`glm: ${safeText(untrustedNotice(config.untrustedProject, config.cwd))}\n`);
  return runPrompt(config, prompt, opts, core);
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
    .option('--strict-mcp-config', 'use only the MCP servers of --mcp-config');
  addPermissionOptions(addModelOptions(program))
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
  process.exit();
}

// No top-level await: this module is also bundled as the classic script dist/glm.cjs.
void main();
