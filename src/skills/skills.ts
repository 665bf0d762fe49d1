// Skills in the agentskills.io format: a folder with a SKILL.md whose YAML front matter has `name` (1–64 lowercase
// letters, digits and single hyphens, the folder's name), `description` (≤ 1024 characters) and optionally
// `license`, `compatibility` (≤ 500), `metadata` (string → string) and `allowed-tools` (space-separated); the body
// is the instructions. Parsing only; discovery is in ../agents/catalog.ts. Imports frontmatter.ts and parseRule.
import path from 'node:path';
import { nameList, namedFrontMatter } from '../agents/frontmatter.ts';
import { parseRule } from '../permissions.ts';

export interface Skill {
  name: string;
  description: string;
  /** The skill's folder: its scripts/, references/ and assets/ are read and run from there. */
  dir: string;
  file: string;
  body: string;
  allowedTools?: string[];
  license?: string;
  compatibility?: string;
  metadata?: Record<string, string>;
  source: 'project' | 'user';
}

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A SKILL.md, or why it is skipped (one line). */
export function parseSkillFile(text: string, file: string, source: Skill['source']): Skill | { error: string } {
  const front = namedFrontMatter(text);
  if ('error' in front) return front;
  const { fields: f, name, description } = front;
  const dir = path.dirname(file);
  if (!name) return { error: 'it has no "name"' };
  if (name.length > 64 || !NAME.test(name)) return { error: `its name "${name.slice(0, 64)}" must be 1-64 lowercase letters, digits and single hyphens` };
  if (name !== path.basename(dir)) return { error: `its name "${name}" is not its folder's name "${path.basename(dir)}"` };
  if (!description) return { error: 'it has no "description"' };
  if (description.length > 1024) return { error: 'its description is longer than 1024 characters' };
  if (f.compatibility !== undefined && (typeof f.compatibility !== 'string' || f.compatibility.length > 500)) return { error: '"compatibility" must be text of at most 500 characters' };
  const metadata = f.metadata;
  if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) return { error: '"metadata" must be a map of keys to text' };
  const allowedTools = nameList(f['allowed-tools']);
  // They become allow rules while the skill is in use: each one must be a rule glm can read.
  for (const rule of allowedTools ?? []) {
    try {
      parseRule(rule);
    } catch (err) {
      return { error: `its allowed-tools "${rule.slice(0, 60)}" is not a permission rule (${(err as Error).message})` };
    }
  }
  const license = f.license === undefined ? undefined : String(f.license);
  return {
    name,
    description,
    dir,
    file,
    body: front.body,
    allowedTools,
    ...(license !== undefined && { license }),
    ...(typeof f.compatibility === 'string' && { compatibility: f.compatibility }),
    ...(metadata !== undefined && { metadata: Object.fromEntries(Object.entries(metadata as object).map(([k, v]) => [k, String(v)])) }),
    source,
  };
}
