// The command line: parses flags with commander, builds the one Config, and picks a front end (headless
// `-p`, the REPL, or a subcommand). The only place that wires concrete parts together.
import { Command, CommanderError, Option } from 'commander';
import { addModelOptions, addPermissionOptions, configFromOptions, fail, type CommonOptions } from './cli-options.ts';
import { EXIT, OUTPUT_FORMATS, readStdin, runHeadless, type OutputFormat } from './headless.ts';
import { createModelClientFromConfig } from './model/client.ts';
import { Session, SessionError } from './session.ts';
import { registerSubcommands } from './subcommands.ts';
import { builtinTools } from '../tools/index.ts';
import type { Approver, Config } from './types.ts';

interface RootOptions extends CommonOptions {
  print?: string | boolean;
  outputFormat: OutputFormat;
  continue?: boolean;
  resume?: string;
}

async function openSession(config: Config, opts: RootOptions, approver?: Approver) {
  try {
    return await Session.open({
      config,
      client: createModelClientFromConfig(config),
      tools: builtinTools,
      approver,
      resume: opts.resume ?? (opts.continue ? 'latest' : undefined),
    });
  } catch (err) {
    if (err instanceof SessionError) return fail(err.message);
    throw err;
  }
}

async function runRoot(promptArg: string | undefined, opts: RootOptions): Promise<number> {
  if (!OUTPUT_FORMATS.includes(opts.outputFormat)) fail(`unknown --output-format "${opts.outputFormat}"; use text, json or stream-json`);
  const headless = opts.print !== undefined || !process.stdin.isTTY || !process.stdout.isTTY;
  const config = configFromOptions(opts);
  if (!headless) {
    const { startRepl } = await import('./repl-host.ts');
    return startRepl(config, { resume: opts.resume ?? (opts.continue ? 'latest' : undefined), prompt: promptArg });
  }
  const argPrompt = typeof opts.print === 'string' ? opts.print : (promptArg ?? '');
  const piped = await readStdin(argPrompt.trim() !== '');
  const prompt = [argPrompt.trim(), piped.trim()].filter(Boolean).join('\n\n');
  if (!prompt) fail('no prompt: pass one with -p "…" or pipe it on stdin');
  const session = await openSession(config, opts);
  return runHeadless(session, prompt, opts.outputFormat, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}

export function buildProgram(): Command {
  const program = new Command('glm')
    .description('An agentic coding assistant for GLM models')
    .argument('[prompt]', 'prompt to start with')
    .option('-p, --print [prompt]', 'run headless: answer the prompt (and stdin), print the result, exit')
    .addOption(new Option('--output-format <format>', 'headless output: text, json or stream-json').default('text'))
    .option('-c, --continue', "continue this project's latest session")
    .option('-r, --resume <id>', 'resume a session by id');
  addPermissionOptions(addModelOptions(program))
    .version(GLM_VERSION, '-v, --version')
    .showHelpAfterError(false)
    .configureOutput({ outputError: (message, write) => write(`glm: ${message.replace(/^error: /, '')}`) })
    .exitOverride()
    .action(async (prompt: string | undefined, opts: RootOptions) => {
      process.exitCode = await runRoot(prompt, opts);
    });
  registerSubcommands(program);
  return program;
}

async function main() {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end up here too, with exit code 0.
      process.exit(err.exitCode === 0 ? 0 : EXIT.usage);
    }
    fail(err instanceof Error ? err.message : String(err), EXIT.error);
  }
}

await main();
