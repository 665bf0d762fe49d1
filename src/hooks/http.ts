// Runs one `http` hook as Claude Code does: the payload POSTed as JSON to the configured URL (the only place it
// goes), headers filled from allowed variables, the hook's timeout, no redirects followed. A 2xx body is read like a
// command's stdout (capped); another status, a redirect or a failed connection is a non-blocking error. Never throws.
// Imports hook-kinds and types only.
import type { HttpHookSpec } from '../types.ts';
import { expandHeaders } from './hook-kinds.ts';
import type { RawRun } from './run.ts';

/** What a response body may add beyond this is dropped, as for a command's stdout. */
const MAX_BODY = 256 * 1024;

export interface HttpRunOptions {
  /** The variables headers may use (command-env.ts: no provider keys). */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal: AbortSignal;
}

export async function runHttpHook(spec: HttpHookSpec, input: string, o: HttpRunOptions): Promise<RawRun> {
  const started = Date.now();
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = AbortSignal.any([o.signal, timeout]);
  const done = (r: Partial<RawRun>): RawRun => ({ exitCode: null, stdout: '', stderr: '', timedOut: timeout.aborted, aborted: o.signal.aborted && !timeout.aborted, durationMs: Date.now() - started, ...r });
  try {
    const headers = { ...expandHeaders(spec.headers, spec.allowedEnvVars, o.env), 'content-type': 'application/json' };
    const res = await fetch(spec.url, { method: 'POST', headers, body: input, redirect: 'manual', signal });
    const body = await readCapped(res, signal);
    if (res.status >= 300 && res.status < 400) return done({ failure: `HTTP ${res.status}: glm does not follow a hook's redirects`, stderr: body });
    if (res.status < 200 || res.status >= 300) return done({ failure: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, stderr: body });
    return done({ exitCode: 0, stdout: body });
  } catch (e) {
    if (signal.aborted) return done({});
    return done({ failure: `the request failed: ${reason(e)}` });
  }
}

async function readCapped(res: Response, signal: AbortSignal): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (text.length < MAX_BODY) {
    if (signal.aborted) break;
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => undefined);
  return text.slice(0, MAX_BODY);
}

function reason(e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : undefined;
  return cause ?? (e instanceof Error ? e.message : String(e));
}
