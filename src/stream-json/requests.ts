// The answers to a program's control requests: initialize (system prompt, hooks, MCP servers, JSON schema; what
// was applied), interrupt, set_permission_mode, set_model, mcp_status. Each returns the response body or throws
// an Error whose message the program gets in the error response.
import { PERMISSION_MODES } from '../config.ts';
import type { PermissionMode } from '../types.ts';
import type { ControlChannel } from './control.ts';
import { isObject } from './control.ts';
import type { OpenedSession, SessionSetup } from './driver.ts';
import { SdkHooks } from './hooks.ts';

/** What the driver exposes to these answers. */
export interface ControlHost {
  readonly channel: ControlChannel;
  hooks?: SdkHooks;
  setup: Omit<SessionSetup, 'approver' | 'hookEntries' | 'hookCallback'>;
  jsonSchema?: Record<string, unknown>;
  pendingMode?: PermissionMode;
  opened?: OpenedSession;
  readonly o: { allowBypass: boolean; model: string };
  ensureSession(): Promise<OpenedSession | undefined>;
}

export async function answerControl(host: ControlHost, request: Record<string, unknown>): Promise<Record<string, unknown>> {
  switch (request.subtype) {
    case 'initialize':
      return initialize(host, request);
    case 'interrupt':
      host.opened?.session.abort();
      return { still_queued: [] };
    case 'set_permission_mode':
      return setMode(host, request.mode);
    case 'set_model': {
      const opened = await host.ensureSession();
      if (!opened) throw new Error('the session could not be opened');
      const model = opened.setModel(typeof request.model === 'string' && request.model !== 'default' ? request.model : undefined);
      return { model };
    }
    case 'mcp_status':
      return { mcpServers: (host.opened?.mcpServers() ?? []).map((s) => ({ name: s.name, status: s.status === 'pending' ? 'pending' : s.status, ...(s.error && { error: s.error }) })) };
    case 'set_max_thinking_tokens':
      throw new Error('glm sets thinking when it starts (--thinking, --max-thinking-tokens); it cannot change it mid-session yet');
    default:
      throw new Error(`glm does not support the "${String(request.subtype)}" control request`);
  }
}

async function initialize(host: ControlHost, r: Record<string, unknown>): Promise<Record<string, unknown>> {
  const before = host.opened === undefined;
  if (before) {
    const base = Array.isArray(r.systemPrompt) ? r.systemPrompt.filter((p) => typeof p === 'string').join('\n\n') : typeof r.systemPrompt === 'string' ? r.systemPrompt : '';
    // An empty system prompt (the SDK's default) keeps glm's own; a real one replaces its base instructions.
    if (base.trim()) host.setup.baseSystemPrompt = base;
    if (typeof r.appendSystemPrompt === 'string' && r.appendSystemPrompt.trim()) {
      host.setup.appendSystemPrompt = [host.setup.appendSystemPrompt, r.appendSystemPrompt].filter(Boolean).join('\n\n');
    }
    if (isObject(r.jsonSchema)) host.jsonSchema = r.jsonSchema;
    if (isObject(r.mcpServers) && Object.keys(r.mcpServers).length) host.setup.mcpServers = r.mcpServers;
    if (isObject(r.hooks)) host.hooks = new SdkHooks(r.hooks, host.channel);
  }
  const opened = await host.ensureSession();
  const model = opened?.model() ?? host.o.model;
  return {
    commands: [],
    agents: opened ? offered(opened, opened.session.tools.names).agents.map((a) => ({ name: a.name, description: a.description, ...(a.model && { model: a.model }) })) : [],
    output_style: 'default',
    available_output_styles: ['default'],
    models: [{ value: model, displayName: model, description: 'the model glm is configured with' }],
    account: {},
    pid: process.pid,
    claude_code_version: GLM_VERSION,
    hook_on_failure_supported: true,
    ...(isObject(r.hooks) && { hooks_applied: before }),
    ...(isObject(r.mcpServers) && { mcp_servers_applied: before && opened !== undefined }),
  };
}

function setMode(host: ControlHost, mode: unknown): Record<string, unknown> {
  const wanted = mode === 'dontAsk' ? 'default' : mode === 'auto' ? 'acceptEdits' : mode;
  if (!PERMISSION_MODES.includes(wanted as PermissionMode)) throw new Error(`unknown permission mode "${String(mode)}"; use ${PERMISSION_MODES.join(', ')}`);
  if (wanted === 'bypassPermissions' && !host.o.allowBypass) {
    throw new Error('bypassPermissions needs --allow-dangerously-skip-permissions (or --dangerously-skip-permissions) when glm starts');
  }
  if (host.opened) host.opened.session.permissionMode = wanted as PermissionMode;
  else host.pendingMode = wanted as PermissionMode;
  return { mode: wanted };
}

/** The catalog's agents and skills the session offers: none when --tools leaves out Task (Agent) or Skill. */
export function offered(opened: OpenedSession, tools: string[]): ReturnType<OpenedSession['catalog']> {
  const { agents, skills } = opened.catalog();
  return { agents: tools.includes('Task') || tools.includes('Agent') ? agents : [], skills: tools.includes('Skill') ? skills : [] };
}
