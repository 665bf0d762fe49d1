// Splits a Markdown file with YAML front matter (`---` … `---`) into its fields and body, for agent files and
// SKILL.md. Real YAML first (the `yaml` package); Claude Code agent files often hold unquoted colons in their
// description, which YAML rejects, so a flat `key: value` reading is the fallback. Imports only `yaml`.
import { parse } from 'yaml';

export interface FrontMatter {
  fields: Record<string, unknown>;
  body: string;
}

/** Undefined when the file has no front matter at all; throws only for front matter that is not a mapping. */
export function splitFrontMatter(text: string): FrontMatter | undefined {
  const clean = text.replace(/^\uFEFF/, '');
  const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(clean);
  if (!m) return undefined;
  const body = clean.slice(m[0].length).trim();
  return { fields: parseFields(m[1]!), body };
}

/** An agent file's or SKILL.md's front matter with its `name` and `description` as trimmed text ('' when missing), or the one-line reason it is skipped. */
export function namedFrontMatter(text: string): (FrontMatter & { name: string; description: string }) | { error: string } {
  let front: FrontMatter | undefined;
  try {
    front = splitFrontMatter(text);
  } catch (err) {
    return { error: (err as Error).message };
  }
  if (!front) return { error: 'it has no front matter (--- name: … description: … ---)' };
  const textOf = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  return { ...front, name: textOf(front.fields.name), description: textOf(front.fields.description) };
}

function parseFields(yaml: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = parse(yaml, { schema: 'core', maxAliasCount: 10 });
  } catch {
    return flatFields(yaml);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new Error('the front matter is not a list of "key: value" lines');
  return data as Record<string, unknown>;
}

/** `key: value` per line, the value the rest of the line; indented lines continue the previous value. */
function flatFields(yaml: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let last: string | undefined;
  for (const line of yaml.split(/\r?\n/)) {
    const m = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
    if (m) {
      last = m[1]!;
      out[last] = m[2]!.trim().replace(/^(["'])(.*)\1$/, '$2');
    } else if (last && /^\s+\S/.test(line)) {
      out[last] = `${String(out[last])} ${line.trim()}`.trim();
    }
  }
  return out;
}

/** A field as a list of names: a YAML list, or a comma- or space-separated string (`Read, Grep` / `Read Grep`). */
export function nameList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
  return String(value)
    .split(/,|\s+(?![^()]*\))/)
    .map((v) => v.trim())
    .filter(Boolean);
}
