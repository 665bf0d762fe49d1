// MCP server definitions in Claude Code's formats (.mcp.json, "mcpServers" in settings, --mcp-config): checked
// shapes, the scopes they come from, and ${VAR} / ${VAR:-default} expansion at start. Pure: node:fs only, never
// the MCP SDK (loadConfig reads this on every run, with or without servers). Imports types only.
import path from 'node:path';
import { parseJsonObject, readJsonObjectFile } from '../json-file.ts';
import { shellQuote } from '../shell-quote.ts';
import type { McpScope, McpServerDef, McpServerEntry } from '../types.ts';

export type { McpScope, McpServerDef, McpServerEntry } from '../types.ts';

/** Default wait for servers before the first request of a headless run (MCP_TIMEOUT, mcp.startupTimeoutMs). */
export const DEFAULT_MCP_STARTUP_TIMEOUT_MS = 10_000;

/** A definition that is not valid. The message is one line naming the place and the fix. */
export class McpConfigError extends Error {
  override name = 'McpConfigError';
}

/** Server names become part of tool names (`mcp__<name>__<tool>`) and rules, so they stay simple. */
export function checkServerName(name: string, where: string): void {
  if (!/^[A-Za-z0-9-]+(?:_[A-Za-z0-9-]+)*$/.test(name) || name.length > 40) {
    throw new McpConfigError(`Invalid MCP server name ${JSON.stringify(name)} (${where}): use letters, digits, "-" and single "_" between them, at most 40 characters`);
  }
}

/** One server definition, checked: `{command, args?, env?}` (type stdio) or `{type: "http"|"sse", url, headers?}`. */
export function parseServerDef(value: unknown, where: string): McpServerDef {
  const bad = (why: string) => new McpConfigError(`${where} ${why}`);
  if (!isObject(value)) throw bad('must be an object like {"command": "npx", "args": ["-y", "server"]} or {"type": "http", "url": "https://…"}');
  const type = value.type ?? (value.url !== undefined && value.command === undefined ? 'http' : 'stdio');
  if (type === 'stdio') {
    if (typeof value.command !== 'string' || !value.command.trim()) throw bad('needs "command": the program to start, e.g. "npx"');
    if (value.sandbox !== undefined && typeof value.sandbox !== 'boolean') throw bad('has "sandbox" that is not true or false');
    const sandbox = value.sandbox === true && { sandbox: true };
    return { type, command: value.command, args: strings(value.args, `${where} "args"`), env: stringMap(value.env, `${where} "env"`), ...sandbox };
  }
  if (type === 'http' || type === 'sse' || type === 'streamable-http') {
    if (typeof value.url !== 'string' || !value.url.trim()) throw bad('needs "url", e.g. "https://example.com/mcp"');
    return { type: type === 'sse' ? 'sse' : 'http', url: value.url.trim(), headers: stringMap(value.headers, `${where} "headers"`) };
  }
  throw bad(`has an unknown "type" ${JSON.stringify(type)}: use stdio, http or sse`);
}

/** A `{"name": def, …}` object (the value of "mcpServers"); undefined stays undefined. */
export function parseServers(value: unknown, where: string): Record<string, McpServerDef> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new McpConfigError(`${where} must be an object of servers by name, like {"docs": {"command": "npx", "args": ["-y", "docs-mcp"]}}`);
  const out: Record<string, McpServerDef> = {};
  for (const [name, def] of Object.entries(value)) {
    checkServerName(name, where);
    out[name] = parseServerDef(def, `server "${name}" in ${where}`);
  }
  return out;
}

/** A JSON file's `mcpServers` (.mcp.json, an --mcp-config file); undefined when the file does not exist. */
export function readServersFile(file: string): Record<string, McpServerDef> | undefined {
  const data = readJsonObjectFile(file, (message) => new McpConfigError(message), MCP_EXAMPLE);
  return data && serversOf(data, file);
}

const MCP_EXAMPLE = '{"mcpServers": {…}}';
const serversOf = (data: Record<string, unknown>, where: string) => parseServers(data.mcpServers ?? {}, `"mcpServers" in ${where}`) ?? {};

