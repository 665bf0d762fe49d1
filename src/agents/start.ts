// The lazily imported entry for a session's agents and skills: reads the catalog (catalog.ts) and returns the
// session options that offer Task and Skill (tool-source.ts), with the skipped files as one-line warnings.
// Imports no loop code and no zod: those load with the first Task or Skill call.
import { loadCatalog, type Catalog } from './catalog.ts';
import { agentToolSet } from './tool-source.ts';
import type { SessionHost } from './host.ts';
import type { ToolSet } from '../tool.ts';
import type { Config } from '../types.ts';

export interface AgentExtensions {
  catalog: Catalog;
  /** For Session's `extensions` option. */
  extensions: (host: SessionHost) => ToolSet;
  warnings: string[];
}

export async function loadAgentExtensions(config: Config): Promise<AgentExtensions> {
  const catalog = await loadCatalog(config);
  return { catalog, extensions: (host) => agentToolSet(host, catalog), warnings: catalog.warnings };
}
