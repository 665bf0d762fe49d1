// Opens the session of a headless run (the command line's half of the wiring, split from cli.ts): the model
// client with prices, the tools (built-ins narrowed by --tools, MCP servers of the command line and of a program's
// initialize), and the Session with the Claude Code options (--session-id, --fork-session, system prompts);
// the client routes images through the vision model when the model takes none (vision.ts), and --image files load here.
import path from 'node:path';
import type { CommonOptions } from './cli-options.ts';
import { fail, loadConfigFromOptions } from './cli-options.ts';
import { modelInfoFor, withModel } from './config.ts';
import { safeText } from './terminal-text.ts';
import type { ClaudeOptions, ClaudeSettings } from './stream-json/flags.ts';
import type { OpenedSession, SessionSetup } from './stream-json/driver.ts';
import { composeToolSets, onlyTools } from './tool-sets.ts';
import type { ToolSet } from './tool.ts';
import { visionRoutingFor, withVisionRouting } from './vision.ts';
import type { Config, ImageData } from './types.ts';
import type { readEnvironment } from './prompt.ts';

/** What cli.ts started early, while flags were checked and stdin read. */
export interface Core {
  environment: ReturnType<typeof readEnvironment>;
  modules: Promise<[typeof import('./session.ts'), typeof import('./model/client.ts'), typeof import('../tools/catalog.ts'), typeof import('./prices.ts')]>;
  mcp?: Promise<{ servers: import('./mcp/start.ts').McpServers; failureLine: (s: import('./mcp/start.ts').McpServerState) => string }>;
  /** Custom agents and skills (src/agents/start.ts), read while stdin is read; none when --tools leaves out Task and Skill. */
  agents: Promise<import('./agents/start.ts').AgentExtensions | undefined>;
}

export interface OpenOptions extends CommonOptions, ClaudeOptions {
  continue?: boolean;
  resume?: string;
}

/** The --image files, scaled (src/image.ts, loaded only when there are some); a bad one is one line and exit 2. */
export async function promptImages(files: string[] | undefined, cwd: string): Promise<ImageData[] | undefined> {
  if (!files?.length) return undefined;
  const { imageFromFile, isSendableImage, ImageError } = await import('./image.ts');
  const images: ImageData[] = [];
  for (const file of files) {
    if (!isSendableImage(file)) fail(`--image ${file}: glm sends PNG, JPEG, GIF and WebP images`);
    try {
      images.push(await imageFromFile(path.resolve(cwd, file)));
    } catch (err) {
      if (err instanceof ImageError) fail(`--image ${file}: ${err.message}`);
      throw err;
    }
  }
  return images;
}

/** Waits for the MCP servers (each bounded by the startup timeout) and reports the ones that failed on stderr. */
async function mcpReady(mcp: Awaited<Core['mcp']>) {
  if (!mcp) return;
  const { servers, failureLine } = mcp;
  await servers.ready();
  const report = (s: import('./mcp/start.ts').McpServerState) => s.status === 'failed' && process.stderr.write(`glm: ${safeText(failureLine(s))}\n`);
  servers.statuses().forEach(report);
  servers.onChange(report); // one that closes during the run
}

/** The MCP servers a program sent in `initialize`, read like --mcp-config text (the same checks and expansion). */
function initializeServers(opts: OpenOptions, claude: ClaudeSettings, servers: Record<string, unknown>): Core['mcp'] {
  const config = loadConfigFromOptions(opts, { ...claude.flags, mcpConfig: [JSON.stringify({ mcpServers: servers })], strictMcpConfig: true });
  return import('./mcp/start.ts').then((m) => ({ servers: m.startMcpServers(config), failureLine: m.failureLine }));
}