/** `--mcp-config`: a JSON text (starts with "{") or a file, relative to `cwd`. */
export function readFlagServers(value: string, cwd: string): Record<string, McpServerDef> {
  const text = value.trim();
  if (text.startsWith('{')) return serversOf(parseJsonObject(text, '--mcp-config', (message) => new McpConfigError(message), MCP_EXAMPLE), '--mcp-config');
  const file = path.resolve(cwd, text);
  const servers = readServersFile(file);
  if (!servers) throw new McpConfigError(`--mcp-config ${value}: no such file (pass a file or a JSON object like '{"mcpServers": {…}}')`);
  return servers;
}

/** `.mcp.json` at the project root. */
export const projectMcpFile = (projectRoot: string) => path.join(projectRoot, '.mcp.json');

/**
 * The servers a run uses: each scope's servers by name, a later scope replacing an earlier one's server of the
 * same name; sorted by name (tool order, and so the request prefix, stays stable).
 */
export function mergeServers(scopes: [McpScope, Record<string, McpServerDef> | undefined][]): McpServerEntry[] {
  const byName = new Map<string, McpServerEntry>();
  for (const [scope, servers] of scopes) for (const [name, def] of Object.entries(servers ?? {})) byName.set(name, { name, scope, def });
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The text trust lists and fingerprints for a project server: its whole definition as written (variables not
 * expanded), so any change to the command, arguments, environment, URL or headers needs trust again.
 */
export function trustValue(name: string, def: McpServerDef): string {
  return JSON.stringify({ name, ...def });
}

/** trustValue's text as one line for people: `docs: npx -y docs-mcp (env KEY)` or `web: http https://… (headers Authorization)`. */
export function describeTrustValue(value: string): string {
  try {
    const { name, ...def } = JSON.parse(value) as { name: string } & McpServerDef;
    return `${name}: ${describeServer(def)}`;
  } catch {
    return value;
  }
}

/** The variables a definition reads through ${VAR}: what of your environment (keys included) the server gets. */
export function varsOf(def: McpServerDef): string[] {
  const texts = def.type === 'stdio' ? [def.command, ...def.args, ...Object.values(def.env)] : [def.url, ...Object.values(def.headers)];
  const names = texts.flatMap((t) => [...t.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
  return [...new Set(names)];
}

/** An argument as a shell would need it, so where one ends shows (`sh -c 'a; b'`, not `sh -c a; b`). */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./${}-]+$/.test(arg) ? arg : shellQuote(arg);
}

export function describeServer(def: McpServerDef): string {
  const vars = varsOf(def);
  const reads = vars.length ? `, given ${vars.map((v) => `$${v}`).join(', ')}` : '';
  if (def.type === 'stdio') {
    const env = Object.keys(def.env);
    return `${[def.command, ...def.args].map(shellWord).join(' ')}${env.length || reads ? ` (${env.length ? `env ${env.join(', ')}` : 'no env'}${reads})` : ''}`;
  }
  const headers = Object.keys(def.headers);
  return `${def.type} ${def.url}${headers.length || reads ? ` (${headers.length ? `headers ${headers.join(', ')}` : 'no headers'}${reads})` : ''}`;
}

/**
 * `${VAR}` and `${VAR:-default}` in a text, from `env`. A variable that is not set and has no default is an
 * error naming it (the server is then not started).
 */
export function expandVars(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_all, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new McpConfigError(`\${${name}} is not set (give it a default with \${${name}:-value})`);
  });
}

/** The definition with every ${VAR} expanded (command, args, env, url, headers). Throws McpConfigError. */
export function expandServer(def: McpServerDef, env: NodeJS.ProcessEnv): McpServerDef {
  const x = (t: string) => expandVars(t, env);
  const map = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, x(v)]));
  if (def.type === 'stdio') return { type: 'stdio', command: x(def.command), args: def.args.map(x), env: map(def.env), ...(def.sandbox && { sandbox: true }) };
  return { type: def.type, url: x(def.url), headers: map(def.headers) };
}

function strings(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new McpConfigError(`${where} must be a list of strings`);
  return value as string[];
}

function stringMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) throw new McpConfigError(`${where} must be an object of strings`);
  return { ...(value as Record<string, string>) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
