// `glm undo [turn] [--list] [--session id] [--force]`: restores the files a session changed since a turn, or lists
// the turns it can go back to. Needs no API key. Imports the undo API, config's project-root lookup and the
// transcript listing; never the loop or UI.
import path from 'node:path';
import { dataDirFromEnv, findProjectRoot } from '../config.ts';
import { projectSessionsDir, sessionIdsByAge } from '../transcript.ts';
import { rewindTranscript } from './rewind.ts';
import { listUndoPoints, undoTo, UndoError, UNDO_VERBS, type UndoPoint, type UndoScope } from './undo.ts';

export interface UndoOptions {
  list?: boolean;
  session?: string;
  force?: boolean;
  /** Also cut the session's conversation before that turn (a rewind the transcript records). */
  conversation?: boolean;
}

interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** The same folders config.ts derives; undo must work without a configured API key. */
export function undoScopeFromEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): UndoScope {
  return { dataDir: dataDirFromEnv(env), projectRoot: findProjectRoot(cwd) };
}

/** The newest session of the project that has something to undo (else the newest session at all). */
function pickSession(scope: UndoScope): string | undefined {
  const ids = sessionIdsByAge(projectSessionsDir(scope.dataDir, scope.projectRoot));
  return ids.find((id) => listUndoPoints(scope, id).length > 0) ?? ids[0];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describePoint(p: UndoPoint, cwd: string): string {
  const names = p.files.map((f) => path.relative(cwd, f) || f);
  const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')}, …` : names.join(', ');
  return `turn ${p.turn}  ${plural(p.files.length, 'file')} (${shown})  "${p.prompt}"`;
}

/** Returns the exit code: 0 done, 1 refused or nothing to undo, 2 bad arguments. */
export function runUndo(turnArg: string | undefined, opts: UndoOptions, out: Output, cwd = process.cwd()): number {
  const scope = undoScopeFromEnv(process.env, cwd);
  const sessionId = opts.session ?? pickSession(scope);
  if (!sessionId) {
    out.stderr('glm: no session in this project yet, so nothing to undo\n');
    return 1;
  }
  const points = listUndoPoints(scope, sessionId);
  if (opts.list) {
    out.stdout(points.length === 0 ? `Session ${sessionId} changed no files that can be undone.\n` : `Session ${sessionId}:\n`);
    for (const p of points) out.stdout(describePoint(p, cwd) + '\n');
    return 0;
  }
  let turn: number;
  if (turnArg !== undefined) {
    turn = Number(turnArg);
    if (!Number.isSafeInteger(turn) || turn < 1) {
      out.stderr(`glm: "${turnArg}" is not a turn number; \`glm undo --list\` shows them\n`);
      return 2;
    }
  } else {
    const last = points.at(-1);
    if (!last) {
      out.stderr(`glm: session ${sessionId} has no file changes left to undo\n`);
      return 1;
    }
    turn = last.turn;
  }
  return apply(scope, sessionId, turn, opts, out, cwd);
}

function apply(scope: UndoScope, sessionId: string, turn: number, opts: UndoOptions, out: Output, cwd: string): number {
  let result;
  try {
    result = undoTo(scope, sessionId, turn, { force: opts.force });
  } catch (err) {
    if (!(err instanceof UndoError)) throw err;
    out.stderr(`glm: ${err.message} \`glm undo --list\` shows what can be undone.\n`);
    return 1;
  }
  const rel = (f: string) => path.relative(cwd, f) || f;
  if (!result.ok) {
    for (const c of result.conflicts) out.stderr(`glm: ${rel(c.path)} was ${c.reason}; not undoing (use --force to overwrite it)\n`);
    out.stderr('glm: nothing was changed\n');
    return 1;
  }
  for (const f of result.files) out.stdout(`${UNDO_VERBS[f.action]}: ${rel(f.path)}\n`);
  out.stdout(`Back to before turn ${turn} of session ${sessionId}.\n`);
  if (opts.conversation) {
    const file = path.join(projectSessionsDir(scope.dataDir, scope.projectRoot), `${sessionId}.jsonl`);
    const cut = (() => {
      try {
        return rewindTranscript(file, turn);
      } catch {
        return false;
      }
    })();
    out.stdout(cut ? `The conversation is back to before turn ${turn} too: glm --continue goes on from there.\n` : `The conversation was not rewound: session ${sessionId} has no turn ${turn} in its transcript.\n`);
  }
  if (result.shellCommands.length > 0) {
    const shown = result.shellCommands.slice(0, 5).map((c) => `  ${c.split('\n')[0]}`).join('\n');
    out.stderr(`glm: the effects of shell commands run in those turns are not undone:\n${shown}${result.shellCommands.length > 5 ? '\n  …' : ''}\n`);
  }
  return 0;
}
