// When glm's reader goes away (`glm sessions | head -1`): a write to a closed stdout or stderr (EPIPE) ends glm
// quietly with exit 0, as other command-line tools do, instead of an unhandled-error stack trace. quickExit
// still runs the 'exit' hooks (background shells are stopped there). Imports only ./quick-exit.ts.
import { quickExit } from './quick-exit.ts';

/** Ends the process quietly when one of `streams` finds its reader gone; any other stream error is thrown as before. */
export function endQuietlyWhenOutputCloses(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  let hungUp = false;
  for (const stream of streams) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') quickExit(0);
      // A terminal that hung up (EIO): the SIGHUP handlers end the run in order (transcript, children, servers) and
      // later writes go nowhere; with no handler left, glm ends as a hang-up would end it.
      if (err.code === 'EIO' || (hungUp && err.code === 'ERR_STREAM_DESTROYED')) {
        if (!hungUp && process.listenerCount('SIGHUP') === 0) quickExit(129);
        hungUp = true;
        return;
      }
      throw err;
    });
  }
}
