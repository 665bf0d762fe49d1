// Ctrl+G: edit the prompt in $VISUAL / $EDITOR (vi if neither is set) through a temp file.
// Runs the editor with the terminal handed over; imports no ink/react.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The edited text, or undefined when the editor failed (non-zero exit, not found). */
export function editExternally(text: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'glm-prompt-'));
  const file = path.join(dir, 'prompt.md');
  try {
    writeFileSync(file, text);
    const editor = env.VISUAL || env.EDITOR || 'vi';
    // The editor setting may carry arguments (`code --wait`), so it goes through the shell.
    const result = spawnSync(`${editor} ${JSON.stringify(file)}`, { stdio: 'inherit', shell: true, env });
    if (result.status !== 0) return undefined;
    return readFileSync(file, 'utf8').replace(/\n$/, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
