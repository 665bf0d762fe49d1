// What a Session opens with: which transcript it goes on from (a new id, the one --resume/--continue names, or a
// fork's copy of it under a new id), locked to this process, its history restored; and its memory files,
// environment and system prompt. Imports no front end.
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { loadMemoryFiles, type MemoryFile } from './memory.ts';
import { promptMemory, readEnvironment, renderSystemPrompt, type Environment } from './prompt.ts';
import type { SessionOptions } from './session-options.ts';
import { lockSession, type SessionLock } from './session-lock.ts';
import { latestAnsweredSessionId, resolveSessionId, newSessionId, projectSessionsDir, restoreSession, type RestoredSession } from './transcript.ts';
import { emptyUsage } from './types.ts';

/** A session that cannot open; the message is one line for the user. */
export class SessionError extends Error {}

/** The session's id, its lock (held until close) and what its transcript restored (empty for a new one). */
export function findSession(o: SessionOptions): { id: string; restored: RestoredSession; lock: SessionLock } {
  const dir = projectSessionsDir(o.config.dataDir, o.config.projectRoot);
  let id = o.id ?? newSessionId();
  if (existsSync(path.join(dir, `${id}.jsonl`))) throw new SessionError(`Session id ${id} is already in use; pass --resume ${id} to go on with it.`);
  let restored: RestoredSession = { history: [], prompts: [], todos: [], usage: emptyUsage() };
  let wanted: string | undefined;
  if (o.resume) {
    if (o.resume === 'latest') wanted = latestAnsweredSessionId(dir);
    else {
      const resolved = resolveSessionId(dir, o.resume);
      if ('error' in resolved) throw new SessionError(`${resolved.error[0]!.toUpperCase()}${resolved.error.slice(1)}.`);
      wanted = resolved.id;
    }
    if (!wanted) throw new SessionError('No earlier session for this project to continue; run without --continue to start one.');
    if (!o.fork) id = wanted; // a fork (--fork-session) goes on under its new id
  }
  const lock = o.transcript === false ? { release: () => {} } : lockSession(path.join(dir, `${id}.jsonl`));
  if ('heldBy' in lock) {
    throw new SessionError(`session ${id} is in use by another glm process (pid ${lock.heldBy}); wait for it to end, or start a new session without --continue/--resume`);
  }
  if (wanted) {
    try {
      restored = restoreSession(path.join(dir, `${wanted}.jsonl`));
    } catch {
      lock.release();
      throw new SessionError(`No session "${wanted}" for this project; \`glm sessions\` lists them.`);
    }
    // A fork starts as a copy of the original's transcript, so resuming the fork later has the whole history.
    if (o.fork) copyFileSync(path.join(dir, `${wanted}.jsonl`), path.join(dir, `${id}.jsonl`));
  }
  return { id, restored, lock };
}

export interface SessionSetup {
  memory: MemoryFile[];
  system: string;
  /** One line per memory file left out, and why. */
  notices: string[];
  env: Environment;
}

/** Memory files and the system prompt rendered from them and the environment. */
export async function loadSetup(o: SessionOptions): Promise<SessionSetup> {
  const { config } = o;
  const notices: string[] = [];
  const [memory, env] = await Promise.all([
    loadMemoryFiles({ cwd: config.cwd, projectRoot: config.projectRoot, configDir: config.configDir, notice: (t) => notices.push(t) }),
    o.environment ?? readEnvironment(config.cwd),
  ]);
  const system = renderSystemPrompt({ tools: o.tools.names, memory: promptMemory(memory), env, extra: o.systemOverride, base: o.baseSystemPrompt });
  return { memory, system, notices, env };
}
