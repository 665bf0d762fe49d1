// `glm acp`: glm as an Agent Client Protocol agent over stdio, for editors (Zed, JetBrains, Neovim). Sessions
// are glm sessions (session/load resumes a transcript); prompts stream back as session/update; calls that need
// approval become session/request_permission; modes are glm's permission modes. The only importer of
// `@agentclientprotocol/sdk`. stdout carries the protocol alone: notices go to stderr.
import { Readable, Writable } from 'node:stream';
import * as acp from '@agentclientprotocol/sdk';
import { loadConfigFromOptions, type CommonOptions } from '../cli-options.ts';
import { PERMISSION_MODES, withModel } from '../config.ts';
import { receivedImages } from '../received-images.ts';
import type { Session } from '../session.ts';
import { safeText } from '../terminal-text.ts';
import { untrustedNotice } from '../trust.ts';
import type { Approver, Config, PermissionMode } from '../types.ts';
import { clientFileTools, type ClientFiles } from './client-files.ts';
import { replayUpdates, toolKind, updatesFor } from './updates.ts';

const MODES = [
  { id: 'default', name: 'Default', description: 'Ask before edits and commands' },
  { id: 'acceptEdits', name: 'Accept edits', description: 'Edit project files without asking; commands still ask' },
  { id: 'plan', name: 'Plan', description: 'Read-only: explore and plan, change nothing' },
  { id: 'bypassPermissions', name: 'Bypass permissions', description: 'Run everything without asking (deny rules still apply)' },
];

interface Open {
  session: Session;
  cwd: string;
  close(): Promise<void>;
}

const notice = (text: string) => process.stderr.write(`glm: ${safeText(text)}\n`);

/** ACP's MCP server list as .mcp.json text, read like --mcp-config (the same checks and variable expansion). */
function mcpConfigOf(servers: acp.McpServer[]): string[] {
  if (!servers.length) return [];
  const entries = servers.map((s) => {
    const pairs = (list: { name: string; value: string }[] = []) => Object.fromEntries(list.map((p) => [p.name, p.value]));
    if ('type' in s && (s.type === 'http' || s.type === 'sse')) return [s.name, { type: s.type, url: s.url, headers: pairs(s.headers) }];
    const stdio = s as acp.McpServerStdio;
    return [stdio.name, { command: stdio.command, args: stdio.args, env: pairs(stdio.env) }];
  });
  return [JSON.stringify({ mcpServers: Object.fromEntries(entries) })];
}

/** One connection's sessions, and what the editor said it can do. */
class GlmAgent {
  private readonly sessions = new Map<string, Open>();
  private files?: ClientFiles;
  connection?: acp.AgentConnection;

  constructor(private readonly opts: CommonOptions) {}

  private client = () => this.connection!.client;

  private send(sessionId: string, update: unknown): Promise<void> {
    return this.client().notify(acp.methods.client.session.update, { sessionId, update: update as acp.SessionUpdate }).catch(() => {});
  }

  initialize(params: acp.InitializeRequest): acp.InitializeResponse {
    const fs = params.clientCapabilities?.fs;
    this.files = fs?.readTextFile ? { client: this.client, read: true, write: Boolean(fs.writeTextFile) } : undefined;
    return {
      protocolVersion: acp.PROTOCOL_VERSION,
      agentCapabilities: { loadSession: true, promptCapabilities: { image: this.takesImages(), audio: false, embeddedContext: true }, mcpCapabilities: { http: true, sse: true } },
      agentInfo: { name: 'glm-code', title: 'GLM Code', version: GLM_VERSION },
      authMethods: [],
    };
  }

  async newSession(params: acp.NewSessionRequest): Promise<acp.NewSessionResponse> {
    const s = await this.open(undefined, params.cwd, params.mcpServers);
    return { sessionId: s.session.id, modes: modes(s.session) };
  }

