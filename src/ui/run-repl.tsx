// Entry point of the interactive REPL (`glm` without -p): renders the app, opens the session in parallel so
// the prompt shows at once (after the project trust dialog, when there is one), and on exit prints how to
// resume. cli.ts imports this lazily (Ink loads only here).
import { render } from 'ink';
import { safeText } from '../terminal-text.ts';
import { App } from './app.tsx';
import type { UntrustedProject } from './components/trust-view.tsx';
import { coalescedWrites } from './coalesced-stdout.ts';
import { eraseReflowedFrame } from './ink-output/reflow.ts';
import { ReplController } from './controller.ts';
import type { ReplHost } from './host.ts';
import { loadMarkdown } from './markdown.ts';
import { themeFromEnv } from './theme.ts';
import type { Tone } from './state.ts';

/** An untrusted project's loosening to ask about before the session opens, and what to do with the answer. */
export interface TrustQuestion {
  project: UntrustedProject;
  /** Applies the answer to the host's config (the session opens after it) and returns a line to show. */
  decide(trust: boolean): { text: string; tone: Tone };
}

export interface RunReplOptions {
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
  trust?: TrustQuestion;
}

/** Runs the REPL until the user exits; resolves with the process exit code. */
export async function runRepl(host: ReplHost, o: RunReplOptions = {}): Promise<number> {
  const stdout = o.stdout ?? process.stdout;
  const stderr = o.stderr ?? process.stderr;
  const controller = new ReplController(host);
  const theme = themeFromEnv();
  let failure: string | undefined;
  // The session opens at once, or once the trust dialog is answered (the answer may change the host's config).
  const start = (trusted?: boolean) => {
    const open = async () => {
      if (o.trust && trusted !== undefined) controller.store.dispatch({ type: 'notice', ...o.trust.decide(trusted) });
      await controller.start();
    };
    open().catch((err: unknown) => {
      failure = err instanceof Error ? err.message : String(err);
      controller.exit(1);
    });
  };
  const trust = o.trust && { project: o.trust.project, answer: start };
  const inkStdout = coalescedWrites(stdout);
  const stopReflow = eraseReflowedFrame(stdout, inkStdout);
  const instance = render(<App controller={controller} theme={theme} trust={trust} />, {
    stdout: inkStdout,
    stdin: o.stdin ?? process.stdin,
    stderr,
    exitOnCtrlC: false,
    incrementalRendering: true,
    maxFps: 30,
  });
  if (!o.trust) start();
  // A closed terminal (SIGHUP) or SIGTERM ends the REPL like /exit: the turn aborted, shells and servers stopped.
  const signals = { SIGHUP: 129, SIGTERM: 143 } as const;
  const onSignal = (signal: keyof typeof signals) => controller.exit(signals[signal]);
  for (const s of Object.keys(signals) as (keyof typeof signals)[]) process.on(s, onSignal);
  // Markdown libraries load after the first paint, well before the first answer arrives.
  const preload = setTimeout(() => void loadMarkdown().catch(() => undefined), 30);
  const code = await controller.exited;
  for (const s of Object.keys(signals) as (keyof typeof signals)[]) process.off(s, onSignal);
  clearTimeout(preload);
  // Leave the conversation on screen but not the prompt box and status line.
  controller.store.dispatch({ type: 'exiting' });
  controller.store.flush();
  await instance.waitUntilRenderFlush();
  stopReflow();
  instance.unmount();
  await instance.waitUntilExit().catch(() => undefined);
  await controller.close().catch(() => undefined);
  if (failure) {
    stderr.write(`glm: ${safeText(failure)}\n`);
    return code;
  }
  const id = controller.sessionId;
  // A session nothing was said in (a fresh one after /clear) has nothing to resume.
  if (id && controller.resumable) stdout.write(`\nSession ${id}\nResume it with: glm --resume ${id}\n`);
  return code;
}
