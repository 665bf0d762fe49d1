// Z.ai's Coding Plan MCP servers for `glm mcp add zai`: vision (stdio, npm @z_ai/mcp-server), web search, web
// reader and zread (streamable HTTP with a Bearer header), on api.z.ai or open.bigmodel.cn. The key is always a
// ${VAR} reference, never its value. Pure: imports providers.ts and types only.
import { PROVIDERS } from '../providers.ts';
import type { McpServerDef } from '../types.ts';

/** Which service hosts the servers: Z.ai (api.z.ai, Z_AI_MODE=ZAI) or BigModel (open.bigmodel.cn, ZHIPU). */
export type ZaiPlatform = 'zai' | 'bigmodel';

export const ZAI_HOSTS: Record<ZaiPlatform, string> = { zai: 'https://api.z.ai', bigmodel: 'https://open.bigmodel.cn' };

/** The four servers: name (rule-friendly: `mcp__zai-search`), what it offers, and its path or package. */
export const ZAI_SERVERS = [
  { name: 'zai-vision', offers: 'images and videos: screenshots to text or code, error screenshots, diagrams, charts, UI diffs' },
  { name: 'zai-search', offers: 'web search (webSearchPrime)', path: 'web_search_prime' },
  { name: 'zai-reader', offers: 'a web page as text (webReader)', path: 'web_reader' },
  { name: 'zai-zread', offers: "public GitHub repositories: search their docs, list their structure, read their files", path: 'zread' },
] as const;

/** `zai`, `zai-coding` → zai; `bigmodel`, `bigmodel-coding` → bigmodel; any other provider → undefined. */
export function platformOf(provider: string | undefined): ZaiPlatform | undefined {
  if (provider === 'zai' || provider === 'zai-coding') return 'zai';
  if (provider === 'bigmodel' || provider === 'bigmodel-coding') return 'bigmodel';
  return undefined;
}

/**
 * The variable the servers read the key from: the first of the provider's key variables that is set now (the one
 * glm itself sends), else GLM_API_KEY, which every Z.ai and BigModel provider reads.
 */
export function keyVariable(platform: ZaiPlatform, env: NodeJS.ProcessEnv): string {
  return PROVIDERS[platform].keyEnv.find((name) => env[name]?.trim()) ?? 'GLM_API_KEY';
}

/** The four definitions, by name, for `platform`, reading the key from `${keyVar}`. */
export function zaiServers(platform: ZaiPlatform, keyVar: string): Record<string, McpServerDef> {
  const key = `\${${keyVar}}`;
  const out: Record<string, McpServerDef> = {};
  for (const s of ZAI_SERVERS) {
    out[s.name] =
      'path' in s
        ? { type: 'http', url: `${ZAI_HOSTS[platform]}/api/mcp/${s.path}/mcp`, headers: { Authorization: `Bearer ${key}` } }
        : { type: 'stdio', command: 'npx', args: ['-y', '@z_ai/mcp-server'], env: { Z_AI_API_KEY: key, Z_AI_MODE: platform === 'zai' ? 'ZAI' : 'ZHIPU' } };
  }
  return out;
}
