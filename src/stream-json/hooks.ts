// Hook callbacks a program registers in `initialize` (the Agent SDK's `hooks` option), as hooks of glm's hooks
// engine (src/hooks/): each callback id becomes a HookEntry with `callbackId`, run by asking the program with a
// `hook_callback` request; its answer is read like a command hook's JSON output. So every event glm fires works
// with callbacks, with the same decisions as settings-file hooks. Imports the channel and hook types only.
import { HOOK_EVENTS } from '../hooks/settings.ts';
import type { HookCallback } from '../hooks/runner.ts';
import type { RawRun } from '../hooks/run.ts';
import type { HookEntry, HookEventName } from '../types.ts';
import { ControlError, isObject, type ControlChannel } from './control.ts';

interface Matcher {
  matcher?: string;
  hookCallbackIds: string[];
  timeout?: number;
  onFailure?: 'continue' | 'block';
}

/** Where callback hooks say they come from (a hook_response event's `source`). */
export const CALLBACK_SOURCE = 'initialize (the program\'s hook callbacks)';

export class SdkHooks {
  readonly entries: HookEntry[] = [];
  private readonly skipped: string[] = [];

  constructor(
    registered: unknown,
    private readonly channel: ControlChannel,
  ) {
    if (!isObject(registered)) return;
    for (const [event, list] of Object.entries(registered)) {
      if (!(HOOK_EVENTS as readonly string[]).includes(event)) {
        this.skipped.push(`hook event ${event}: glm does not fire it; the callback never runs`);
        continue;
      }
      if (event === 'SessionEnd') {
        // The session ends once the program has closed glm's input: nobody could answer the callback any more.
        this.skipped.push('hook event SessionEnd: glm\'s session ends after the program closed its input, so the callback cannot be asked');
        continue;
      }
      if (!Array.isArray(list)) continue;
      for (const m of list.filter((m): m is Matcher => isObject(m) && Array.isArray(m.hookCallbackIds))) {
        for (const id of m.hookCallbackIds.filter((id) => typeof id === 'string')) {
          this.entries.push({
            event: event as HookEventName,
            matcher: typeof m.matcher === 'string' && m.matcher !== '*' ? m.matcher : '',
            command: `hook callback ${id}`,
            ...(typeof m.timeout === 'number' && m.timeout > 0 && { timeout: m.timeout }),
            ...(m.onFailure === 'block' && { failClosed: true }),
            file: CALLBACK_SOURCE,
            scope: 'user',
            callbackId: id,
          });
        }
      }
    }
  }

  /** One line per registered event whose callbacks never run, for the init line's unsupported list. */
  unsupported(): string[] {
    return this.skipped;
  }

  /** Asks the program: its answer is the run's JSON stdout; an error answer or a closed input a failed run. */
  readonly callback: HookCallback = async (hook, payload, { timeoutMs, signal }) => {
    const started = Date.now();
    const timeout = AbortSignal.timeout(timeoutMs);
    const ran = (r: Partial<RawRun>): RawRun => ({ exitCode: null, stdout: '', stderr: '', timedOut: false, aborted: false, ...r, durationMs: Date.now() - started });
    const toolUseId = typeof payload.tool_use_id === 'string' ? payload.tool_use_id : undefined;
    try {
      const answer = await this.channel.request({ subtype: 'hook_callback', callback_id: hook.callbackId, input: payload, ...(toolUseId && { tool_use_id: toolUseId }) }, AbortSignal.any([signal, timeout]));
      return ran({ exitCode: 0, stdout: JSON.stringify(answer) });
    } catch (err) {
      if (!(err instanceof ControlError)) throw err;
      if (timeout.aborted) return ran({ timedOut: true });
      if (signal.aborted) return ran({ aborted: true });
      return ran({ exitCode: 1, stderr: `the program answered with an error: ${err.message}` });
    }
  };
}
