// `glm mcp add | add-json | list | get | remove | login | logout`: change the servers of one scope's file (config-files.ts), or
// connect to the configured servers and say how they are. Wrong input is one line on stderr and exit 2. Loaded
// only when `glm mcp …` runs (subcommands.ts imports it inside the action).
import { ConfigError, fileLayer } from '../config-layers.ts';
import { configDirFromEnv, dataDirFromEnv, findProjectRoot, localSettingsPath, projectSettingsPath, projectTrust, userSettingsPath } from '../config.ts';
import { safeLine } from '../terminal-text.ts';
import { serverEnv } from '../command-env.ts';
import type { McpServerEntry } from '../types.ts';
import { checkServerName, describeServer, mergeServers, McpConfigError, parseServerDef, type McpServerDef } from './config.ts';
import { besideYours, localServers, projectServers, startupTimeout } from './config-sources.ts';
import { openScope, saveScope, storedDef, WRITABLE_SCOPES, type WritableScope } from './config-files.ts';
import { oauthFile } from './oauth.ts';
import { keyVariable, platformOf, ZAI_HOSTS, ZAI_SERVERS, zaiServers, type ZaiPlatform } from './zai.ts';

interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface AddOptions {
  transport?: string;
  scope?: string;
  env?: string[];
  header?: string[];
  /** Replace a server of the same name in the scope. */
  force?: boolean;
}

/** Input the user can fix: printed as one line, exit 2. */
class UsageError extends Error {}

/** Runs a command body: usage and configuration errors become one line and exit 2. */
async function guarded(out: Output, body: () => number | Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (!(err instanceof UsageError || err instanceof ConfigError || err instanceof McpConfigError)) throw err;
    out.stderr(`glm: ${err.message}\n`);
    return 2;
  }
}

function scopeOf(value: string | undefined): WritableScope {
  const scope = value ?? 'local';
  if (!(WRITABLE_SCOPES as readonly string[]).includes(scope)) throw new UsageError(`unknown --scope "${scope}": use local, project or user`);
  return scope as WritableScope;
}

/** `KEY=VALUE` pairs (-e) or `Name: value` headers (-H) as an object. */
function pairs(list: string[] | undefined, sep: '=' | ':', what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const at = item.indexOf(sep);
    const key = at > 0 ? item.slice(0, at).trim() : '';
    // `glm mcp add x node -e 1`: the server's own -e was read as glm's.
    const own = sep === '=' ? "; a server's own options go after --, as in glm mcp add <name> -- node -e …" : '';
    if (!key) throw new UsageError(`${what} "${item}" needs the form ${sep === '=' ? 'KEY=VALUE' : '"Name: value"'}${own}`);
    out[key] = item.slice(at + 1).trim();
  }
  return out;
}

function addTo(scope: WritableScope, name: string, def: McpServerDef, cwd: string, out: Output, force = false): number {
  const f = openScope(scope, userSettingsPath(), findProjectRoot(cwd));
  const servers = f.servers(true)!;
  if (servers[name] !== undefined && !force) {
    throw new UsageError(`an MCP server "${name}" is already in ${f.file} (${scope} scope): remove it first (glm mcp remove ${name} --scope ${scope}) or pass --force`);
  }
  servers[name] = storedDef(def);
  saveScope(f);
  out.stdout(`Added MCP server ${name} (${describeServer(def)}) to ${f.file} (${scope} scope).\n`);
  if (scope === 'project') out.stdout('It starts once you trust this project (glm trust).\n');
  return 0;
}

