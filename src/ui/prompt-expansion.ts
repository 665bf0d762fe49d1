// A typed prompt as the model gets it: images it names by path attached (a label line says which), @file
// contents and @server:uri resources inlined. A file or resource that cannot be read is a notice, not a failure.
// Imports no ink/react.
import type { ReplHost } from './host.ts';
import { expandMentions } from './mentions.ts';
import type { PromptImages } from './prompt-images.ts';
import { expandResourceMentions, isResourceMention } from './resource-mentions.ts';
import type { Tone } from './state.ts';
import type { ImageData } from '../types.ts';

export interface ExpandedPrompt {
  text: string;
  /** Images named by path (`@shot.png`), numbered after the `before` ones already attached. */
  images: ImageData[];
}

export async function expandPrompt(
  text: string,
  o: { host: ReplHost; images: PromptImages; before: number; signal: AbortSignal; notice: (text: string, tone: Tone) => void },
): Promise<ExpandedPrompt> {
  const mentioned = await o.images.fromMentions(text, o.before);
  if (mentioned.labels.length) o.notice(mentioned.labels.join(' '), 'dim');
  const labelled = mentioned.labels.length ? `${text}\n\n${mentioned.labels.join(' ')}` : text;
  return { text: await withAttachments(labelled, o), images: mentioned.images };
}

/** The prompt with its @file and @server:uri attachments; a resource that could not be read is a notice. */
async function withAttachments(text: string, o: { host: ReplHost; images: PromptImages; signal: AbortSignal; notice: (text: string, tone: Tone) => void }): Promise<string> {
  const resources = o.host.resources;
  const servers = resources?.servers() ?? [];
  const denied = o.host.readDenied?.bind(o.host);
  const withFiles = await expandMentions(text, o.host.config.cwd, (p) => isResourceMention(p, servers) || o.images.isImageMention(p), denied);
  if (!servers.length) return withFiles;
  const expanded = await expandResourceMentions(withFiles, resources, o.signal);
  for (const line of expanded.problems) o.notice(line, 'warn');
  return expanded.text;
}