  async loadSession(params: acp.LoadSessionRequest): Promise<acp.LoadSessionResponse> {
    const s = await this.open(params.sessionId, params.cwd, params.mcpServers, async (opened) => {
      for (const u of replayUpdates(opened.session.takeEarlierEvents(), opened.cwd)) await this.send(opened.session.id, u);
    });
    return { modes: modes(s.session) };
  }

  /** Images are offered when the model takes them or a vision model describes them for it (src/vision.ts). */
  private takesImages(): boolean {
    try {
      const config = loadConfigFromOptions(this.opts, {}, process.cwd());
      return config.modelInfo.vision || Boolean(config.visionModel);
    } catch {
      return false; // a settings problem is reported when a session opens
    }
  }

  async prompt(params: acp.PromptRequest): Promise<acp.PromptResponse> {
    const open = this.find(params.sessionId);
    // The same path as stream-json's image blocks: base64 only, scaled, refused with one line otherwise.
    const received = await receivedImages(params.prompt.filter((b) => b.type === 'image').map((b) => (b.data ? { data: b.data } : { url: b.uri ?? '(no data)' })));
    if ('refused' in received) throw acp.RequestError.invalidParams(undefined, received.refused);
    const done = await open.session.run(promptText(params.prompt), received.images.length ? received.images : undefined);
    return { stopReason: done.reason === 'aborted' ? 'cancelled' : done.reason === 'max_turns' ? 'max_turn_requests' : 'end_turn' };
  }

  setMode(params: acp.SetSessionModeRequest): acp.SetSessionModeResponse {
    const s = this.find(params.sessionId);
    if (!PERMISSION_MODES.includes(params.modeId as PermissionMode)) throw acp.RequestError.invalidParams(undefined, `unknown mode "${params.modeId}"`);
    s.session.permissionMode = params.modeId as PermissionMode;
    void this.send(s.session.id, { sessionUpdate: 'current_mode_update', currentModeId: params.modeId });
    return {};
  }

  cancel(params: acp.CancelNotification): void {
    this.sessions.get(params.sessionId)?.session.abort();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
  }

  private find(sessionId: string): Open {
    const s = this.sessions.get(sessionId);
    if (!s) throw acp.RequestError.resourceNotFound(sessionId);
    return s;
  }

  /** Opens (or resumes) a session for the editor's folder; `before` runs before its live updates start. */
  private async open(resume: string | undefined, cwd: string, mcpServers: acp.McpServer[], before?: (s: Open) => Promise<void>): Promise<Open> {
    const config = loadConfigFromOptions({ ...this.opts, mcpConfig: [...(this.opts.mcpConfig ?? []), ...mcpConfigOf(mcpServers)] }, {}, cwd);
    for (const w of config.warnings ?? []) notice(w);
    if (config.untrustedProject) notice(untrustedNotice(config.untrustedProject, config.cwd));
    const [{ Session }, { createModelClientFromConfig }, { builtinToolSet }, { loadPrices, priceFor, withPrices }, { composeToolSets }, { visionRoutingFor, withVisionRouting }, agents] = await Promise.all([
      import('../session.ts'),
      import('../model/client.ts'),
      import('../../tools/catalog.ts'),
      import('../prices.ts'),
      import('../tool-sets.ts'),
      import('../vision.ts'),
      // Task and Skill, as the REPL and headless runs offer them (custom agents and skills of a trusted project).
      import('../agents/start.ts').then((m) => m.loadAgentExtensions(config)),
    ]);
    for (const w of agents.warnings) notice(w);
    const mcp = config.mcpServers?.length ? (await import('../mcp/start.ts')).startMcpServers(config) : undefined;
    await mcp?.ready();
    const tools = composeToolSets([builtinToolSet, ...(mcp ? [mcp.toolSet] : [])]);
    // Priced like the REPL's; a text-only model gets descriptions of images from the vision model.
    const clientFor = (c: Config) =>
      withVisionRouting(withPrices(createModelClientFromConfig(c), priceFor(loadPrices(c), c.model)), visionRoutingFor(c, (v) => createModelClientFromConfig(v), notice));
    const ids = { session: '' };
    let session: Session;
    try {
      session = await Session.open({
        config,
        client: clientFor(config),
        // A subagent's own model (an agent file's `model`) gets its own client.
        clientFor: (model) => clientFor(withModel(config, model)),
        extensions: agents.extensions,
        tools: this.files ? clientFileTools(tools, this.files, () => ids.session) : tools,
        resume,
        approver: (request, signal) => this.approve(ids.session, request, signal),
      });
    } catch (err) {
      await mcp?.close();
      throw err;
    }
    ids.session = session.id;
    for (const n of session.notices) notice(n);
    const opened: Open = { session, cwd, close: async () => (await session.close(), await mcp?.close()) };
    this.sessions.set(session.id, opened);
    await before?.(opened);
    session.subscribe((e) => {
      if (e.type === 'sandbox' && e.notice) notice(e.notice); // the first command probed the sandbox
      updatesFor(e, cwd).forEach((u) => void this.send(session.id, u));
    });
    return opened;
  }

