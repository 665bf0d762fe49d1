// Subcommands (`glm review`, `glm hook`, `glm commit`, `glm undo`, `glm doctor`, `glm sessions`, `glm trust`, `glm mcp`,
// `glm hooks`, `glm acp`): each
// registers its flags here and imports its implementation only when it runs, so `glm -p` never loads it.
import { Option, type Command } from 'commander';
import { addModelOptions } from './cli-options.ts';
import { safeText } from './terminal-text.ts';

/** What subcommands print: findings, session lists, rules, server errors. Control characters in them are shown escaped. */
const out = { stdout: (t: string) => void process.stdout.write(safeText(t)), stderr: (t: string) => void process.stderr.write(safeText(t)) };

/**
 * A subcommand's options with the ones the root command took from the command line: without positional options,
 * commander lets the root parse its own flags (--model, --output-format, …) even after the subcommand's name.
 */
function withRootFlags<T>(cmd: Command): T {
  const merged: Record<string, unknown> = { ...cmd.opts() };
  for (let parent = cmd.parent; parent; parent = parent.parent) {
    for (const [key, value] of Object.entries(parent.opts())) if (parent.getOptionValueSource(key) === 'cli') merged[key] = value;
  }
  return merged as T;
}

export function registerSubcommands(program: Command): void {
  registerReview(program);
  registerHook(program);
  registerCommit(program);
  registerUndo(program);
  registerSessions(program);
  registerDoctor(program);
  registerTrust(program);
  registerMcp(program);
  registerHooks(program);
  registerAcp(program);
}

function registerHooks(program: Command): void {
  const hooks = program.command('hooks').description('lifecycle hooks (PreToolUse, Stop …): list them, or test one event\'s hooks (the git pre-commit review: glm hook)');
  const run = async (body: (m: typeof import('./hooks/command.ts')) => Promise<number> | number) => {
    const [m, { ConfigError }] = await Promise.all([import('./hooks/command.ts'), import('./config.ts')]);
    try {
      process.exitCode = await body(m);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      out.stderr(`glm: ${err.message}\n`);
      process.exitCode = 2;
    }
  };
  hooks
    .command('list')
    .description('every configured hook with the file it comes from')
    .action(() => run((m) => m.runHooksList(out)));
  hooks
    .command('test')
    .description('run the hooks of one event on a sample payload; print what each returned and what glm would do')
    .argument('<event>', 'PreToolUse, PermissionRequest, PostToolUse, PostToolUseFailure, UserPromptSubmit, Stop, SubagentStop, SessionStart, SessionEnd, PreCompact or Notification')
    .option('--tool <name>', 'the tool of a tool event (default Bash)')
    .option('--input <json>', "the tool's input (tool events) or the payload's fields (others), as a JSON object")
    .action((event: string, opts: { tool?: string; input?: string }) => run((m) => m.runHooksTest(event, opts, out)));
  pointTo(hooks, ['install', 'uninstall', 'status'], (name) => `"glm hooks" lists and tests lifecycle hooks (list, test); did you mean "glm hook ${name}" (the git pre-commit review)?`);
}

/**
 * `glm hook` (the git pre-commit review) and `glm hooks` (lifecycle hooks) are one letter apart: the other one's
 * subcommands, hidden, say which command was meant in one line (exit 2) instead of "unknown command".
 */
function pointTo(parent: Command, names: string[], line: (name: string) => string): void {
  for (const name of names) {
    parent
      .command(name, { hidden: true })
      .argument('[args...]')
      .allowUnknownOption()
      .helpOption(false)
      .action(() => {
        out.stderr(`glm: ${line(name)}\n`);
        process.exitCode = 2;
      });
  }
}

function registerAcp(program: Command): void {
  const cmd = program
    .command('acp')
    .description('run as an Agent Client Protocol agent on stdin/stdout, for editors (Zed, JetBrains, Neovim)')
    .option('--permission-mode <mode>', 'the mode new sessions start in: default, acceptEdits, plan or bypassPermissions')
    .option('--allowedTools <rules...>', 'allow rules, e.g. "Bash(npm test:*)" Read')
    .option('--disallowedTools <rules...>', 'deny rules, e.g. "Bash(git push:*)"')
    .option('--mcp-config <file-or-json>', 'MCP servers from a file or JSON text with "mcpServers" (repeat for more)', (v: string, all?: string[]) => [...(all ?? []), v]);
  addModelOptions(cmd).action(async (_opts: unknown, self: Command) => {
    const { runAcp } = await import('./acp/agent.ts');
    process.exitCode = await runAcp(withRootFlags(self));
  });
}

