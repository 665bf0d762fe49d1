// Implements the REPL's host seam (src/ui/host.ts) over the real Session, adds the commands later issues
// bring (/compact, /memory, /undo and /rewind, /review, `# note`), and starts the REPL. Loaded only for interactive runs;
// the model client, session and tools load while the prompt is already on screen.
import path from 'node:path';
import { ConfigError, modelInfoFor, withModel } from './config.ts';
import { agentCommands } from './repl-agents.ts';
import type { Catalog } from './agents/catalog.ts';
import { commandFolders } from './agents/places.ts';
import { readEnvironment } from './prompt.ts';
import { loadPrices, priceFor, withPrices, type CostMeter } from './prices.ts';
import { MODELS } from './providers.ts';
import { visionRoutingFor, withVisionRouting } from './vision.ts';
import { listSessions, projectSessionsDir } from './transcript.ts';
import { describeLoosening, forgetProject, looseningGroups, sourceFiles, trustProject } from './trust.ts';
import type { SlashCommand } from './ui/commands.ts';
import type { ReplHost, ReplSession, TurnOptions } from './ui/host.ts';
import { parseRule, readDenial } from './permissions.ts';
import { runRepl, type TrustQuestion } from './ui/run-repl.tsx';
import type { Session } from './session.ts';
import { composeToolSets } from './tool-sets.ts';
import { replMcp } from './repl-mcp.ts';
import { rewindCommands } from './repl-rewind.ts';
import { reviewCommand } from './repl-review.ts';
import type { AgentEvent, Approver, Config, ModelClient, SessionEndReason, Usage } from './types.ts';

/**
 * Imports what a session may load later (tool code and zod, execa, the shell parser, the sandbox's proxy, /memory, /undo), once, 2 s after the first
 * turn ends: never while an answer streams or the user types. They are separate chunks of dist/: when glm is
 * upgraded or rebuilt while a REPL runs, the old chunks are deleted and a later import() would fail; imported
 * early, they stay in memory. About 60 ms of CPU, less when the first turn already ran tools.
 */
let preloadTimer: ReturnType<typeof setTimeout> | undefined;
function preloadWhenIdle(): void {
  preloadTimer ??= setTimeout(() => {
    void Promise.all([
      import('../tools/catalog.ts').then((m) => m.builtinToolSet.load()),
      import('../tools/bash-shells.ts').then((m) => m.loadExeca()),
      import('./gate.ts').then((m) => m.loadShellAnalysis()),
      import('./sandbox/sandbox.ts').then((m) => m.loadFilteringProxy()),
      import('./memory.ts'),
      import('./undo/undo.ts'),
      import('./undo/rewind.ts'),
      // Task, Skill and a new session's agents (/clear): chunks a later import() would not find after an upgrade.
      import('./agents/start.ts'),
      import('./agents/tool-source.ts').then((m) => m.loadTaskTools()),
      import('./agents/catalog.ts').then((m) => m.loadParsers()),
    ]).catch(() => undefined);
  }, 2000).unref();
}

/** Ctrl+V: the clipboard's image scaled like any other (src/clipboard-image.ts reads it with the platform's tool). */
async function clipboardImage(): Promise<{ image: import('./types.ts').ImageData } | { text: string } | { notice: string }> {
  const [{ readClipboardImage }, { prepareImage }] = await Promise.all([import('./clipboard-image.ts'), import('./image.ts')]);
  const got = await readClipboardImage();
  if ('bytes' in got) return { image: await prepareImage(got.bytes, 'clipboard.png') };
  return 'text' in got ? { text: got.text } : got;
}

/** A `!command` the user typed runs at most this long. */
const SHELL_TIMEOUT_MS = 10 * 60_000;

/** Makes the model client for a configuration; each request's usage is priced (see prices.ts). */
type ClientMaker = (config: Config) => ModelClient;

class ReplSessionAdapter implements ReplSession {
  private current: Config;

  constructor(
    readonly session: Session,
    config: Config,
    private readonly makeClient: ClientMaker,
    /** Requests of this session with and without a known cost. */
    private readonly meter: CostMeter,
    /** Agent and skill files skipped, and why. */
    private readonly warnings: readonly string[] = [],
  ) {
    this.current = config;
  }

