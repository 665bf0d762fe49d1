// `glm acp`: glm as an Agent Client Protocol agent over stdio, for editors (Zed, JetBrains, Neovim). Sessions
// are glm sessions (session/load resumes a transcript); prompts stream back as session/update; calls that need
// approval become session/request_permission; modes are glm's permission modes. The only importer of
// `@agentclientprotocol/sdk`. stdout carries the protocol alone: notices go to stderr.
import { Readable, Writable } from 'node:stream';
import * as acp from '@agentclientprotocol/sdk';
import { loadConfigFromOptions, type CommonOptions } from '../cli-options.ts';
import { PERMISSION_MODES } from '../config.ts';
import type { Session } from '../session.ts';
import { safeText } from '../terminal-text.ts';
import type { Approver, PermissionMode } from '../types.ts';
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

export async function runAcp(opts: CommonOptions): Promise<number> {
  const sessions = new Map<string, Open>();
  let files: ClientFiles | undefined;
  let connection: acp.AgentConnection | undefined;
  const client = () => connection!.client;
  const send = (sessionId: string, update: unknown) => void client().notify(acp.methods.client.session.update, { sessionId, update: update as acp.SessionUpdate }).catch(() => {});

  const approverFor = (sessionId: string, cwd: string): Approver => async (request, signal) => {
    const options: acp.PermissionOption[] = [
      { optionId: 'allow_once', name: 'Allow once', kind: 'allow_once' },
      ...(request.rule ? [{ optionId: 'allow_always', name: `Always allow ${request.rule}`, kind: 'allow_always' as const }] : []),
      { optionId: 'reject_once', name: 'Reject', kind: 'reject_once' },
    ];
    const toolCall = { toolCallId: request.callId, title: request.title, kind: toolKind(request.toolName), status: 'pending' as const, rawInput: request.input };
    try {
      const params: acp.RequestPermissionRequest = { sessionId, toolCall, options };
      const answer = await client().request(acp.methods.client.session.requestPermission, params, { cancellationSignal: signal });
      if (answer.outcome.outcome !== 'selected') return { decision: 'deny', feedback: 'the user cancelled' };
      const chosen = answer.outcome.optionId;
      if (chosen === 'allow_once' || chosen === 'allow_always') return { decision: 'allow', always: chosen === 'allow_always' };
      return { decision: 'deny' };
    } catch {
      return { decision: 'deny', feedback: `the editor did not answer the permission request for ${cwd}` };
    }
  };

  async function open(sessionId: string | undefined, cwd: string, mcpServers: acp.McpServer[]): Promise<Open> {
    const config = loadConfigFromOptions({ ...opts, mcpConfig: [...(opts.mcpConfig ?? []), ...mcpConfigOf(mcpServers)] }, {}, cwd);
    for (const w of config.warnings ?? []) notice(w);
    const [{ Session }, { createModelClientFromConfig }, { builtinToolSet }, { loadPrices, priceFor, withPrices }, { composeToolSets }] = await Promise.all([
      import('../session.ts'),
      import('../model/client.ts'),
      import('../../tools/catalog.ts'),
      import('../prices.ts'),
      import('../tool-sets.ts'),
    ]);
    const mcp = config.mcpServers?.length ? (await import('../mcp/start.ts')).startMcpServers(config) : undefined;
    await mcp?.ready();
    let approve: Approver = async () => ({ decision: 'deny' });
    const tools = composeToolSets([builtinToolSet, ...(mcp ? [mcp.toolSet] : [])]);
    let session: Session;
    try {
      session = await Session.open({
        config,
        client: withPrices(createModelClientFromConfig(config), priceFor(loadPrices(config), config.model)),
        tools: files ? clientFileTools(tools, files, () => session.id) : tools,
        resume: sessionId,
        approver: (r, s) => approve(r, s),
      });
    } catch (err) {
      await mcp?.close();
      throw err;
    }
    approve = approverFor(session.id, cwd);
    return { session, cwd, close: async () => (await session.close(), await mcp?.close()) };
  }

  const find = (sessionId: string): Open => {
    const s = sessions.get(sessionId);
    if (!s) throw acp.RequestError.resourceNotFound(sessionId);
    return s;
  };
  const modes = (s: Session) => ({ currentModeId: s.permissionMode, availableModes: MODES });
  const watch = (s: Open) => s.session.subscribe((e) => updatesFor(e, s.cwd).forEach((u) => send(s.session.id, u)));

  const app = acp
    .agent({ name: 'glm' })
    .onRequest(acp.methods.agent.initialize, ({ params }) => {
      files = params.clientCapabilities?.fs?.readTextFile ? { client, read: true, write: Boolean(params.clientCapabilities.fs.writeTextFile) } : undefined;
      return {
        protocolVersion: acp.PROTOCOL_VERSION,
        agentCapabilities: { loadSession: true, promptCapabilities: { image: false, audio: false, embeddedContext: true }, mcpCapabilities: { http: true, sse: true } },
        agentInfo: { name: 'glm-code', title: 'GLM Code', version: GLM_VERSION },
        authMethods: [],
      };
    })
    .onRequest(acp.methods.agent.session.new, async ({ params }) => {
      const s = await open(undefined, params.cwd, params.mcpServers);
      sessions.set(s.session.id, s);
      watch(s);
      return { sessionId: s.session.id, modes: modes(s.session) };
    })
    .onRequest(acp.methods.agent.session.load, async ({ params }) => {
      const s = await open(params.sessionId, params.cwd, params.mcpServers);
      sessions.set(s.session.id, s);
      for (const u of replayUpdates(s.session.takeEarlierEvents(), s.cwd)) await client().notify(acp.methods.client.session.update, { sessionId: s.session.id, update: u as acp.SessionUpdate });
      watch(s);
      return { modes: modes(s.session) };
    })
    .onRequest(acp.methods.agent.session.prompt, async ({ params }) => {
      const s = find(params.sessionId);
      const done = await s.session.run(promptText(params.prompt));
      const stopReason: acp.StopReason = done.reason === 'aborted' ? 'cancelled' : done.reason === 'max_turns' ? 'max_turn_requests' : 'end_turn';
      return { stopReason };
    })
    .onRequest(acp.methods.agent.session.setMode, ({ params }) => {
      const s = find(params.sessionId);
      if (!PERMISSION_MODES.includes(params.modeId as PermissionMode)) throw acp.RequestError.invalidParams(undefined, `unknown mode "${params.modeId}"`);
      s.session.permissionMode = params.modeId as PermissionMode;
      send(s.session.id, { sessionUpdate: 'current_mode_update', currentModeId: params.modeId });
      return {};
    })
    .onNotification(acp.methods.agent.session.cancel, ({ params }) => {
      sessions.get(params.sessionId)?.session.abort();
    });

  connection = app.connect(acp.ndJsonStream(Writable.toWeb(process.stdout) as WritableStream<Uint8Array>, Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>));
  await connection.closed;
  await Promise.all([...sessions.values()].map((s) => s.close()));
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