function registerReview(program: Command): void {
  const cmd = program
    .command('review')
    .description('review changes before they are committed (default: the staged change); exit 1 on blocking findings')
    .argument('[paths...]', 'review the working-tree changes of these paths instead')
    .option('--staged', 'review the staged change (the default)')
    .option('--range <A..B>', 'review the changes of a commit range')
    .addOption(new Option('--fail-on <level>', 'block on findings at this severity or above: error, warning or info').default('error'))
    .option('--strict', 'exit 4 (instead of 0 with a warning) when the review cannot be done')
    .option('--fix', 'let the model fix blocking findings in staged files, re-stage them and review again')
    .addOption(new Option('--timeout <seconds>', 'time limit for the whole review').default('90'))
    .addOption(new Option('--output-format <format>', 'text (findings on stderr) or json (on stdout)').default('text'))
    .option('--no-cache', 'review again even when this exact change was reviewed before');
  addModelOptions(cmd).action(async (paths: string[], _opts: unknown, self: Command) => {
    const { runReview } = await import('./review/review-command.ts');
    process.exitCode = await runReview(paths, withRootFlags(self), out);
  });
}

function registerHook(program: Command): void {
  const hook = program.command('hook').description('install, remove or inspect the git hooks that run glm review (lifecycle hooks: glm hooks)');
  hook
    .command('install')
    .description('add a pre-commit hook that runs glm review --staged (keeps an existing hook, which runs first)')
    .option('--fix', 'the hook fixes blocking findings and re-stages')
    .option('--strict', 'block the commit when the review cannot be done')
    .addOption(new Option('--fail-on <level>', 'block on findings at this severity or above').default('error'))
    .option('--commit-msg', 'also add a prepare-commit-msg hook that writes empty commit messages')
    .option('--force', 'replace a hook glm did not write')
    .action(async (opts) => {
      const { installHooks } = await import('./review/hook.ts');
      process.exitCode = await installHooks(opts, out);
    });
  hook
    .command('uninstall')
    .description('remove the glm hooks and restore the hooks they replaced')
    .action(async () => {
      const { uninstallHooks } = await import('./review/hook.ts');
      process.exitCode = await uninstallHooks(out);
    });
  hook
    .command('status')
    .description('show which glm hooks are installed and where')
    .action(async () => {
      const { hookStatus } = await import('./review/hook.ts');
      process.exitCode = await hookStatus(out);
    });
  pointTo(hook, ['list', 'test'], (name) => `"glm hook" installs the git pre-commit review (install, uninstall, status); did you mean "glm hooks ${name}" (lifecycle hooks)?`);
}

function registerCommit(program: Command): void {
  const cmd = program
    .command('commit')
    .description('write a Conventional Commits message for the staged change and commit it (your hooks run)')
    .option('-a, --all', 'include changes to tracked files, like git commit -a')
    .option('--dry-run', 'print the message only; commit nothing')
    .option('--edit', 'open the message in your editor before committing')
    .addOption(new Option('--timeout <seconds>', 'time limit for writing the message').default('60'));
  addModelOptions(cmd).action(async (_opts: unknown, self: Command) => {
    const { runCommit } = await import('./review/commit.ts');
    process.exitCode = await runCommit(withRootFlags(self), out);
  });
}

function registerUndo(program: Command): void {
  program
    .command('undo')
    .description("restore the files this project's latest session changed since a turn (default: its last change)")
    .argument('[turn]', 'go back to before this turn (see --list)')
    .option('--list', 'list the turns that can be undone')
    .option('--session <id>', 'a session other than the latest')
    .option('--force', 'also overwrite files changed outside the session since')
    .option('--conversation', 'also rewind the conversation to before that turn (what --continue sends)')
    .action(async (turn: string | undefined, opts) => {
      const { runUndo } = await import('./undo/command.ts');
      process.exitCode = runUndo(turn, opts, out);
    });
}

function registerSessions(program: Command): void {
  const sessions = program
    .command('sessions')
    .description("list this project's sessions (id, date, turns, tokens, first prompt), newest first")
    .option('--json', 'print them as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { runSessionsList } = await import('./sessions-command.ts');
      process.exitCode = runSessionsList(opts, out);
    });
  sessions
    .command('export')
    .description('write a session as Markdown (to stdout, or to a file with -o)')
    .argument('<id>', 'a session id (or a unique start of one, or "latest")')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (id: string, opts: { output?: string }) => {
      const { runSessionsExport } = await import('./sessions-command.ts');
      process.exitCode = runSessionsExport(id, opts, out);
    });
}

function registerDoctor(program: Command): void {
  const cmd = program
    .command('doctor')
    .description('check the configured endpoint: key, model, streaming, reasoning, tool calls, thinking switch; exit 1 on problems')
    .addOption(new Option('--output-format <format>', 'text or json').default('text'))
    .addOption(new Option('--timeout <seconds>', 'time limit for the probes').default('9'));
  addModelOptions(cmd).action(async (_opts: unknown, self: Command) => {
    const { runDoctor } = await import('./doctor/command.ts');
    process.exitCode = await runDoctor(withRootFlags(self), out);
  });
}