export function runMcpAdd(name: string, target: string, args: string[], opts: AddOptions, out: Output, cwd = process.cwd()): Promise<number> {
  return guarded(out, () => {
    checkServerName(name, 'glm mcp add');
    const scope = scopeOf(opts.scope);
    const transport = opts.transport ?? 'stdio';
    if (!['stdio', 'http', 'sse'].includes(transport)) throw new UsageError(`unknown --transport "${transport}": use stdio, http or sse`);
    if (transport === 'stdio' && opts.header?.length) throw new UsageError('-H headers are for http and sse servers; a stdio server takes -e KEY=VALUE');
    if (transport !== 'stdio' && (args.length || opts.env?.length)) throw new UsageError(`a ${transport} server takes a URL only (and -H headers), not arguments or -e`);
    if (transport !== 'stdio' && !target.includes('${') && !(URL.canParse(target) && /^https?:$/.test(new URL(target).protocol))) {
      throw new UsageError(`"${target}" is not an http(s) URL`);
    }
    const raw = transport === 'stdio' ? { command: target, args, env: pairs(opts.env, '=', '-e') } : { type: transport, url: target, headers: pairs(opts.header, ':', '-H') };
    return addTo(scope, name, parseServerDef(raw, 'glm mcp add'), cwd, out, opts.force);
  });
}

export interface AddZaiOptions {
  scope?: string;
  platform?: string;
  force?: boolean;
  /** The global --provider, when given. */
  provider?: string;
}

/** The provider the user's own levels pick (--provider, GLM_PROVIDER, user then project settings), and where. */
function chosenProvider(opts: AddZaiOptions, env: NodeJS.ProcessEnv, root: string): { id: string; where: string } | undefined {
  if (opts.provider) return { id: opts.provider, where: '--provider' };
  if (env.GLM_PROVIDER?.trim()) return { id: env.GLM_PROVIDER.trim(), where: 'GLM_PROVIDER' };
  for (const [file, level] of [[userSettingsPath(env), 'user'], [localSettingsPath(root), 'project'], [projectSettingsPath(root), 'project']] as const) {
    const provider = fileLayer(file, level)?.values.provider;
    if (provider) return { id: provider, where: file };
  }
  return undefined;
}

/**
 * `glm mcp add zai`: Z.ai's four Coding Plan servers (zai.ts) on the host of the user's provider, or of --platform;
 * the key as a ${VAR} reference. Names the scope already has are refused unless --force.
 */
export function runMcpAddZai(opts: AddZaiOptions, out: Output, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return guarded(out, () => {
    const scope = scopeOf(opts.scope);
    const root = findProjectRoot(cwd);
    const given = opts.platform?.trim().toLowerCase();
    const picked = given === undefined ? undefined : platformOf(given);
    if (given !== undefined && !picked) throw new UsageError(`unknown --platform "${opts.platform}": use zai (api.z.ai) or bigmodel (open.bigmodel.cn)`);
    const provider = chosenProvider(opts, env, root);
    const platform: ZaiPlatform = picked ?? platformOf(provider?.id) ?? 'zai';
    const keyVar = keyVariable(platform, env);
    const f = openScope(scope, userSettingsPath(env), root);
    const servers = f.servers(true)!;
    const taken = ZAI_SERVERS.map((s) => s.name).filter((n) => servers[n] !== undefined);
    if (taken.length && !opts.force) throw new UsageError(`${taken.join(', ')} ${taken.length === 1 ? 'is' : 'are'} already in ${f.file} (${scope} scope): pass --force to replace ${taken.length === 1 ? 'it' : 'them'}`);
    for (const [name, def] of Object.entries(zaiServers(platform, keyVar))) servers[name] = storedDef(def);
    saveScope(f);
    const other: ZaiPlatform = platform === 'zai' ? 'bigmodel' : 'zai';
    const why = picked ? '--platform' : provider && platformOf(provider.id) ? `provider ${provider.id} (${provider.where})` : provider ? `the default: your provider ${provider.id} is not Z.ai's, these servers want a Z.ai or BigModel key` : 'the default provider';
    const lines = [
      `Added Z.ai's Coding Plan MCP servers on ${new URL(ZAI_HOSTS[platform]).host} (from ${why}; for ${new URL(ZAI_HOSTS[other]).host} pass --platform ${other}) to ${f.file} (${scope} scope):`,
      ...ZAI_SERVERS.map((s) => `  ${s.name.padEnd(11)} ${s.offers}`),
      `They read your key from \${${keyVar}} when glm starts them; the file holds the reference, not the key.`,
      `Their tools ask before each call; a rule allows one server, e.g. "mcp__zai-search" in permissions.allow.`,
    ];
    if (!env[keyVar]?.trim()) lines.push(`${keyVar} is not set now: set it before starting glm (a key in settings.json's "apiKey" does not reach MCP servers).`);
    if (scope === 'project') lines.push('They start once you trust this project (glm trust).');
    out.stdout(lines.join('\n') + '\n');
    return 0;
  });
}

