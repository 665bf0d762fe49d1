// Images in transcripts: stored once as files in the session's folder (`<id>/images/<hash>.png`), named by
// their content, and referenced from the JSONL lines instead of base64 in every line; read back on resume.
// Imports only types.ts and node built-ins (transcript.ts uses it).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentEvent, ImageData, Message } from './types.ts';

const EXT: Record<ImageData['mediaType'], string> = { 'image/png': 'png', 'image/jpeg': 'jpg' };

/** Writes each image's bytes to `folder/images/` (once per content) and returns the images without their data. */
export function storeImages(folder: string, images: readonly ImageData[]): ImageData[] {
  return images.map((img) => {
    if (!img.data) return img;
    const bytes = Buffer.from(img.data, 'base64');
    const name = `images/${createHash('sha256').update(bytes).digest('hex').slice(0, 20)}.${EXT[img.mediaType] ?? 'bin'}`;
    const file = path.join(folder, name);
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, bytes);
      renameSync(temp, file);
    }
    return { ...img, data: '', file: name };
  });
}

/** The images with their bytes read back; one whose file is gone keeps no data (sent as "left out"). */
export function loadImages(folder: string, images: readonly ImageData[]): ImageData[] {
  return images.map((img) => {
    if (img.data || !img.file || img.file.includes('..')) return img;
    const { file: _file, ...rest } = img;
    try {
      return { ...rest, data: readFileSync(path.join(folder, img.file)).toString('base64') };
    } catch {
      return rest;
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