  get id() {
    return this.session.id;
  }
  subscribe(listener: Parameters<Session['subscribe']>[0]) {
    return this.session.subscribe(listener);
  }
  async run(prompt: string, turn: TurnOptions = {}) {
    // A custom command's allowed-tools and model hold for its turn only.
    // A repository's own command file allows tools only in a project the user trusted (glm trust) as it is now: a
    // trust entry whose fingerprint no longer matches (the settings changed since) is no trust. Fail closed.
    const allow = turn.fromProject && !this.current.projectTrusted ? [] : (turn.allow ?? []);
    const added = allow.filter((r) => !this.session.rules.allow.includes(r));
    for (const rule of added) parseRule(rule, 'the command\'s allowed-tools'); // a bad rule: the controller shows why, nothing runs
    const model = turn.model && turn.model !== this.current.model ? this.current.model : undefined;
    const mode = turn.mode && turn.mode !== this.session.permissionMode ? this.session.permissionMode : undefined;
    try {
      this.session.rules.allow.push(...added);
      if (model) this.model = turn.model!;
      if (mode) this.session.permissionMode = turn.mode!;
      await this.session.run(prompt, turn.images);
    } finally {
      for (const rule of added) this.removeRule(rule);
      if (model) this.model = model;
      if (mode) this.session.permissionMode = mode;
      preloadWhenIdle();
    }
  }
  abort() {
    this.session.abort();
  }
  get permissionMode() {
    return this.session.permissionMode;
  }
  set permissionMode(mode) {
    this.session.permissionMode = mode;
  }
  /** Rules added with "always allow" in this session: those not in the configuration. */
  get sessionRules() {
    return this.session.rules.allow.filter((r) => !this.current.allowRules.includes(r));
  }
  removeRule(rule: string) {
    const allow = this.session.rules.allow;
    const i = allow.indexOf(rule);
    if (i >= 0) allow.splice(i, 1);
  }
  get config() {
    return this.current;
  }
  get model() {
    return this.current.model;
  }
  set model(model: string) {
    this.reconfigure({ model, modelInfo: modelInfoFor(model, this.current.contextWindowSetting) });
  }
  get thinking() {
    return this.current.thinking;
  }
  set thinking(thinking: boolean) {
    this.reconfigure({ thinking });
  }
  get contextTokens() {
    return this.session.contextTokens;
  }
  /** The session's totals; the cost is left out while any request's cost is unknown (a partial sum would mislead). */
  get usage(): Usage {
    const { cost, ...tokens } = this.session.usage;
    return cost === undefined || this.meter.unpriced > 0 ? tokens : { ...tokens, cost };
  }
  earlierEvents(): AgentEvent[] {
    return this.session.takeEarlierEvents();
  }
  get notices() {
    return [...this.session.notices, ...this.warnings];
  }
  get sandboxed() {
    return this.session.sandbox.active;
  }
  startSandbox() {
    void this.session.sandbox.state();
  }
  close(reason?: SessionEndReason) {
    return this.session.close(reason);
  }

  private reconfigure(change: Partial<Config>) {
    this.current = Object.freeze({ ...this.current, ...change });
    this.session.setClient(this.makeClient(this.current), change.modelInfo?.contextWindow);
  }
}

const sessionOf = (s: ReplSession): Session => (s as ReplSessionAdapter).session;