export function runMcpAddJson(name: string, json: string, opts: { scope?: string }, out: Output, cwd = process.cwd()): Promise<number> {
  return guarded(out, () => {
    checkServerName(name, 'glm mcp add-json');
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      throw new UsageError(`the server of glm mcp add-json is not valid JSON: pass one object, like '{"command": "npx", "args": ["-y", "server"]}'`);
    }
    return addTo(scopeOf(opts.scope), name, parseServerDef(value, 'the server of glm mcp add-json'), cwd, out);
  });
}

export function runMcpRemove(name: string, opts: { scope?: string }, out: Output, cwd = process.cwd()): Promise<number> {
  return guarded(out, () => {
    const root = findProjectRoot(cwd);
    const scopes = opts.scope ? [scopeOf(opts.scope)] : WRITABLE_SCOPES;
    const holding = scopes.map((s) => openScope(s, userSettingsPath(), root)).filter((f) => f.servers()?.[name] !== undefined);
    if (!holding.length) throw new UsageError(`no MCP server "${name}"${opts.scope ? ` in the ${opts.scope} scope` : ''} to remove (glm mcp list shows them)`);
    if (holding.length > 1) throw new UsageError(`"${name}" is in the ${holding.map((f) => f.scope).join(' and ')} scopes: pass --scope to say which to remove`);
    const f = holding[0]!;
    delete f.servers()![name];
    saveScope(f);
    out.stdout(`Removed MCP server ${name} from ${f.file} (${f.scope} scope).\n`);
    return 0;
  });
}

interface Listed extends McpServerEntry {
  /** A project server while the project is not trusted: not started. */
  untrusted?: boolean;
}

/** Every configured server (without --mcp-config), the project's marked when it is not trusted. */
function configured(cwd: string): { entries: Listed[]; timeoutMs: number; passEnv?: string[]; notes: string[] } {
  const root = findProjectRoot(cwd);
  const user = fileLayer(userSettingsPath(), 'user');
  const trusted = projectTrust(process.env, cwd).trusted;
  const notes: string[] = [];
  const project = besideYours(projectServers(root), user, root, notes); // as a run sees them (config-sources.ts)
  const merged = mergeServers([['user', user?.values.mcpServers], ['project', project], ['local', localServers(user, root)]]);
  const entries = merged.map((e) => (e.scope === 'project' && !trusted ? { ...e, untrusted: true } : e));
  return { entries, timeoutMs: startupTimeout(process.env, user?.values.mcpStartupTimeoutMs), passEnv: user?.values.passEnvToCommands, notes };
}

