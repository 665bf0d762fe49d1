// Custom slash commands: every `<name>.md` in `.glm/commands/` of the project and in `<configDir>/commands/`
// becomes `/<name> [args]`, its text sent as the prompt with $ARGUMENTS filled in. Project files win over
// user files. Only fs; imports no ink/react.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface CustomCommand {
  name: string;
  description: string;
  body: string;
  source: 'project' | 'user';
}

export async function loadCustomCommands(projectRoot: string, configDir: string): Promise<CustomCommand[]> {
  const [user, project] = await Promise.all([
    readFolder(path.join(configDir, 'commands'), 'user'),
    readFolder(path.join(projectRoot, '.glm', 'commands'), 'project'),
  ]);
  const byName = new Map<string, CustomCommand>();
  for (const c of [...user, ...project]) byName.set(c.name, c);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

async function readFolder(dir: string, source: CustomCommand['source']): Promise<CustomCommand[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = names.filter((n) => n.endsWith('.md') && /^[\w.-]+\.md$/.test(n));
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(path.join(dir, file), 'utf8');
      const { description, body } = parseCommandFile(text);
      return { name: file.slice(0, -3).toLowerCase(), description, body, source };
    }),
  );
}

/** Front matter `description:` if present, else the first line of the body. */
export function parseCommandFile(text: string): { description: string; body: string } {
  let body = text.replace(/^\uFEFF/, '');
  let description = '';
  const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(body);
  if (front) {
    body = body.slice(front[0].length);
    const line = /^description:\s*(.+)$/m.exec(front[1]!);
    if (line) description = line[1]!.trim().replace(/^["']|["']$/g, '');
  }
  if (!description) {
    const first = body.split('\n').find((l) => l.trim()) ?? '';
    description = first.replace(/^#+\s*/, '').trim();
  }
  if (description.length > 70) description = `${description.slice(0, 69)}…`;
  return { description, body: body.trim() };
}

/** The prompt for `/<name> args`: $ARGUMENTS replaced, or the arguments appended when there is no placeholder. */
export function expandCommand(body: string, args: string): string {
  if (body.includes('$ARGUMENTS')) return body.replaceAll('$ARGUMENTS', args);
  return args ? `${body}\n\n${args}` : body;
}
