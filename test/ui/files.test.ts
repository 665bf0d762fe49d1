import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { suggest } from '../../src/ui/completion.ts';
import { commandFolders } from '../../src/agents/places.ts';
import { expandCommand, glmCommandFolders, loadCustomCommands, parseCommandFile } from '../../src/ui/custom-commands.ts';
import { emptyEditor } from '../../src/ui/editor.ts';
import { PromptHistory } from '../../src/ui/history.ts';
import { expandMentions, mentionedPaths } from '../../src/ui/mentions.ts';
import { listProjectFiles } from '../../src/ui/project-files.ts';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'glm-ui-'));
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};

describe('listProjectFiles', () => {
  it('lists files and folders, honouring root and nested .gitignore files', async () => {
    const dir = tmp();
    write(path.join(dir, '.gitignore'), 'dist/\n*.log\n');
    write(path.join(dir, 'src', 'a.ts'), '');
    write(path.join(dir, 'src', '.gitignore'), 'generated.ts\n');
    write(path.join(dir, 'src', 'generated.ts'), '');
    write(path.join(dir, 'dist', 'out.js'), '');
    write(path.join(dir, 'debug.log'), '');
    write(path.join(dir, 'node_modules', 'x', 'index.js'), '');
    write(path.join(dir, '.git', 'HEAD'), '');
    const files = await listProjectFiles(dir);
    expect(files).toContain('src/');
    expect(files).toContain('src/a.ts');
    expect(files).toContain('.gitignore');
    for (const hidden of ['src/generated.ts', 'dist/out.js', 'debug.log', 'node_modules/x/index.js', '.git/HEAD']) {
      expect(files).not.toContain(hidden);
    }
  });
});

describe('suggest', () => {
  const commands = [{ name: 'help', description: 'h' }, { name: 'history', description: 'x' }, { name: 'model', description: 'm', args: '[id]' }];
  const at = (text: string) => ({ ...emptyEditor(), text, cursor: text.length });

  it('offers commands matching the typed prefix', () => {
    expect(suggest(at('/h'), commands, []).map((s) => s.label)).toEqual(['/help', '/history']);
    expect(suggest(at('/m'), commands, [])[0]).toMatchObject({ label: '/model [id]', text: '/model ', start: 0, end: 2 });
    expect(suggest(at('/model x'), commands, [])).toEqual([]);
  });

  it('ranks paths fuzzily after @ and replaces only the mention', () => {
    const files = ['src/', 'src/parser.ts', 'src/printer.ts', 'README.md'];
    const list = suggest(at('see @pars'), commands, files);
    expect(list[0]).toMatchObject({ label: '@src/parser.ts', start: 4, end: 9, text: '@src/parser.ts ' });
    expect(suggest(at('see @sr'), commands, files).find((s) => s.label === '@src/')?.text).toBe('@src/');
    expect(suggest(at('mail me@home'), commands, files)).toEqual([]);
  });

  it('offers MCP resources as @server:uri beside files; `@server:` narrows to that server', () => {
    const files = ['src/', 'src/everything.ts', 'docs/features.md'];
    const resources = [
      { server: 'everything', uri: 'demo://resource/static/document/features.md', name: 'features.md' },
      { server: 'everything', uri: 'demo://resource/static/document/architecture.md' },
      { server: 'other', uri: 'note://a' },
    ];
    const mixed = suggest(at('read @feat'), commands, files, resources).map((s) => s.label);
    expect(mixed).toEqual(expect.arrayContaining(['@docs/features.md', '@everything:demo://resource/static/document/features.md']));
    const narrowed = suggest(at('read @everything:arch'), commands, files, resources);
    expect(narrowed).toEqual([
      { label: '@everything:demo://resource/static/document/architecture.md', start: 5, end: 21, text: '@everything:demo://resource/static/document/architecture.md ', kind: 'resource' },
    ]);
    expect(suggest(at('@everything:'), commands, files, resources).map((s) => s.detail)).toEqual(['features.md', undefined]);
    // Without files listed yet, resources still complete.
    expect(suggest(at('@other'), commands, undefined, resources).map((s) => s.label)).toEqual(['@other:note://a']);
  });
});