  /** session/request_permission: allow once, always allow glm's suggested rule, or reject. */
  private async approve(sessionId: string, request: Parameters<Approver>[0], signal: AbortSignal): ReturnType<Approver> {
    const options: acp.PermissionOption[] = [
      { optionId: 'allow_once', name: 'Allow once', kind: 'allow_once' },
      ...(request.rule ? [{ optionId: 'allow_always', name: `Always allow ${request.rule}`, kind: 'allow_always' as const }] : []),
      { optionId: 'reject_once', name: 'Reject', kind: 'reject_once' },
    ];
    const toolCall = { toolCallId: request.callId, title: request.title, kind: toolKind(request.toolName), status: 'pending' as const, rawInput: request.input };
    try {
      const params: acp.RequestPermissionRequest = { sessionId, toolCall, options };
      const answer = await this.client().request(acp.methods.client.session.requestPermission, params, { cancellationSignal: signal });
      if (answer.outcome.outcome !== 'selected') return { decision: 'deny', feedback: 'the user cancelled' };
      const chosen = answer.outcome.optionId;
      if (chosen === 'allow_once' || chosen === 'allow_always') return { decision: 'allow', always: chosen === 'allow_always' };
      return { decision: 'deny' };
    } catch {
      return { decision: 'deny', feedback: 'the editor did not answer the permission request' };
    }
  }
}

const modes = (s: Session) => ({ currentModeId: s.permissionMode, availableModes: MODES });

export async function runAcp(opts: CommonOptions): Promise<number> {
  const agent = new GlmAgent(opts);
  const app = acp
    .agent({ name: 'glm' })
    .onRequest(acp.methods.agent.initialize, ({ params }) => agent.initialize(params))
    .onRequest(acp.methods.agent.session.new, ({ params }) => agent.newSession(params))
    .onRequest(acp.methods.agent.session.load, ({ params }) => agent.loadSession(params))
    .onRequest(acp.methods.agent.session.prompt, ({ params }) => agent.prompt(params))
    .onRequest(acp.methods.agent.session.setMode, ({ params }) => agent.setMode(params))
    .onNotification(acp.methods.agent.session.cancel, ({ params }) => agent.cancel(params));
  const stream = acp.ndJsonStream(Writable.toWeb(process.stdout) as WritableStream<Uint8Array>, Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>);
  agent.connection = app.connect(stream);
  await agent.connection.closed;
  await agent.closeAll();
  return 0;
}

/** The prompt's text: text blocks, embedded resources (an editor's @-mentioned files) and links to resources. */
function promptText(blocks: acp.ContentBlock[]): string {
  const parts: string[] = [];
  for (const b of blocks) {
    if (b.type === 'text') parts.push(b.text);
    else if (b.type === 'resource' && 'text' in b.resource) parts.push(`<context file="${b.resource.uri}">\n${b.resource.text}\n</context>`);
    else if (b.type === 'resource_link') parts.push(`(${b.name}: ${b.uri})`);
  }
  return parts.join('\n\n');
}
