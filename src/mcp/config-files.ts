// The files `glm mcp add/remove` change, one per scope: user → "mcpServers" in the user settings file, local →
// "projects"["<project root>"]["mcpServers"] in the same file, project → .mcp.json at the project root. Writes
// keep every other key, stay valid JSON and are atomic; the file's mode is kept (settings may hold a key: 0600).
// Imports config-layers (reading), atomic-file and this folder's config.ts.
import { statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../atomic-file.ts';
import { readJsonObject } from '../config-layers.ts';
import { McpConfigError, projectMcpFile, type McpServerDef } from './config.ts';

export type WritableScope = 'user' | 'local' | 'project';
export const WRITABLE_SCOPES: readonly WritableScope[] = ['local', 'project', 'user'];

export interface ScopeFile {
  scope: WritableScope;
  file: string;
  /** The servers object inside the file's data (created on demand by `servers(true)`). */
  servers(create?: boolean): Record<string, unknown> | undefined;
  data: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Opens one scope's file (its JSON read now; a missing file is an empty object). Throws ConfigError on bad JSON. */
export function openScope(scope: WritableScope, userFile: string, projectRoot: string): ScopeFile {
  const file = scope === 'project' ? projectMcpFile(projectRoot) : userFile;
  const data = readJsonObject(file) ?? {};
  const at = (holder: Record<string, unknown>, key: string, create: boolean): Record<string, unknown> | undefined => {
    if (isObject(holder[key])) return holder[key];
    if (!create) return undefined;
    if (holder[key] !== undefined) throw new McpConfigError(`"${key}" in ${file} is not an object: fix it by hand first`);
    return (holder[key] = {});
  };
  const servers = (create = false) => {
    if (scope !== 'local') return at(data, 'mcpServers', create);
    const projects = at(data, 'projects', create);
    const project = projects && at(projects, path.resolve(projectRoot), create);
    return project && at(project, 'mcpServers', create);
  };
  return { scope, file, data, servers };
}

/** Writes the file back atomically, in the mode it had (a new user settings file: 0600). */
export function saveScope(f: ScopeFile): void {
  let mode: number | undefined = f.scope === 'project' ? undefined : 0o600;
  try {
    mode = statSync(f.file).mode & 0o777;
  } catch {
    // a new file
  }
  writeFileAtomicSync(f.file, JSON.stringify(f.data, null, 2) + '\n', mode);
}

/** How a definition is stored: Claude Code's shape (no "type" for stdio, empty lists and maps left out). */
export function storedDef(def: McpServerDef): Record<string, unknown> {
  if (def.type === 'stdio') {
    return { command: def.command, ...(def.args.length && { args: def.args }), ...(Object.keys(def.env).length && { env: def.env }), ...(def.sandbox && { sandbox: true }) };
  }
  return { type: def.type, url: def.url, ...(Object.keys(def.headers).length && { headers: def.headers }) };
}
