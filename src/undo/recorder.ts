// Records undo snapshots for a live session: the `beforeWrite` the session hands its tools saves each file as it
// was before the prompt first changed it, and when the tool call ends it notes what the session left the file as
// (so an outside change made later can be spotted). Imports only the undo store and types; no loop, tools or UI.
import { readFileSync } from 'node:fs';
import type { AgentEvent } from '../types.ts';
import { currentHash, readIndex, readOrNull, saveBlob, writeIndex, type UndoIndex } from './store.ts';

export class UndoRecorder {
  /** Files written by a tool whose after-state is not recorded yet, with the turn that wrote them. */
  private pending = new Map<string, number>();

  constructor(
    readonly dir: string,
    private readonly transcriptFile?: string,
  ) {}

  /** The `beforeWrite` for one prompt: the first write of each file in this prompt saves its previous content. */
  forPrompt(prompt: string): (absolutePath: string) => Promise<void> {
    let turn: number | undefined;
    return async (abs: string) => {
      try {
        this.snapshot(abs, prompt, (index) => (turn ??= this.nextTurn(index)));
      } catch (err) {
        throw new Error(`could not save an undo snapshot of ${abs} (${err instanceof Error ? err.message : String(err)}), so the file was not changed`);
      }
    };
  }

  private snapshot(abs: string, prompt: string, turnFor: (index: UndoIndex) => number): void {
    this.settle();
    const index = readIndex(this.dir);
    const turn = turnFor(index);
    let point = index.points.find((p) => p.turn === turn);
    if (!point) {
      point = { turn, prompt: prompt.split('\n')[0]!.slice(0, 200), at: new Date().toISOString(), files: [] };
      index.points.push(point);
    }
    if (!point.files.some((f) => f.path === abs)) {
      const content = readOrNull(abs);
      point.files.push({ path: abs, before: content === null ? null : saveBlob(this.dir, content) });
    }
    writeIndex(this.dir, index);
    this.pending.set(abs, turn);
  }

  /** Session listener: a tool call has ended, so its writes are done and their results can be recorded. */
  readonly onEvent = (event: AgentEvent): void => {
    if (event.type !== 'tool_end') return;
    try {
      this.settle();
    } catch {
      // Unreadable now: an outside change to these files cannot be detected, the snapshots still restore.
      this.pending.clear();
    }
  };

  /** Records what the session's writes left each pending file as. Writes are done by the time this runs. */
  settle(): void {
    if (this.pending.size === 0) return;
    const index = readIndex(this.dir);
    for (const [abs, turn] of this.pending) {
      const file = index.points.find((p) => p.turn === turn)?.files.find((f) => f.path === abs);
      if (file) file.after = currentHash(abs);
    }
    this.pending.clear();
    writeIndex(this.dir, index);
  }

  /**
   * The prompt number: user prompts in the transcript so far (the current one is already there), so numbers
   * match what the user saw and go on after a resume. Without a transcript: one more than the last point.
   */
  private nextTurn(index: UndoIndex): number {
    const last = index.points.reduce((max, p) => Math.max(max, p.turn), 0);
    let counted = 0;
    if (this.transcriptFile) {
      try {
        const text = readFileSync(this.transcriptFile, 'utf8');
        // The user's prompts only: not glm's own notes to the model (synthetic).
        counted = text.split('\n').filter((line) => line.includes('"event":{"type":"user_message"') && !line.includes('"synthetic":true')).length;
      } catch {
        counted = 0;
      }
    }
    return counted > last ? counted : last + 1;
  }
}
