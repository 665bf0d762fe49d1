// Where an executable is on PATH (bwrap, socat, the clipboard tools). Node built-ins only.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** The absolute path of the executable `name` on PATH, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}