/** Commands of later issues, one entry each, acting through the real session behind the adapter. */
function hostCommands(config: Config): SlashCommand[] {
  return [
    {
      name: 'compact',
      args: '[focus]',
      description: 'summarise the conversation so far to free context',
      async run(ctx, focus) {
        const r = await sessionOf(ctx.session).compact(focus.trim() || undefined);
        if (!r.compacted) ctx.notice(`Nothing compacted: ${r.failure ?? 'the conversation is still short'}.`, 'warn');
      },
    },
    {
      name: 'memory',
      description: 'show which memory files (AGENTS.md …) are in the prompt',
      async run(ctx) {
        const { formatMemorySummary } = await import('./memory.ts');
        ctx.notice(formatMemorySummary(sessionOf(ctx.session).memory));
      },
    },
    {
      name: 'note',
      args: '<text>',
      description: 'remember a rule in the project\'s AGENTS.md (or type "# text")',
      async run(ctx, text) {
        const { appendNote } = await import('./memory.ts');
        if (!text.trim()) return ctx.notice('Type the note after /note (or start a line with "# ").', 'warn');
        const ok = await ctx.pick(`Add "${text.trim()}" to the project's memory file?`, [
          { label: 'Yes, add it', value: 'yes' },
          { label: 'No', value: 'no' },
        ]);
        if (ok !== 'yes') return;
        const file = await appendNote(config.projectRoot, text);
        await sessionOf(ctx.session).reloadMemory();
        ctx.notice(`Noted in ${path.relative(config.cwd, file) || file}.`);
      },
    },
    {
      name: 'hooks',
      description: 'list the lifecycle hooks and the files they come from',
      async run(ctx) {
        const { configuredHooks, hooksListing } = await import('./hooks/command.ts');
        ctx.notice(hooksListing(configuredHooks(process.env, config.cwd)).join('\n'));
      },
    },
    ...rewindCommands(config, (ctx) => sessionOf(ctx.session)),
  ];
}

/** `reloadConfig` loads the configuration again from the same flags (after the user trusts the project); it throws a ConfigError. */
export async function startRepl(config: Config, opts: { resume?: string; prompt?: string; reloadConfig: () => Config }): Promise<number> {
  const environment = readEnvironment(config.cwd);
  const prices = loadPrices(config);
  const core = Promise.all([import('./session.ts'), import('./model/client.ts'), import('../tools/catalog.ts')]);
  // MCP servers start with the first session (after the trust dialog, whose answer may add .mcp.json's) and connect
  // in the background: their tools join the requests once they are up. One set for the whole REPL.
  const mcp = replMcp();
  /** SessionStart hooks hear `clear` for every new session after the first (the REPL's /clear). */
  let opened = 0;
  // Vision routing's "image left out" line goes where MCP failures go: a notice in the REPL.
  let showNotice: (text: string) => void = () => {};
  let catalog: Catalog | undefined;
  /** The REPL's configuration now (host.config once the host exists: trusting the project changes it). */
  let configNow = (): Config => config;
  const agents = await agentCommands(() => configNow(), () => catalog);
  const host: ReplHost = {
    config,
    resumeId: opts.resume,
    initialPrompt: opts.prompt,
    knownModels: Object.keys(MODELS),
    // /review uses the model chosen with /model and a trusted project's settings: host.config at the time.
    commands: [...hostCommands(config), reviewCommand(() => host.config), mcp.command, ...agents.commands],
    commandFolders: commandFolders(config.projectRoot, config.configDir),
    watchNotices: (show) => {
      showNotice = show;
      mcp.watchNotices(show);
    },
    // An MCP server's prompts once it connects; a skill's SKILL.md added while the REPL runs (read as the menu opens).
    liveCommands: joinLive(() => mcp.liveCommands(), agents.skillCommands),
    refreshCommands: () => agents.refresh(),
    resources: mcp.resources,
    watchMcpServers: (update) => mcp.watchCounts(update),
    imageFromFile: async (file) => (await import('./image.ts')).imageFromFile(file),
    // An @path mention attaches nothing a Read deny rule hides (the rules of the configuration now).
    readDenied: (abs) => readDenial([...host.config.denyRules], host.config.projectRoot)?.(abs) ?? false,
    clipboardImage: () => clipboardImage(),
    async openSession({ approver, resumeId }: { approver: Approver; resumeId?: string }) {
      const [{ Session }, { createModelClientFromConfig }, { builtinToolSet }] = await core;
      // host.config: the model and thinking chosen with /model and /thinking carry over to a new session.
      const current = host.config;
      const meter: CostMeter = { priced: 0, unpriced: 0 };
      const makeClient: ClientMaker = (c) =>
        withVisionRouting(
          withPrices(createModelClientFromConfig(c), priceFor(prices, c.model), meter),
          visionRoutingFor(c, (v) => withPrices(createModelClientFromConfig(v), priceFor(prices, v.model), meter), (line) => showNotice(line)),
        );
      const servers = await mcp.serversFor(current);
      const tools = servers ? composeToolSets([builtinToolSet, servers.toolSet]) : builtinToolSet;
      const startSource = opened++ > 0 ? 'clear' : 'startup';
      // Read again per session: trusting the project in the dialog adds its agents and skills.
      const extensions = await import('./agents/start.ts').then((m) => m.loadAgentExtensions(current));
      catalog = extensions.catalog;
      const session = await Session.open({
        config: current,
        client: makeClient(current),
        clientFor: (model) => makeClient(withModel(current, model)),
        extensions: extensions.extensions,
        tools,
        approver,
        resume: resumeId,
        environment,
        startSource,
      });
      servers?.logTo(path.join(session.folder, 'mcp'));
      // Earlier turns of a resumed session that were not all priced: its cost stays unknown.
      if (session.usage.inputTokens > 0 && session.usage.cost === undefined) meter.unpriced++;
      return new ReplSessionAdapter(session, current, makeClient, meter, extensions.warnings);
    },
    async runShell(command, signal) {
      const [{ runForeground, plainOutput }, { commandEnv }] = await Promise.all([import('../tools/bash-shells.ts'), import('./command-env.ts')]);
      const r = await runForeground(command, { cwd: host.config.cwd, timeoutMs: SHELL_TIMEOUT_MS, signal, env: commandEnv(host.config) });
      const output = plainOutput(r.output).replace(/\n+$/, '');
      const lines = output ? output.split('\n').length : 0;
      const status = r.spawnError ? `could not start: ${r.spawnError}` : r.timedOut ? 'timed out' : r.interrupted ? 'interrupted' : `exit ${r.exitCode ?? r.signal ?? '?'}`;
      const failed = Boolean(r.spawnError || r.timedOut || r.interrupted || r.exitCode !== 0);
      return { output, status: `${status} · ${lines ? `${lines} line${lines === 1 ? '' : 's'}` : 'no output'}`, failed };
    },
    async listSessions() {
      return listSessions(projectSessionsDir(config.dataDir, config.projectRoot));
    },
  };
  configNow = () => host.config;
  try {
    return await runRepl(host, { trust: trustQuestion(host, opts.reloadConfig) });
  } finally {
    await mcp.close();
  }
}

