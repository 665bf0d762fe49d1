// Where a run's MCP servers come from, for loadConfig: the project's .mcp.json, the user's settings (global and
// for this project: the "local" scope), --mcp-config and --strict-mcp-config, and the startup timeout. Errors
// become ConfigErrors (one line, exit 2). Imports config-layers, mcp/config and types; never the MCP SDK.
import path from 'node:path';
import { ConfigError, type CliFlags, type Layer } from '../config-layers.ts';
import { McpConfigError, DEFAULT_MCP_STARTUP_TIMEOUT_MS, mergeServers, parseServers, projectMcpFile, readFlagServers, readServersFile, trustValue } from './config.ts';
import type { McpScope, McpServerDef, McpServerEntry } from '../types.ts';

/** Runs `read`, turning a definition error into a ConfigError. */
function checked<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof McpConfigError) throw new ConfigError(e.message);
    throw e;
  }
}

/** The project's .mcp.json servers, checked (trusted or not: a bad file is an error either way). */
export function projectServers(projectRoot: string): Record<string, McpServerDef> | undefined {
  return checked(() => readServersFile(projectMcpFile(projectRoot)));
}

/** The local scope: `projects["<project root>"].mcpServers` in the user's settings file. */
export function localServers(user: Layer | undefined, projectRoot: string): Record<string, McpServerDef> | undefined {
  const entry = user?.values.projects?.[path.resolve(projectRoot)];
  if (entry === undefined) return undefined;
  const where = `"projects" → "${projectRoot}" → "mcpServers" in the user settings`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new ConfigError(`${where} must be in an object`);
  return checked(() => parseServers((entry as Record<string, unknown>).mcpServers, where));
}

interface Sources {
  flags: CliFlags;
  cwd: string;
  projectRoot: string;
  user: Layer | undefined;
  /** The project's servers when the project is trusted; undefined otherwise. */
  project: Record<string, McpServerDef> | undefined;
}

/**
 * Every scope merged (user < project < local < flags), or only --mcp-config with --strict-mcp-config. A trusted
 * project's server never replaces one of your settings' of the same name: your allow rules for `mcp__<name>` are
 * for your server, so yours runs and `warnings` gets one line (an identical definition is simply the same server).
 */
export function configuredServers(s: Sources, warnings: string[] = []): McpServerEntry[] {
  const flagged = checked(() => (s.flags.mcpConfig ?? []).map((v): [McpScope, Record<string, McpServerDef>] => ['flag', readFlagServers(v, s.cwd)]));
  if (s.flags.strictMcpConfig) return mergeServers(flagged);
  const project = besideYours(s.project, s.user, s.projectRoot, warnings);
  return mergeServers([['user', s.user?.values.mcpServers], ['project', project], ['local', localServers(s.user, s.projectRoot)], ...flagged]);
}

/** The project's servers without those whose name one of your settings' servers holds with another definition. */
export function besideYours(project: Record<string, McpServerDef> | undefined, user: Layer | undefined, projectRoot: string, warnings: string[]): Record<string, McpServerDef> {
  const yours = user?.values.mcpServers;
  return Object.fromEntries(
    Object.entries(project ?? {}).filter(([name, def]) => {
      const mine = yours && Object.hasOwn(yours, name) ? yours[name] : undefined;
      if (!mine || trustValue(name, mine) === trustValue(name, def)) return true;
      warnings.push(`not starting the server "${name}" of ${projectMcpFile(projectRoot)}: ${user!.where('mcpServers')} has a server of that name, which runs instead (your rules for mcp__${name} are for yours); rename one to use both`);
      return false;
    }),
  );
}

/** MCP_TIMEOUT (milliseconds, as in Claude Code), else the mcp.startupTimeoutMs setting, else 10 s. */
export function startupTimeout(env: NodeJS.ProcessEnv, setting: number | undefined): number {
  const text = env.MCP_TIMEOUT?.trim();
  if (!text) return setting ?? DEFAULT_MCP_STARTUP_TIMEOUT_MS;
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw new ConfigError(`MCP_TIMEOUT must be a positive whole number of milliseconds, got "${env.MCP_TIMEOUT}"`);
  return Number(text);
}
