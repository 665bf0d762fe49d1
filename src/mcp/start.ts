// Starts a run's MCP servers from its Config (the lazily imported entry: a run without servers never loads it),
// and words their failures for stderr. Imports command-env (what a stdio server inherits) and servers.ts.
import { serverEnv } from '../command-env.ts';
import type { Config } from '../types.ts';
import { McpServers, type McpServerState } from './servers.ts';
import { DEFAULT_MCP_STARTUP_TIMEOUT_MS } from './config.ts';

export { McpServers, type McpServerState } from './servers.ts';

export function startMcpServers(config: Config, vars: NodeJS.ProcessEnv = process.env): McpServers {
  return new McpServers(config.mcpServers ?? [], {
    cwd: config.cwd,
    serverEnv: serverEnv(config, vars),
    vars,
    timeoutMs: config.mcpStartupTimeoutMs ?? DEFAULT_MCP_STARTUP_TIMEOUT_MS,
  });
}

/** `MCP server "docs" failed: did not start within 10.0 s; going on without it` (without "glm: "). */
export function failureLine(s: McpServerState): string {
  return `MCP server "${s.name}" failed: ${s.error ?? 'unknown error'}; going on without its tools`;
}
