// Custom agents read from Markdown files with YAML front matter (name, description, tools, disallowedTools, model,
// permissionMode, maxTurns; the body is the system prompt). Pure parsing, loaded only when such a file exists;
// discovery is in catalog.ts. Imports frontmatter.ts and builtin-agents.ts.
import { nameList, namedFrontMatter } from './frontmatter.ts';
import type { AgentDefinition, AgentSource } from './builtin-agents.ts';

export { BUILTIN_AGENTS, EXPLORE_TOOLS, TASK_NAMES, type AgentDefinition, type AgentSource } from './builtin-agents.ts';

const NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;
const MODES = ['default', 'acceptEdits', 'plan', 'dontAsk'];

/** A custom agent file, or the one-line reason it is skipped. */
export function parseAgentFile(text: string, source: AgentSource, file: string): AgentDefinition | { error: string } {
  const front = namedFrontMatter(text);
  if ('error' in front) return front;
  const { fields: f, name, description } = front;
  if (!NAME.test(name)) return { error: name ? `its name "${name.slice(0, 64)}" is not letters, digits, "-", "_" or "."` : 'it has no "name"' };
  if (!description) return { error: 'it has no "description"' };
  if (!front.body) return { error: 'its body (the system prompt) is empty' };
  const mode = f.permissionMode === undefined ? undefined : String(f.permissionMode);
  if (mode !== undefined && !MODES.includes(mode)) return { error: `permissionMode "${mode.slice(0, 40)}" is not one of ${MODES.join(', ')}` };
  const maxTurns = f.maxTurns === undefined ? undefined : Number(f.maxTurns);
  if (maxTurns !== undefined && !(Number.isInteger(maxTurns) && maxTurns > 0)) return { error: 'maxTurns is not a whole number above 0' };
  return {
    name,
    description,
    tools: nameList(f.tools),
    disallowedTools: nameList(f.disallowedTools),
    model: f.model === undefined || f.model === null ? undefined : String(f.model).trim(),
    permissionMode: mode as AgentDefinition['permissionMode'],
    maxTurns,
    prompt: front.body,
    source,
    file,
  };
}
