// The vitest lifecycle shared by the files that drive the built `glm` REPL in tmux: one fake GLM server and one
// private tmux server per file, a fresh sandbox repo per test, and the test's terminal killed after it.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startFakeGlm, type FakeGlm } from '../../support/fake-glm-server.ts';
import { GLM_BIN, makeSandbox, type Sandbox } from '../../support/run-glm.ts';
import { Tmux } from './tmux.ts';

export const READY = 'Ask anything';

export interface GlmTerminal {
  readonly fake: FakeGlm;
  readonly sb: Sandbox;
  /**
   * Starts `glm [args]` (the built one, or the script `bin`) in a cols×rows terminal and waits for its prompt (or
   * for the text `until`, e.g. a dialog shown before it). The previous terminal of the test, if any, is killed.
   */
  start(o?: { args?: string[]; cols?: number; rows?: number; env?: Record<string, string>; bin?: string; until?: string }): Promise<Tmux>;
}

/** Registers the hooks for this test file; `files` are committed in every test's sandbox repo. */
export function glmInTerminal(name: string, files: Record<string, string>): GlmTerminal {
  const socket = `glm-tty-${name}-${process.pid}`;
  let fake: FakeGlm | undefined;
  let sb: Sandbox | undefined;
  let term: Tmux | undefined;
  beforeAll(async () => {
    fake = await startFakeGlm();
  });
  afterAll(async () => {
    Tmux.killServer(socket);
    await fake?.close();
  });
  beforeEach(async () => {
    fake!.reset();
    sb = await makeSandbox(files, fake!.url);
  });
  afterEach(() => {
    term?.kill();
    term = undefined;
  });
  return {
    get fake() {
      return fake!;
    },
    get sb() {
      return sb!;
    },
    async start({ args = [], cols = 100, rows = 30, env = {}, bin = GLM_BIN, until = READY } = {}) {
      term?.kill();
      term = Tmux.start({ socket, command: [process.execPath, bin, ...args], cwd: sb!.repo, env: { ...sb!.env, TERM: 'xterm-256color', ...env }, cols, rows });
      await term.waitFor(until, { what: until === READY ? 'the prompt' : `"${until}"` });
      return term;
    },
  };
}