function registerTrust(program: Command): void {
  program
    .command('trust')
    .description("let this project's .glm/settings.json and .glm/settings.local.json loosen what glm does (allow rules, acceptEdits, provider, baseUrl, additionalDirectories, the costly settings), its .mcp.json start servers, its hooks run (.glm and .claude settings) and its agents and skills load, until the files change them")
    .option('--forget', 'stop trusting this project')
    .action(async (opts: { forget?: boolean }) => {
      const [{ runForget, runTrust }, { ConfigError, configDirFromEnv, findProjectRoot, projectTrust }] = await Promise.all([import('./trust.ts'), import('./config.ts')]);
      // Forgetting reads no settings: one glm cannot read must not keep the project trusted.
      if (opts.forget) return void (process.exitCode = runForget(configDirFromEnv(), findProjectRoot(process.cwd()), out));
      try {
        process.exitCode = runTrust(opts, projectTrust(), out);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        out.stderr(`glm: ${err.message}\n`);
        process.exitCode = 2;
      }
    });
}

const collect = (value: string, all?: string[]) => [...(all ?? []), value];

function registerMcp(program: Command): void {
  const mcp = program.command('mcp').description('configure MCP servers: add, add-json, list, get, remove, login, logout');
  const scope = () => new Option('-s, --scope <scope>', 'local (you, this project), project (.mcp.json, shared) or user (you, every project)');
  mcp
    .command('add')
    .description("add a server: glm mcp add <name> -- <command> [args…], or glm mcp add --transport http <name> <url>; glm mcp add zai adds Z.ai's Coding Plan servers")
    .argument('<name>', 'the server name (tools become mcp__<name>__<tool>), or zai alone for Z.ai\'s four servers')
    .argument('[command-or-url]', 'the command to start (stdio) or the URL (http, sse)')
    .argument('[args...]', 'arguments of the command (after --)')
    .addOption(new Option('-t, --transport <transport>', 'stdio, http or sse'))
    .addOption(scope().default('local'))
    .option('-e, --env <KEY=VALUE>', 'an environment variable of a stdio server (repeat for more)', collect)
    .option('-H, --header <"Name: value">', 'a header for an http or sse server (repeat for more)', collect)
    .option('--platform <zai|bigmodel>', 'glm mcp add zai: api.z.ai or open.bigmodel.cn (default: the one of your provider)')
    .option('--force', 'replace servers of the same names in the scope')
    // `glm mcp add x npx -y pkg`: the server's own -y reads as glm's option; say where it goes.
    .configureOutput({
      outputError: (message, write) => {
        const text = safeText(message.replace(/^error: /, '').trimEnd());
        const hint = /^unknown option/.test(text) ? ": the server's own options go after --, as in glm mcp add <name> -- npx -y <package>" : '';
        write(`glm: ${text}${hint}\n`);
      },
    })
    .action(async (name: string, target: string | undefined, args: string[], opts, cmd: Command) => {
      const { runMcpAdd, runMcpAddZai } = await import('./mcp/command.ts');
      if (target === undefined && name === 'zai' && !opts.transport && !opts.env && !opts.header) {
        process.exitCode = await runMcpAddZai({ ...opts, provider: cmd.optsWithGlobals().provider }, out);
      } else if (target === undefined || opts.platform !== undefined) {
        out.stderr(target === undefined ? `glm: glm mcp add ${name} needs the command (after --) or the URL of the server\n` : 'glm: --platform is for glm mcp add zai only\n');
        process.exitCode = 2;
      } else {
        process.exitCode = await runMcpAdd(name, target, args, opts, out);
      }
    });
  mcp
    .command('add-json')
    .description("add a server from its JSON: glm mcp add-json <name> '{\"command\": \"npx\", \"args\": [\"-y\", \"server\"]}'")
    .argument('<name>', 'the server name')
    .argument('<json>', 'the server definition')
    .addOption(scope().default('local'))
    .action(async (name: string, json: string, opts: { scope?: string }) => {
      const { runMcpAddJson } = await import('./mcp/command.ts');
      process.exitCode = await runMcpAddJson(name, json, opts, out);
    });
  mcp
    .command('list')
    .description('list the configured servers, each with its status and tool count (connects to them)')
    .action(async () => {
      const { runMcpList } = await import('./mcp/command.ts');
      process.exitCode = await runMcpList(out);
    });
  mcp
    .command('get')
    .description("show one server's configuration and status")
    .argument('<name>', 'the server name')
    .action(async (name: string) => {
      const { runMcpGet } = await import('./mcp/command.ts');
      process.exitCode = await runMcpGet(name, out);
    });
  mcp
    .command('remove')
    .description('remove a server (from the one scope that has it, or the --scope given)')
    .argument('<name>', 'the server name')
    .addOption(scope())
    .action(async (name: string, opts: { scope?: string }) => {
      const { runMcpRemove } = await import('./mcp/command.ts');
      process.exitCode = await runMcpRemove(name, opts, out);
    });
  for (const action of ['login', 'logout'] as const) {
    mcp
      .command(action)
      .description(action === 'login' ? 'log in to an http or sse server that uses OAuth (opens the browser; tokens kept in your config folder)' : "forget an OAuth server's tokens")
      .argument('<name>', 'the server name')
      .action(async (name: string) => {
        const { runMcpLogin } = await import('./mcp/command.ts');
        process.exitCode = await runMcpLogin(name, action, out);
      });
  }
}
