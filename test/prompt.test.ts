// The system prompt as the model receives it, pinned for a fixed environment; memory file precedence.
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMemory, readEnvironment, renderSystemPrompt } from '../src/prompt.ts';
import { builtinTools } from '../tools/index.ts';

const env = { cwd: '/home/dev/project', platform: 'linux x64', date: '2026-11-23', git: 'branch main, clean' };

describe('system prompt', () => {
  it('renders the pinned prompt with guidance for the enabled tools, memory, and the environment last', async () => {
    const prompt = renderSystemPrompt({ tools: builtinTools.map((t) => t.name), memory: [{ path: 'AGENTS.md', content: 'Run `npm test` before you finish.' }], env });
    await expect(prompt).toMatchFileSnapshot('__snapshots__/system-prompt.md');
    expect(prompt.trimEnd().endsWith('- Git: branch main, clean')).toBe(true);
  });

  it('leaves out guidance for tools that are not enabled', () => {
    const prompt = renderSystemPrompt({ tools: ['Read', 'Grep'], memory: [], env });
    expect(prompt).toContain('Read files with Read');
    expect(prompt).not.toContain('Use Bash for tests');
    expect(prompt).not.toContain('Project instructions');
  });

  it('loads AGENTS.md, else GLM.md, else CLAUDE.md', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-mem-'));
    expect(await loadMemory(dir)).toEqual([]);
    await writeFile(path.join(dir, 'CLAUDE.md'), 'claude rules');
    expect(await loadMemory(dir)).toEqual([{ path: 'CLAUDE.md', content: 'claude rules' }]);
    await writeFile(path.join(dir, 'GLM.md'), 'glm rules');
    expect((await loadMemory(dir))[0].path).toBe('GLM.md');
    await writeFile(path.join(dir, 'AGENTS.md'), 'agent rules');
    expect((await loadMemory(dir))[0].path).toBe('AGENTS.md');
  });

  it('reads git branch and status, and leaves git out elsewhere', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-env-'));
    expect((await readEnvironment(dir)).git).toBeUndefined();
    const here = await readEnvironment(process.cwd());
    expect(here.git).toMatch(/^branch \S+, (clean|\d+ changed files?)$/);
  });

  it('names the branch before the first commit, counts a rename once, and shows a detached HEAD', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-git-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, stdio: 'pipe' });
    git('init', '-q', '-b', 'trunk');
    expect((await readEnvironment(dir)).git).toBe('branch trunk, clean');
    await writeFile(path.join(dir, 'a.txt'), 'a');
    await writeFile(path.join(dir, 'b.txt'), 'b');
    expect((await readEnvironment(dir)).git).toBe('branch trunk, 2 changed files');
    git('add', '.');
    git('commit', '-q', '-m', 'first');
    expect((await readEnvironment(dir)).git).toBe('branch trunk, clean');
    git('mv', 'a.txt', 'renamed.txt');
    await writeFile(path.join(dir, 'b.txt'), 'changed');
    await writeFile(path.join(dir, 'new file.txt'), 'new');
    expect((await readEnvironment(dir)).git).toBe('branch trunk, 3 changed files');
    git('checkout', '-q', '--detach');
    expect((await readEnvironment(dir)).git).toBe('branch HEAD, 3 changed files');
  });
});
