// Memory files in real temp folders: personal rules, each folder from the git root down to cwd (AGENTS.md,
// else GLM.md, else CLAUDE.md), @path mentions (inside the project only, for project files), /memory's
// summary, and `# note` appends to the file in use.
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendNote, formatMemorySummary, loadMemoryFiles, MAX_MEMORY_BYTES, memorySummary, mentions } from '../../src/memory.ts';
import { promptMemory, renderSystemPrompt } from '../../src/prompt.ts';

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'glm-memory-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
  return root;
}

describe('loadMemoryFiles', () => {
  it('loads personal rules, then each folder from the project root down to cwd, with fallbacks per folder', async () => {
    const root = await tree({
      'home/.config/glm-code/AGENTS.md': 'personal: use British spelling',
      'repo/AGENTS.md': 'root rules',
      'repo/CLAUDE.md': 'ignored: AGENTS.md wins in this folder',
      'repo/packages/CLAUDE.md': 'package rules',
      'repo/packages/web/GLM.md': 'web rules',
      'repo/other/AGENTS.md': 'not on the way to cwd',
    });
    const files = await loadMemoryFiles({
      cwd: path.join(root, 'repo/packages/web'),
      projectRoot: path.join(root, 'repo'),
      configDir: path.join(root, 'home/.config/glm-code'),
      home: path.join(root, 'home'),
    });
    expect(files.map((f) => [f.path, f.kind, f.content])).toEqual([
      ['~/.config/glm-code/AGENTS.md', 'user', 'personal: use British spelling'],
      ['AGENTS.md', 'project', 'root rules'],
      ['packages/CLAUDE.md', 'project', 'package rules'],
      ['packages/web/GLM.md', 'project', 'web rules'],
    ]);
    // The system prompt names each, most general first.
    const prompt = renderSystemPrompt({ tools: [], memory: promptMemory(files), env: { cwd: '/x', platform: 'linux', date: '2026-01-01' } });
    expect(prompt).toContain("# The user's personal instructions (~/.config/glm-code/AGENTS.md)\npersonal: use British spelling");
    expect(prompt.indexOf('root rules')).toBeLessThan(prompt.indexOf('web rules'));
  });

  it('includes files mentioned with @path (nested, once each), but not from code or outside the project', async () => {
    const root = await tree({
      'secret.txt': 'SECRET outside the project',
      'repo/AGENTS.md': [
        'See @docs/style.md and @./docs/style.md again.',
        'Not a mention: email me@example.com, `@docs/code.md` in code, @types/node, @../secret.txt',
        '```',
        '@docs/fenced.md',
        '```',
      ].join('\n'),
      'repo/docs/style.md': 'Style guide. More in @testing.md.',
      'repo/docs/testing.md': 'Testing guide, back to @style.md',
      'repo/docs/code.md': 'never included',
      'repo/docs/fenced.md': 'never included',
    });
    const repo = path.join(root, 'repo');
    const files = await loadMemoryFiles({ cwd: repo, projectRoot: repo });
    expect(files.map((f) => [f.path, f.kind, f.includedBy])).toEqual([
      ['AGENTS.md', 'project', undefined],
      ['docs/style.md', 'import', 'AGENTS.md'],
      ['docs/testing.md', 'import', 'docs/style.md'],
    ]);
    expect(files.some((f) => f.content.includes('SECRET'))).toBe(false);
    const prompt = renderSystemPrompt({ tools: [], memory: promptMemory(files), env: { cwd: '/x', platform: 'linux', date: '2026-01-01' } });
    expect(prompt).toContain('# docs/style.md (included by AGENTS.md)\nStyle guide.');
  });

  it('lets personal rules include files from home, and skips a project symlink that leads outside', async () => {
    const root = await tree({ 'home/notes/me.md': 'my notes', 'home/.config/glm-code/AGENTS.md': 'see @~/notes/me.md', 'repo/AGENTS.md': 'see @link.md' });
    await symlink(path.join(root, 'home/notes/me.md'), path.join(root, 'repo/link.md'));
    const files = await loadMemoryFiles({ cwd: path.join(root, 'repo'), projectRoot: path.join(root, 'repo'), configDir: path.join(root, 'home/.config/glm-code'), home: path.join(root, 'home') });
    expect(files.map((f) => f.path)).toEqual(['~/.config/glm-code/AGENTS.md', '~/notes/me.md', 'AGENTS.md']);
  });

  it('cuts a very large file and says where the rest is', async () => {
    const root = await tree({ 'AGENTS.md': 'x'.repeat(MAX_MEMORY_BYTES + 5000) });
    const [file] = await loadMemoryFiles({ cwd: root, projectRoot: root });
    expect(file.truncated).toBe(true);
    expect(file.bytes).toBe(MAX_MEMORY_BYTES + 5000);
    expect(file.content).toMatch(/cut at 40 KB; the whole file is .*AGENTS\.md\]$/);
  });

  it('finds mentions at line starts and after spaces or brackets only', () => {
    expect(mentions('@a.md, (@b/c.md) x@y.z `@d.md` @~/e.md.')).toEqual(['a.md', 'b/c.md', '~/e.md']);
  });
});

describe('/memory summary', () => {
  it('lists each loaded file with its size and token estimate', async () => {
    const root = await tree({ 'AGENTS.md': 'a'.repeat(2048) + '\n@more.md', 'more.md': 'b'.repeat(400) });
    const files = await loadMemoryFiles({ cwd: root, projectRoot: root });
    expect(memorySummary(files)).toMatchObject([
      { path: 'AGENTS.md', kind: 'project', bytes: 2057, tokens: expect.any(Number) },
      { path: 'more.md', kind: 'import', includedBy: 'AGENTS.md', bytes: 400, tokens: 100 },
    ]);
    const text = formatMemorySummary(files);
    expect(text).toContain('AGENTS.md  2.0 KB');
    expect(text).toContain('more.md  400 B, ~100 tokens (included by AGENTS.md)');
    expect(text).toMatch(/2 files, ~\d+ tokens in every request\.$/);
    expect(formatMemorySummary([])).toMatch(/No memory files loaded/);
  });
});

describe('appendNote', () => {
  it("creates AGENTS.md when the project has none, and appends bullets", async () => {
    const root = await tree({});
    expect(await appendNote(root, '# use pnpm, not npm')).toBe(path.join(root, 'AGENTS.md'));
    await appendNote(root, 'tests live in spec/\nrun them with pnpm test');
    expect(await readFile(path.join(root, 'AGENTS.md'), 'utf8')).toBe('- use pnpm, not npm\n- tests live in spec/\n  run them with pnpm test\n');
  });

  it('appends to the memory file in use, so a new AGENTS.md cannot hide CLAUDE.md', async () => {
    const root = await tree({ 'CLAUDE.md': '# Rules\nBe brief.' });
    expect(await appendNote(root, 'never push')).toBe(path.join(root, 'CLAUDE.md'));
    expect(await readFile(path.join(root, 'CLAUDE.md'), 'utf8')).toBe('# Rules\nBe brief.\n- never push\n');
    await expect(appendNote(root, '#  ')).rejects.toThrow(/empty/);
  });
});