/** Connects to `entries` (not the untrusted ones) and returns one status text per server name. */
async function statusTexts(entries: Listed[], cwd: string, timeoutMs: number, passEnv?: string[]): Promise<Map<string, string>> {
  const { McpServers } = await import('./servers.ts');
  const { serverSandbox } = await import('./start.ts');
  const started = entries.filter((e) => !e.untrusted);
  // A server with "sandbox": true starts sandboxed here too (the project's policy; no added folders or rules).
  const policy = { projectRoot: findProjectRoot(cwd), additionalDirectories: [], denyRules: [], configDir: configDirFromEnv(), dataDir: dataDirFromEnv() };
  const sandbox = serverSandbox(started, policy);
  const servers = new McpServers(started, {
    cwd,
    serverEnv: serverEnv({ passEnvToCommands: passEnv }),
    vars: process.env,
    timeoutMs,
    sandbox,
    oauthFile: oauthFile(configDirFromEnv()),
  });
  await servers.ready();
  const texts = new Map<string, string>();
  for (const s of servers.statuses()) texts.set(s.name, s.status === 'connected' ? `connected (${s.toolCount} tool${s.toolCount === 1 ? '' : 's'})` : `failed: ${s.error}`);
  for (const e of entries) if (e.untrusted) texts.set(e.name, 'not started: this project is not trusted (glm trust)');
  await servers.close();
  return texts;
}

export function runMcpList(out: Output, cwd = process.cwd()): Promise<number> {
  return guarded(out, async () => {
    const { entries, timeoutMs, passEnv, notes } = configured(cwd);
    for (const note of notes) out.stderr(`glm: ${safeLine(note)}\n`);
    if (!entries.length) {
      out.stdout('No MCP servers configured. Add one with: glm mcp add <name> -- <command> [args…]\n');
      return 0;
    }
    out.stdout('Checking MCP servers…\n');
    const status = await statusTexts(entries, cwd, timeoutMs, passEnv);
    for (const e of entries) out.stdout(`${e.name} (${e.scope}): ${describeServer(e.def)} - ${status.get(e.name)}\n`);
    return 0;
  });
}

/** `glm mcp login <name>` / `glm mcp logout <name>`: OAuth for a configured http or sse server. */
export function runMcpLogin(name: string, action: 'login' | 'logout', out: Output, cwd = process.cwd()): Promise<number> {
  return guarded(out, async () => {
    const e = configured(cwd).entries.find((x) => x.name === name);
    if (!e) throw new UsageError(`no MCP server "${name}" (glm mcp list shows them)`);
    if (e.untrusted) throw new UsageError(`"${name}" is in this project's .mcp.json, which is not trusted (glm trust)`);
    if (e.def.type === 'stdio') throw new UsageError(`"${name}" is a stdio server: OAuth login is for http and sse servers`);
    const { login, logout } = await import('./login.ts');
    try {
      return action === 'login' ? await login(e, configDirFromEnv(), cwd, out) : logout(e, configDirFromEnv(), out);
    } catch (err) {
      if (err instanceof McpConfigError) throw err;
      out.stderr(`glm: ${action} to ${name} failed: ${safeLine(err instanceof Error ? err.message : String(err))}\n`);
      return 1;
    }
  });
}

export function runMcpGet(name: string, out: Output, cwd = process.cwd()): Promise<number> {
  return guarded(out, async () => {
    const { entries, timeoutMs, passEnv } = configured(cwd);
    const e = entries.find((x) => x.name === name);
    if (!e) throw new UsageError(`no MCP server "${name}" (glm mcp list shows them)`);
    const lines = [`${e.name}:`, `  Scope: ${e.scope}`, `  Type: ${e.def.type}`];
    if (e.def.type === 'stdio') {
      lines.push(`  Command: ${e.def.command}`, `  Args: ${e.def.args.join(' ')}`);
      for (const [k, v] of Object.entries(e.def.env)) lines.push(`  Env: ${k}=${v}`);
    } else {
      lines.push(`  URL: ${e.def.url}`);
      for (const [k, v] of Object.entries(e.def.headers)) lines.push(`  Header: ${k}: ${v}`);
    }
    const status = await statusTexts([e], cwd, timeoutMs, passEnv);
    lines.push(`  Status: ${status.get(e.name)}`, `  Remove it with: glm mcp remove ${e.name} --scope ${e.scope}`);
    out.stdout(lines.join('\n') + '\n');
    return 0;
  });
}
