// What the user sends while a turn runs, shown under the prompt until it goes: after the turn, queued commands run
// one by one and the messages up to the next command go together as one turn; Esc puts them back in the prompt.
// Imports no ink/react.
import type { UiStore } from './store.ts';
import type { ImageData } from '../types.ts';

export interface Queued {
  text: string;
  /** What the prompt showed (a long paste as its placeholder). */
  display: string;
  images?: ImageData[];
}

/** The next thing to run: a command line, or the queued messages before the next command, as one. */
export type NextQueued = { command: string } | { prompt: Queued & { images: ImageData[] } };

export class PromptQueue {
  private items: Queued[] = [];

  constructor(private readonly store: UiStore) {}

  add(q: Queued): void {
    this.set([...this.items, q]);
  }

  /** Esc: what was queued goes back to `restore` (as the prompt showed it), and the queue is empty. */
  restore(restore: ((text: string) => void) | undefined): void {
    if (!this.items.length) return;
    restore?.(this.items.map((q) => q.display).join('\n\n'));
    this.set([]);
  }

  /** Takes the next thing to run off the queue; undefined when it is empty. */
  next(): NextQueued | undefined {
    const [first, ...rest] = this.items;
    if (!first) return undefined;
    if (first.text.startsWith('/')) {
      this.set(rest);
      return { command: first.text };
    }
    const n = this.items.findIndex((q) => q.text.startsWith('/'));
    const batch = n < 0 ? this.items : this.items.slice(0, n);
    this.set(this.items.slice(batch.length));
    const join = (k: 'text' | 'display') => batch.map((q) => q[k]).join('\n\n');
    return { prompt: { text: join('text'), display: join('display'), images: batch.flatMap((q) => q.images ?? []) } };
  }

  private set(items: Queued[]): void {
    this.items = items;
    this.store.dispatch({ type: 'set_queue', queue: items.map((q) => q.display) });
  }
}
