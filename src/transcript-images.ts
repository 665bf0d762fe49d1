// Images in transcripts: stored once as files in the session's folder (`<id>/images/<hash>.png`), named by
// their content, and referenced from the JSONL lines instead of base64 in every line; read back on resume, with
// the description vision routing made of it (`<hash>.txt` beside it), so neither resume nor compaction asks again.
// Imports only types.ts and node built-ins (transcript.ts uses it).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentEvent, ImageData, Message } from './types.ts';

const EXT: Record<ImageData['mediaType'], string> = { 'image/png': 'png', 'image/jpeg': 'jpg' };

const hashOf = (img: ImageData): string => createHash('sha256').update(Buffer.from(img.data, 'base64')).digest('hex').slice(0, 20);

function writeOnce(file: string, bytes: Buffer | string): void {
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, file);
}

/** Writes each image's bytes to `folder/images/` (once per content) and returns the images without their data. */
export function storeImages(folder: string, images: readonly ImageData[]): ImageData[] {
  return images.map((img) => {
    if (!img.data) return img;
    const name = `images/${hashOf(img)}.${EXT[img.mediaType] ?? 'bin'}`;
    writeOnce(path.join(folder, name), Buffer.from(img.data, 'base64'));
    return { ...img, data: '', file: name };
  });
}

/** Descriptions already on disk (an image object is described once). */
const described = new WeakSet<ImageData>();

/** Writes the description vision routing made of each image beside its file (`images/<hash>.txt`), once. */
export function storeDescriptions(folder: string, history: readonly Message[]): void {
  for (const m of history) {
    if (m.role !== 'user' || !m.images) continue;
    for (const img of m.images) {
      if (!img.description || !img.data || described.has(img)) continue;
      described.add(img);
      writeOnce(path.join(folder, 'images', `${hashOf(img)}.txt`), img.description);
    }
  }
}

const descriptionFile = (file: string): string => file.replace(/\.[a-z]+$/, '.txt');

/** The images with their bytes read back; one whose file is gone keeps no data (sent as "left out"). */
export function loadImages(folder: string, images: readonly ImageData[]): ImageData[] {
  return images.map((img) => {
    if (img.data || !img.file || img.file.includes('..')) return img;
    const { file: _file, ...rest } = img;
    let description: string | undefined;
    try {
      description = img.description ?? readFileSync(path.join(folder, descriptionFile(img.file)), 'utf8');
    } catch {
      // not described (a vision model saw it, or routing failed)
    }
    try {
      return { ...rest, ...(description && { description }), data: readFileSync(path.join(folder, img.file)).toString('base64') };
    } catch {
      return { ...rest, ...(description && { description }) };
    }
  });
}

/** The event as a transcript line stores it: a user message's images as files. */
export function eventForTranscript(folder: string, event: AgentEvent): AgentEvent {
  if (event.type !== 'user_message' || !event.images?.length) return event;
  return { ...event, images: storeImages(folder, event.images) };
}

/** A compacted history as a transcript record stores it: images as files. */
export function historyForTranscript(folder: string, history: readonly Message[]): Message[] {
  return history.map((m) => (m.role === 'user' && m.images?.length ? { ...m, images: storeImages(folder, m.images) } : m));
}

/** A history read from a transcript, with its images' bytes back. */
export function historyFromTranscript(folder: string, history: Message[]): Message[] {
  return history.map((m) => (m.role === 'user' && m.images?.length ? { ...m, images: loadImages(folder, m.images) } : m));
}