export function sessionOpener(config: Config, opts: OpenOptions, claude: ClaudeSettings, core: Core) {
  return async (setup: SessionSetup): Promise<OpenedSession> => {
    const [{ Session }, { createModelClientFromConfig }, { builtinToolSet }, { loadPrices, priceFor, withPrices }] = await core.modules;
    // The servers are starting (their tools join the set as they connect): the session opens meanwhile, and the
    // first request waits for them below.
    const mcp = await Promise.all([core.mcp, setup.mcpServers && initializeServers(opts, claude, setup.mcpServers)]);
    const [cliMcp, initMcp] = mcp.map((m) => m?.servers);
    const closeMcp = () => Promise.all([cliMcp?.close(), initMcp?.close()]);
    const agents = await core.agents;
    for (const warning of agents?.warnings ?? []) process.stderr.write(`glm: ${safeText(warning)}\n`);
    // The `prices` setting prices what the server did not (usage.cost_usd), as in the REPL. A text-only model gets
    // descriptions of images from the vision model; the line when there is none goes to stderr (stdout may be JSON).
    const clientFor = (c: Config) =>
      withVisionRouting(
        withPrices(createModelClientFromConfig(c), priceFor(loadPrices(c), c.model)),
        visionRoutingFor(c, (v) => withPrices(createModelClientFromConfig(v), priceFor(loadPrices(v), v.model)), (line) => process.stderr.write(`glm: ${safeText(line)}\n`)),
      );
    const sources = [claude.tools ? onlyTools(builtinToolSet, claude.tools) : builtinToolSet, cliMcp?.toolSet, initMcp?.toolSet].filter((s): s is ToolSet => s !== undefined);
    let session;
    try {
      session = await Session.open({
        // The program's hook callbacks run after the settings files' hooks of the same event.
        config: setup.hookEntries?.length ? { ...config, hooks: [...(config.hooks ?? []), ...setup.hookEntries] } : config,
        client: clientFor(config),
        // A subagent's own model (an agent file's `model`) gets its own client, priced the same way.
        clientFor: (model) => clientFor(withModel(config, model)),
        // --tools names every tool offered: Task and Skill too.
        extensions: agents && claude.tools ? (host) => onlyTools(agents.extensions(host), claude.tools!) : agents?.extensions,
        tools: composeToolSets(sources),
        hookCallback: setup.hookCallback,
        resume: opts.resume ?? (opts.continue ? 'latest' : undefined),
        environment: core.environment,
        approver: setup.approver,
        ...(opts.sessionId && { id: opts.sessionId }),
        fork: opts.forkSession,
        transcript: opts.sessionPersistence !== false,
        baseSystemPrompt: setup.baseSystemPrompt,
        systemOverride: setup.appendSystemPrompt,
      });
      await Promise.all(mcp.map(mcpReady));
    } catch (err) {
      await (session?.close() ?? Promise.resolve()).catch(() => {});
      await closeMcp();
      throw err;
    }
    const opened = session;
    cliMcp?.logTo(path.join(opened.folder, 'mcp'));
    initMcp?.logTo(path.join(opened.folder, 'mcp'));
    // bin/glm.js keeps the code cache of a -p run only if a prompt ran (not, say, after `-p --help`).
    (globalThis as Record<symbol, unknown>)[Symbol.for('glm-code.prompt-ran')] = true;
    let current = config;
    return {
      session: opened,
      mcpServers: () => [...(cliMcp?.statuses() ?? []), ...(initMcp?.statuses() ?? [])],
      setModel: (model) => {
        const next = model ?? config.model;
        current = Object.freeze({ ...current, model: next, modelInfo: modelInfoFor(next, current.contextWindowSetting) });
        opened.setClient(clientFor(current), current.modelInfo.contextWindow);
        return next;
      },
      model: () => current.model,
      maxOutput: () => current.modelInfo.maxOutput,
      catalog: () => agents?.catalog ?? { agents: [], skills: [] },
      // Every server ends with the run: stdin closed, then SIGTERM / SIGKILL for one that stays.
      close: async () => {
        // Together: a server that does not exit when its stdin closes gets its grace while the session ends.
        await Promise.all([opened.close(), closeMcp()]);
      },
    };
  };
}
