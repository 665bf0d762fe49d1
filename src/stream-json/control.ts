// The control side of the stream-json protocol: requests glm sends the client (can_use_tool, hook_callback),
// matched to their control_response lines by request_id, and glm's answers to the client's requests.
// Knows nothing of sessions; the driver decides what each request does.
import { randomUUID } from 'node:crypto';

export class ControlError extends Error {}

type Pending = { resolve: (body: Record<string, unknown>) => void; reject: (err: Error) => void };

export class ControlChannel {
  private pending = new Map<string, Pending>();
  private closed?: string;

  constructor(private readonly write: (line: unknown) => void) {}

  /** Sends a request and waits for its answer's body; rejects on an error answer, on abort, or once input ends. */
  request(request: Record<string, unknown>, signal?: AbortSignal): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new ControlError(this.closed));
    const requestId = randomUUID();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(requestId);
        this.write({ type: 'control_cancel_request', request_id: requestId });
        reject(new ControlError('cancelled'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(requestId, {
        resolve: (body) => (done(), resolve(body)),
        reject: (err) => (done(), reject(err)),
      });
      this.write({ type: 'control_request', request_id: requestId, request });
    });
  }

  /** A control_response line from the client. Answers to requests glm did not send (or gave up on) are ignored. */
  onResponse(line: { response?: { subtype?: string; request_id?: string; response?: unknown; error?: string } }): void {
    const r = line.response;
    const pending = r?.request_id === undefined ? undefined : this.pending.get(r.request_id);
    if (!r || !pending) return;
    this.pending.delete(r.request_id!);
    if (r.subtype === 'error') pending.reject(new ControlError(r.error || 'the client answered with an error'));
    else pending.resolve(isObject(r.response) ? r.response : {});
  }

  /** Input ended: nobody can answer any more. */
  close(reason: string): void {
    this.closed = reason;
    for (const p of this.pending.values()) p.reject(new ControlError(reason));
    this.pending.clear();
  }

  answer(requestId: string, response: Record<string, unknown> = {}): void {
    this.write({ type: 'control_response', response: { subtype: 'success', request_id: requestId, response } });
  }

  fail(requestId: string, error: string): void {
    this.write({ type: 'control_response', response: { subtype: 'error', request_id: requestId, error } });
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
