// `!command`s and restored files the next prompt carries, so the model sees what the user saw: runs a `!command`
// through the host (shown as a Shell item) and keeps its block until the next prompt takes it. Imports no ink/react.
import type { ReplHost } from './host.ts';
import type { UiStore } from './store.ts';

/** Output of a `!command` the model gets: the end of it, as the user saw. */
const SHELL_CONTEXT_CHARS = 20_000;

export function shellBlock(command: string, r: { output: string; status: string }): string {
  const output = r.output.length > SHELL_CONTEXT_CHARS ? `… (cut)\n${r.output.slice(-SHELL_CONTEXT_CHARS)}` : r.output;
  return `<bash-input>${command}</bash-input>\n<bash-output status="${r.status}">\n${output}\n</bash-output>`;
}

export class ShellContext {
  /** Blocks gathered since the last prompt. */
  private blocks: string[] = [];
  private abort?: AbortController;

  constructor(
    private readonly host: ReplHost,
    private readonly store: UiStore,
  ) {}

  add(block: string): void {
    this.blocks.push(block);
  }

  /** Stops a `!command` still running (Esc). */
  stop(): void {
    this.abort?.abort();
  }

  /** `!command`: runs it as the user, shows its output, and keeps both for the next prompt. */
  async run(command: string): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    this.store.dispatch({ type: 'shell_start', command });
    try {
      const r = await this.host.runShell!(command, abort.signal);
      this.store.dispatch({ type: 'shell_result', ...r });
      this.blocks.push(shellBlock(command, r));
    } catch (err) {
      this.store.dispatch({ type: 'shell_result', output: err instanceof Error ? err.message : String(err), status: 'could not run', failed: true });
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }
  }

  /** The prompt with what happened since the last one in front of it (taken once). */
  wrap(prompt: string): string {
    if (!this.blocks.length) return prompt;
    const blocks = this.blocks.join('\n');
    this.blocks = [];
    const shells = blocks.startsWith('<bash-input>') ? 'The user ran these shell commands themselves (with !) before this message; the output is what they saw:\n' : '';
    return `${shells}${blocks}\n\n${prompt}`;
  }
}
