// Keeps the file tools off anything that is not a regular file or folder (FIFOs, sockets, devices such as
// /dev/zero or /dev/stdin), which would block a read or never end: checked before opening, and again on the
// opened descriptor so a swap in between cannot slip through. Imports no loop, session or UI.
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { diskPath } from '../src/paths.ts';

/** `a FIFO`, `a socket`, … for what is neither a regular file nor a folder; undefined for those two. */
export function specialKind(st: Stats): string | undefined {
  if (st.isFile() || st.isDirectory()) return undefined;
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'a special file';
}

/** The refusal the model reads, e.g. `p is a FIFO, not a regular file; glm does not read it.` */
export const notRegular = (shown: string, kind: string, verb = 'read'): string => `${shown} is ${kind}, not a regular file; glm does not ${verb} it.`;

/** Thrown by openRegular for a path that is not a regular file. */
export class NotRegularFileError extends Error {
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(`${path} is ${kind}, not a regular file`);
  }
}

/**
 * Opens a regular file for reading (following symlinks), or throws NotRegularFileError. The path is stat'ed first,
 * so a device is never opened at all; the open is non-blocking (a FIFO swapped in meanwhile cannot stall it) and
 * the descriptor is checked again. Regular files ignore O_NONBLOCK, so reads from the handle behave as usual.
 */
export async function openRegular(abs: string): Promise<FileHandle> {
  const before = specialKind(await stat(diskPath(abs)));
  if (before) throw new NotRegularFileError(abs, before);
  let fh: FileHandle;
  try {
    fh = await open(diskPath(abs), constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    // A socket swapped in cannot be opened at all.
    if ((err as NodeJS.ErrnoException).code === 'ENXIO') throw new NotRegularFileError(abs, 'a socket');
    throw err;
  }
  const st = await fh.stat();
  if (st.isFile()) return fh;
  await fh.close();
  throw new NotRegularFileError(abs, specialKind(st) ?? 'a directory');
}

/** The whole content of a regular file (see openRegular). */
export async function readRegular(abs: string): Promise<Buffer>;
export async function readRegular(abs: string, encoding: 'utf8'): Promise<string>;
export async function readRegular(abs: string, encoding?: 'utf8'): Promise<Buffer | string> {
  const fh = await openRegular(abs);
  try {
    const buf = await fh.readFile();
    return encoding ? buf.toString(encoding) : buf;
  } finally {
    await fh.close();
  }
}
