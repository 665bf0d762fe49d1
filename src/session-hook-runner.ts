// The lifecycle hooks of a session (src/hooks/), when any are configured: who the session is, where its hooks
// run (in its sandbox with sandbox.hooks), how callback and prompt hooks are asked. Imports no front end.
import { commandEnv } from './command-env.ts';
import { promptModel } from './hooks/prompt.ts';
import { HookRunner } from './hooks/runner.ts';
import { SessionHooks } from './hooks/session-hooks.ts';
import type { CommandSandbox } from './sandbox/sandbox.ts';
import type { SessionOptions } from './session-options.ts';
import type { AgentEvent, PermissionMode } from './types.ts';

/** What the hooks are told of the session, read at each run. */
export interface HookedSession {
  id: () => string;
  transcriptPath: () => string;
  permissionMode: () => PermissionMode;
  emit: (event: AgentEvent) => void;
  /** The session's sandbox (made after the hooks: read when a hook starts). */
  sandbox: () => CommandSandbox;
}

export function sessionHooks(o: SessionOptions, s: HookedSession): SessionHooks | undefined {
  const { config } = o;
  if (!config.hooks?.length) return undefined;
  const runner = new HookRunner({
    hooks: config.hooks,
    cwd: config.cwd,
    projectRoot: config.projectRoot,
    env: commandEnv(config),
    sessionId: s.id,
    transcriptPath: s.transcriptPath,
    permissionMode: s.permissionMode,
    emit: s.emit,
    // sandbox.hooks: hooks start inside the session's sandbox, as Bash does.
    // `show`: the transcripts a hook's payload names stay readable to it, read-only (glm's data folder is hidden).
    ...(config.sandbox?.hooks && {
      launch: (argv: string[], cwd: string, env: NodeJS.ProcessEnv, show?: string[]) => s.sandbox().launch(argv, cwd, env, show),
      ended: () => s.sandbox().ended(),
    }),
    callback: o.hookCallback,
    // A prompt hook's tokens arrive on its hook_response event (emit counts them).
    model: promptModel(config, o.clientFor, () => o.client),
  });
  return new SessionHooks(runner);
}
