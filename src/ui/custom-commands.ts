// Custom slash commands: every `<name>.md` in `.glm/commands/` and `.claude/commands/` of the project and in
// `<configDir>/commands/` (agents/places.ts commandFolders, through ReplHost.commandFolders) becomes `/<name> [args]`, its text sent as the prompt
// with $ARGUMENTS filled in. Front matter as Claude Code reads it: description, argument-hint, allowed-tools
// (allowed without asking while the command runs, only in a trusted project for a project's: trust covers the
// file), model. Project files win over user files, .glm over .claude. Only fs; imports no ink/react.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface CustomCommand {
  name: string;
  description: string;
  body: string;
  source: 'project' | 'user';
  /** `argument-hint:` what to type after the name, e.g. `[issue number]`. */
  argumentHint?: string;
  /** `allowed-tools:` permission rules allowed for the turn the command starts. */
  allowedTools?: string[];
  /** `model:` the model for the turn the command starts. */
  model?: string;
}

/** A folder of command files, lowest precedence first. */
export type CommandFolder = { dir: string; source: CustomCommand['source'] };

/** glm's own folders, for a host that names none. */
export const glmCommandFolders = (projectRoot: string, configDir: string): CommandFolder[] => [
  { dir: path.join(configDir, 'commands'), source: 'user' },
  { dir: path.join(projectRoot, '.glm', 'commands'), source: 'project' },
];

export async function loadCustomCommands(folders: readonly CommandFolder[]): Promise<CustomCommand[]> {
  const found = await Promise.all(folders.map((p) => readFolder(p.dir, p.source)));
  const byName = new Map<string, CustomCommand>();
  for (const c of found.flat()) byName.set(c.name, c); // later folders win
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

async function readFolder(dir: string, source: CustomCommand['source']): Promise<CustomCommand[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = names.filter((n) => n.endsWith('.md') && /^[\w.-]+\.md$/.test(n));
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(path.join(dir, file), 'utf8');
      return { name: file.slice(0, -3).toLowerCase(), ...parseCommandFile(text), source };
    }),
  );
}

/** One `key: value` of front matter, unquoted; undefined when absent or empty. */
function field(front: string, key: string): string | undefined {
  const value = new RegExp(`^${key}:[ \\t]*(.*)$`, 'm').exec(front)?.[1]?.trim().replace(/^(["'])(.*)\1$/, '$2');
  return value || undefined;
}

/** `allowed-tools: Bash(git add:*), Read` or a YAML list `[Bash(git add:*), Read]`: rules split at top-level commas. */
function toolList(value: string | undefined): string[] | undefined {
  if (!value) return undefined;
  const rules: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value.replace(/^\[|\]$/g, '')) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      rules.push(current);
      current = '';
    } else current += ch;
  }
  rules.push(current);
  const list = rules.map((r) => r.trim().replace(/^(["'])(.*)\1$/, '$2')).filter(Boolean);
  return list.length ? list : undefined;
}

/** Front matter as Claude Code reads it; the description falls back to the body's first line, placeholders shown as `…`. */
export function parseCommandFile(text: string): Omit<CustomCommand, 'name' | 'source'> {
  let body = text.replace(/^\uFEFF/, '');
  let front = '';
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(body);
  if (match) {
    body = body.slice(match[0].length);
    front = match[1]!;
  }
  let description = field(front, 'description') ?? '';
  if (!description) {
    const first = body.split('\n').find((l) => l.trim()) ?? '';
    description = first.replace(/^#+\s*/, '').replace(/\$ARGUMENTS|\$\d\b/g, '…').trim();
  }
  if (description.length > 70) description = `${description.slice(0, 69)}…`;
  const argumentHint = field(front, 'argument-hint');
  const allowedTools = toolList(field(front, 'allowed-tools'));
  const model = field(front, 'model');
  return { description, body: body.trim(), ...(argumentHint && { argumentHint }), ...(allowedTools && { allowedTools }), ...(model && { model }) };
}

/** The prompt for `/<name> args`: $ARGUMENTS replaced, or the arguments appended when there is no placeholder. */
export function expandCommand(body: string, args: string): string {
  if (body.includes('$ARGUMENTS')) return body.replaceAll('$ARGUMENTS', args);
  return args ? `${body}\n\n${args}` : body;
}
