// A project's memory files must really be in the project (or the user's config folder): links and linked folders
// leading elsewhere are left out with a one-line notice naming the file and why; so are FIFOs and other non-files,
// without hanging. Links inside the project, and the user's own AGENTS.md wherever it links, still load.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMemoryFiles } from '../../src/memory.ts';

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'glm-memory-links-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
  return root;
}

async function load(root: string, cwd = 'repo') {
  const notices: string[] = [];
  const files = await loadMemoryFiles({
    cwd: path.join(root, cwd),
    projectRoot: path.join(root, 'repo'),
    configDir: path.join(root, 'home/.config/glm-code'),
    home: path.join(root, 'home'),
    notice: (text) => notices.push(text),
  });
  return { files: files.map((f) => [f.path, f.content]), notices };
}

describe('memory file containment', () => {
  it('leaves out an AGENTS.md linking outside the project, says so, and falls back to the next name', async () => {
    const root = await tree({ 'home/.ssh/id_rsa': 'PRIVATE KEY', 'repo/CLAUDE.md': 'claude rules' });
    await symlink(path.join(root, 'home/.ssh/id_rsa'), path.join(root, 'repo/AGENTS.md'));
    const { files, notices } = await load(root);
    expect(files).toEqual([['CLAUDE.md', 'claude rules']]);
    expect(notices).toEqual(['AGENTS.md not loaded: it resolves to ~/.ssh/id_rsa, outside the project']);
  });

  it('leaves out a memory file under a linked folder that leads outside', async () => {
    const root = await tree({ 'elsewhere/AGENTS.md': 'SECRET rules from elsewhere', 'repo/AGENTS.md': 'root rules' });
    await symlink(path.join(root, 'elsewhere'), path.join(root, 'repo/pkg'));
    const { files, notices } = await load(root, 'repo/pkg');
    expect(files).toEqual([['AGENTS.md', 'root rules']]);
    expect(notices).toEqual([`pkg/AGENTS.md not loaded: it resolves to ${path.join(root, 'elsewhere/AGENTS.md')}, outside the project`]);
  });

  it('loads links that stay inside the project or lead into the user config folder', async () => {
    const root = await tree({
      'repo/docs/agents.md': 'shared rules',
      'repo/pkg/.keep': '',
      'home/.config/glm-code/team.md': 'my team rules',
    });
    await symlink('docs/agents.md', path.join(root, 'repo/AGENTS.md'));
    await symlink(path.join(root, 'home/.config/glm-code/team.md'), path.join(root, 'repo/pkg/CLAUDE.md'));
    const { files, notices } = await load(root, 'repo/pkg');
    expect(files).toEqual([['AGENTS.md', 'shared rules'], ['pkg/CLAUDE.md', 'my team rules']]);
    expect(notices).toEqual([]);
  });

  it("loads the user's own AGENTS.md wherever it links (their dotfiles)", async () => {
    const root = await tree({ 'home/dotfiles/AGENTS.md': 'personal rules' });
    await mkdir(path.join(root, 'home/.config/glm-code'), { recursive: true });
    await mkdir(path.join(root, 'repo'));
    await symlink(path.join(root, 'home/dotfiles/AGENTS.md'), path.join(root, 'home/.config/glm-code/AGENTS.md'));
    expect((await load(root)).files).toEqual([['~/.config/glm-code/AGENTS.md', 'personal rules']]);
  });

  it('leaves out a FIFO (without hanging) and a folder named like a memory file', async () => {
    const root = await tree({ 'repo/GLM.md': 'glm rules', 'repo/sub/CLAUDE.md/.keep': '' });
    execFileSync('mkfifo', [path.join(root, 'repo/AGENTS.md')]);
    const { files, notices } = await load(root, 'repo/sub');
    expect(files).toEqual([['GLM.md', 'glm rules']]);
    expect(notices).toEqual(['AGENTS.md not loaded: it is not a regular file (a FIFO)', 'sub/CLAUDE.md not loaded: it is not a regular file (a folder)']);
  });
});
