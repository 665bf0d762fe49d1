// Runs the built `glm` binary as a user would: a real child process in a temp git repository, with HOME
// and XDG folders of its own so nothing of the developer's setup leaks in.
import { execa, type ResultPromise } from 'execa';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const GLM_BIN = path.resolve(import.meta.dirname, '../../bin/glm.js');

export interface Sandbox {
  repo: string;
  home: string;
  env: Record<string, string>;
}

/** A temp git repo with the given files committed, and an isolated home. */
export async function makeSandbox(files: Record<string, string> = {}, baseUrl?: string): Promise<Sandbox> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'glm-e2e-'));
  const repo = path.join(root, 'repo');
  const home = path.join(root, 'home');
  await mkdir(repo, { recursive: true });
  await mkdir(home, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(repo, name)), { recursive: true });
    await writeFile(path.join(repo, name), content);
  }
  const git = (...args: string[]) => execa('git', args, { cwd: repo });
  await git('init', '-q', '-b', 'main');
  await git('-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '-A');
  await git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init', '--allow-empty');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    GLM_API_KEY: 'test-key-not-secret',
    LANG: 'C.UTF-8',
  };
  if (baseUrl) env.GLM_BASE_URL = baseUrl;
  return { repo, home, env };
}

export function runGlm(sb: Sandbox, args: string[], opts: { input?: string; env?: Record<string, string> } = {}): ResultPromise {
  return execa(process.execPath, [GLM_BIN, ...args], {
    cwd: sb.repo,
    env: { ...sb.env, ...opts.env },
    extendEnv: false,
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : undefined,
    reject: false,
    timeout: 30_000,
  });
}