describe('mentions', () => {
  it('finds mentioned paths but not e-mail addresses', () => {
    expect(mentionedPaths('fix @src/a.ts, see @docs/ and mail a@b.c')).toEqual(['src/a.ts', 'docs/']);
  });

  it('attaches files and folder listings inside the project only', async () => {
    const dir = tmp();
    write(path.join(dir, 'src', 'a.ts'), 'const a = 1;\n');
    write(path.join(dir, 'bin.dat'), 'a\0b');
    const out = await expandMentions('check @src/a.ts @src @bin.dat @../etc/passwd @missing.ts', dir);
    expect(out).toContain('<file path="src/a.ts">\nconst a = 1;\n</file>');
    expect(out).toContain('<folder path="src/">\na.ts\n</folder>');
    expect(out).toContain('(binary file, 3 bytes, not attached)');
    expect(out).not.toContain('passwd"');
    expect(out).not.toContain('missing.ts"');
  });

  it('leaves a message without mentions alone', async () => {
    expect(await expandMentions('plain text', tmp())).toBe('plain text');
  });
});

describe('PromptHistory', () => {
  it('persists entries (multi-line too), skipping blanks and repeats', () => {
    const file = path.join(tmp(), 'h', 'p.jsonl');
    const h = new PromptHistory(file).load();
    h.add('one');
    h.add('one');
    h.add('  ');
    h.add('two\nlines');
    expect(new PromptHistory(file).load().entries).toEqual(['one', 'two\nlines']);
  });

  it('survives a torn last line', () => {
    const file = path.join(tmp(), 'p.jsonl');
    writeFileSync(file, '"ok"\n"torn');
    expect(new PromptHistory(file).load().entries).toEqual(['ok']);
  });

  it('keeps one file per project under the data dir', () => {
    const a = PromptHistory.forProject('/data', '/home/me/app');
    expect(a.file).toBe('/data/history/-home-me-app.jsonl');
  });
});

describe('custom commands', () => {
  it('reads project and user commands; the project wins a clash', async () => {
    const root = tmp();
    const config = tmp();
    write(path.join(root, '.glm', 'commands', 'review.md'), 'Review $ARGUMENTS carefully');
    write(path.join(config, 'commands', 'review.md'), 'user review');
    write(path.join(config, 'commands', 'standup.md'), '# Write my standup\nfrom git log');
    const list = await loadCustomCommands(glmCommandFolders(root, config));
    expect(list.map((c) => [c.name, c.source, c.description])).toEqual([
      ['review', 'project', 'Review … carefully'],
      ['standup', 'user', 'Write my standup'],
    ]);
    expect(readFileSync(path.join(root, '.glm', 'commands', 'review.md'), 'utf8')).toContain('$ARGUMENTS');
  });

  it("reads Claude Code's .claude/commands too (the user's in ~/.claude/commands); .glm/commands wins a clash", async () => {
    const [root, config, home] = [tmp(), tmp(), tmp()];
    write(path.join(root, '.claude', 'commands', 'fix.md'), 'claude fix');
    write(path.join(root, '.claude', 'commands', 'plan.md'), 'claude plan');
    write(path.join(root, '.glm', 'commands', 'plan.md'), 'glm plan');
    write(path.join(home, '.claude', 'commands', 'mine.md'), 'my own');
    const list = await loadCustomCommands(commandFolders(root, config, home));
    expect(list.map((c) => [c.name, c.source, c.body])).toEqual([
      ['fix', 'project', 'claude fix'],
      ['mine', 'user', 'my own'],
      ['plan', 'project', 'glm plan'],
    ]);
    // At $HOME the project's .claude/commands is the user's own folder.
    expect((await loadCustomCommands(commandFolders(home, config, home))).map((c) => [c.name, c.source])).toEqual([['mine', 'user']]);
  });

  it('parses front matter and fills $ARGUMENTS', () => {
    const { description, body } = parseCommandFile('---\ndescription: "do it"\n---\nDo $ARGUMENTS now, $ARGUMENTS!');
    expect(description).toBe('do it');
    expect(expandCommand(body, 'x')).toBe('Do x now, x!');
    expect(expandCommand('No placeholder', 'extra')).toBe('No placeholder\n\nextra');
  });

  it("reads Claude Code's front matter: argument-hint, allowed-tools (a list or one line) and model", () => {
    const c = parseCommandFile('---\ndescription: Commit the work\nargument-hint: [message]\nallowed-tools: Bash(git add:*), Bash(git commit:*), Read\nmodel: glm-4.5-air\n---\nCommit with $ARGUMENTS');
    expect(c).toMatchObject({ description: 'Commit the work', argumentHint: '[message]', allowedTools: ['Bash(git add:*)', 'Bash(git commit:*)', 'Read'], model: 'glm-4.5-air' });
    expect(parseCommandFile('---\nallowed-tools: ["Read", "Grep"]\n---\nx').allowedTools).toEqual(['Read', 'Grep']);
    expect(parseCommandFile('Fix issue #$1 with $ARGUMENTS').description).toBe('Fix issue #… with …');
  });
});

