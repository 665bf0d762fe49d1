// Starts a run's MCP servers from its Config (the lazily imported entry: a run without servers never loads it),
// and words their failures for stderr. Imports command-env (what a stdio server inherits) and servers.ts.
import { serverEnv } from '../command-env.ts';
import { CommandSandbox } from '../sandbox/sandbox.ts';
import type { Config, McpServerEntry } from '../types.ts';
import { McpServers, type McpServerState } from './servers.ts';
import { DEFAULT_MCP_STARTUP_TIMEOUT_MS } from './config.ts';

export { McpServers, type McpServerState } from './servers.ts';

export function startMcpServers(config: Config, vars: NodeJS.ProcessEnv = process.env): McpServers {
  return new McpServers(config.mcpServers ?? [], {
    cwd: config.cwd,
    serverEnv: serverEnv(config, vars),
    vars,
    timeoutMs: config.mcpStartupTimeoutMs ?? DEFAULT_MCP_STARTUP_TIMEOUT_MS,
    sandbox: serverSandbox(config.mcpServers ?? [], config),
  });
}

/**
 * For servers with `"sandbox": true`: the command sandbox with the session's policy, required (a server that asks
 * for it never starts without it, whatever the sandbox setting says). Made only when some server asks.
 */
export function serverSandbox(entries: McpServerEntry[], config: Pick<Config, 'sandbox' | 'projectRoot' | 'additionalDirectories' | 'denyRules' | 'configDir'>) {
  if (!entries.some((s) => s.def.type === 'stdio' && s.def.sandbox)) return undefined;
  const sandbox = new CommandSandbox({
    config: { allowWrite: [], allowedDomains: [], hooks: false, ...config.sandbox, mode: 'on' },
    projectRoot: config.projectRoot,
    additionalDirs: config.additionalDirectories,
    denyRules: () => config.denyRules,
    configDir: config.configDir,
  });
  return (argv: string[], cwd: string, env: NodeJS.ProcessEnv) => sandbox.launch(argv, cwd, env);
}

/** `MCP server "docs" failed: did not start within 10.0 s; going on without it` (without "glm: "). */
export function failureLine(s: McpServerState): string {
  return `MCP server "${s.name}" failed: ${s.error ?? 'unknown error'}; going on without its tools`;
}
