// The REPL's pending approvals: the session's approver queues requests, the store shows the first one, and the
// user's answer settles it (Esc denies them all). A call's abort signal withdraws its request. Imports no ink/react.
import type { UiStore } from './store.ts';
import type { ApprovalDecision, ApprovalRequest } from '../types.ts';

interface Pending {
  request: ApprovalRequest;
  resolve: (d: ApprovalDecision) => void;
}

export class ApprovalQueue {
  private pending: Pending[] = [];

  constructor(private readonly store: UiStore) {}

  get size(): number {
    return this.pending.length;
  }

  /** The session's approver: resolves with the user's answer, or a denial when the call is aborted first. */
  approver = (request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> =>
    new Promise((resolve) => {
      const entry = { request, resolve };
      this.pending.push(entry);
      if (this.pending.length === 1) this.store.dispatch({ type: 'approval_open', request });
      signal.addEventListener(
        'abort',
        () => {
          const i = this.pending.indexOf(entry);
          if (i < 0) return;
          this.pending.splice(i, 1);
          resolve({ decision: 'deny' });
          this.showNext();
        },
        { once: true },
      );
    });

  /** Answers the request on screen; false when there was none. */
  answer(decision: ApprovalDecision): boolean {
    const entry = this.pending.shift();
    if (!entry) return false;
    entry.resolve(decision);
    this.showNext();
    return true;
  }

  denyAll(): void {
    while (this.answer({ decision: 'deny' }));
  }

  private showNext(): void {
    const next = this.pending[0];
    this.store.dispatch(next ? { type: 'approval_open', request: next.request } : { type: 'approval_close' });
  }
}
