// Records undo snapshots for a live session: the `beforeWrite` the session hands its tools saves each file as it
// was before the prompt first changed it, and later notes what the session left it as (to spot outside changes).
// Imports only the undo store; never the loop, tools or a front end.
import { readFileSync } from 'node:fs';
import { currentHash, readIndex, readOrNull, saveBlob, writeIndex, type UndoIndex } from './store.ts';

/** Live recorders by store folder, so an undo in the same process sees writes that just happened. */
const live = new Map<string, UndoRecorder>();

export function settleLiveRecorder(dir: string): void {
  live.get(dir)?.settle();
}

export class UndoRecorder {
  /** Files written by a tool whose after-state is not recorded yet, with the turn that wrote them. */
  private pending = new Map<string, number>();
  private exitHook?: () => void;

  constructor(
    readonly dir: string,
    private readonly transcriptFile?: string,
  ) {}

  /** The `beforeWrite` for one prompt: the first write of each file in this prompt saves its previous content. */
  forPrompt(prompt: string): (absolutePath: string) => Promise<void> {
    let turn: number | undefined;
    return async (abs: string) => {
      this.settle();
      const index = readIndex(this.dir);
      turn ??= this.nextTurn(index);
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
      this.watchExit();
    };
  }

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
        counted = text.split('\n').filter((line) => line.includes('"event":{"type":"user_message"')).length;
      } catch {
        counted = 0;
      }
    }
    return counted > last ? counted : last + 1;
  }

  /** The last write of a run is settled when the process exits, so `glm undo` in another process can check it. */
  private watchExit(): void {
    live.set(this.dir, this);
    if (this.exitHook) return;
    this.exitHook = () => {
      try {
        this.settle();
      } catch {
        // exiting: a failed note only means outside changes to these files cannot be detected
      }
    };
    process.once('exit', this.exitHook);
  }
}
