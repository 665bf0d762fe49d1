// Holds the UI state and tells React when to re-render: streaming deltas are coalesced to at most one
// render per frame (FRAME_MS), other changes render on the next tick. Imports the reducer only: no ink/react.
import { reduce, type UiInput, type UiState } from './state.ts';

/**
 * Streaming renders at most 10 frames a second: still smooth to read, and each frame costs a React render,
 * an Ink layout and redraw of the whole live region and a terminal write (bench/repl-render.mjs: 15 fps cost
 * ~20% more CPU than 10, 30 fps ~50% more than 15). The final message, key presses and other changes
 * render at once, so the last word still lands within a few ms of the last chunk.
 */
export const FRAME_MS = 100;

/** Events that arrive per token or per output chunk: they never render on their own. */
const STREAMING = new Set(['text_delta', 'thinking_delta', 'tool_call_delta', 'tool_output']);

export class UiStore {
  private state: UiState;
  private readonly listeners = new Set<() => void>();
  private timer?: ReturnType<typeof setTimeout>;
  private lastNotify = 0;
  /** What the scrollback has written, dropped with the next change (so reporting it costs no render). */
  private written?: { epoch: number; count: number };

  constructor(
    initial: UiState,
    private readonly frameMs = FRAME_MS,
  ) {
    this.state = initial;
  }

  getState = (): UiState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispatch = (input: UiInput): void => {
    const base = this.written ? reduce(this.state, { type: 'static_flushed', ...this.written }) : this.state;
    const next = reduce(base, input);
    if (next === base) return;
    this.written = undefined;
    this.state = next;
    this.schedule(STREAMING.has(input.type) ? this.frameMs : 0);
  };

  /** The scrollback has written the first `count` finished items of generation `epoch`. */
  markWritten = (epoch: number, count: number): void => {
    if (epoch === this.state.epoch && count > 0) this.written = { epoch, count };
  };

  /** Renders now whatever is pending (tests, exit). */
  flush = (): void => {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastNotify = performance.now();
    for (const listener of this.listeners) listener();
  };

  private schedule(frameMs: number): void {
    const wait = Math.max(0, frameMs - (performance.now() - this.lastNotify));
    if (this.timer) {
      if (wait > 0) return; // a frame is already coming
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(this.flush, wait);
  }
}