/** Live command lists as one: the same array while none of them changed (what ReplHost.liveCommands promises). */
function joinLive(...lists: (() => readonly SlashCommand[])[]): () => readonly SlashCommand[] {
  let last: { parts: (readonly SlashCommand[])[]; all: readonly SlashCommand[] } | undefined;
  return () => {
    const parts = lists.map((list) => list());
    if (!last || parts.some((p, i) => p !== last!.parts[i])) last = { parts, all: parts.flat() };
    return last.all;
  };
}

/** The trust dialog's question for an untrusted project; its answer changes host.config before the session opens. */
function trustQuestion(host: ReplHost, reload: () => Config): TrustQuestion | undefined {
  const project = host.config.untrustedProject;
  if (!project) return undefined;
  const what = describeLoosening(project);
  return {
    project: { file: project.file, source: sourceFiles(project, host.config.cwd), groups: looseningGroups(project) },
    decide(trust) {
      if (!trust) return { text: `Not using the ${what} of this project's settings in this session.`, tone: 'dim' };
      const { configDir, projectRoot } = host.config;
      try {
        trustProject(configDir, projectRoot, project.fingerprint);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
        return { text: `Could not remember the trust (${code} writing ${configDir}): not using the project's ${what}.`, tone: 'warn' };
      }
      // Loaded again, now trusted: exactly what the next start gets (flags still choose the mode). Its provider or
      // URL may not work (no key may go there): then it is not trusted after all, and the session keeps yours.
      try {
        host.config = reload();
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        forgetProject(configDir, projectRoot);
        return { text: `Did not trust this project: with its settings, ${err.message}. Not using its ${what} in this session.`, tone: 'warn' };
      }
      const warnings = host.config.warnings ?? [];
      return { text: [`Trusted this project: using its ${what} (glm trust --forget undoes this).`, ...warnings].join('\n'), tone: warnings.length ? 'warn' : 'dim' };
    },
  };
}
