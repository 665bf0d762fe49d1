// Starts a run's MCP servers from its Config (the lazily imported entry: a run without servers never loads it),
// and words their failures for stderr. Imports command-env (what a stdio server inherits) and servers.ts.
import { serverEnv } from '../command-env.ts';
import type { SandboxedConfig } from '../sandbox/sandbox.ts';
import type { Config, McpServerEntry } from '../types.ts';
import { McpServers, type McpServerState } from './servers.ts';
import type { EarlyServers } from './spawn.ts';
import { DEFAULT_MCP_STARTUP_TIMEOUT_MS } from './config.ts';
import { oauthFile } from './oauth.ts';
import { DEFAULT_MAX_TOOLS, type ToolSearchPolicy } from './tool-search.ts';

export { McpServers, type McpServerState } from './servers.ts';

/** mcp.toolSearch: "auto" (default) defers over 10% of the context window or 40 tools; a number is a token budget. */
export function toolSearchPolicy(config: Pick<Config, 'mcpToolSearch' | 'modelInfo'>): ToolSearchPolicy {
  const setting = config.mcpToolSearch ?? 'auto';
  if (typeof setting === 'number') return { mode: 'auto', budgetTokens: setting, maxTools: Number.MAX_SAFE_INTEGER };
  return { mode: setting, budgetTokens: Math.floor(config.modelInfo.contextWindow / 10), maxTools: DEFAULT_MAX_TOOLS };
}

/** `early`: processes spawn.ts started already (glm -p), taken by their servers' first connection. */
export function startMcpServers(config: Config, vars: NodeJS.ProcessEnv = process.env, early?: EarlyServers): McpServers {
  return new McpServers(config.mcpServers ?? [], {
    cwd: config.cwd,
    serverEnv: serverEnv(config, vars),
    vars,
    timeoutMs: config.mcpStartupTimeoutMs ?? DEFAULT_MCP_STARTUP_TIMEOUT_MS,
    toolSearch: toolSearchPolicy(config),
    oauthFile: oauthFile(config.configDir),
    sandbox: serverSandbox(config.mcpServers ?? [], config),
    early,
  });
}

/**
 * For servers with `"sandbox": true`: the command sandbox with the session's policy, required (a server that asks
 * for it never starts without it, whatever the sandbox setting says). Made only when some server asks.
 */
export function serverSandbox(entries: McpServerEntry[], config: SandboxedConfig) {
  if (!entries.some((s) => s.def.type === 'stdio' && s.def.sandbox)) return undefined;
  // Loaded only now: most runs have no sandboxed server, and glm -p's own copy of the sandbox is not this chunk's.
  let sandbox: Promise<import('../sandbox/sandbox.ts').CommandSandbox> | undefined;
  return async (argv: string[], cwd: string, env: NodeJS.ProcessEnv) => {
    sandbox ??= import('../sandbox/sandbox.ts').then((m) => m.sandboxFor(config, { config: { allowWrite: [], allowedDomains: [], hooks: false, ...config.sandbox, mode: 'on' } }));
    return (await sandbox).launch(argv, cwd, env);
  };
}

/** `MCP server "docs" failed: did not start within 10.0 s; going on without it` (without "glm: "). */
export function failureLine(s: McpServerState): string {
  return `MCP server "${s.name}" failed: ${s.error ?? 'unknown error'}; going on without its tools`;
}
