// A drop-in for Ink's squashTextNodes (ink/build/squash-text-nodes.js), swapped in at bundle time by
// scripts/ink-output-plugin.mjs. Ink joins a text node's children, then strips control sequences by tokenizing
// every ANSI code of the result (sanitizeAnsi), for each text node, twice a frame (layout and output). Frames
// repeat the same texts (status line, prompt, the finished batch), so the joined text's clean form is cached.
// Same steps as Ink's otherwise; test/ui/squash-text-nodes.test.ts compares the two. Imports wrap-ansi, Ink's
// sanitizeAnsi and the cache only.
import sanitizeAnsi from 'ink-original-sanitize-ansi';
import wrapAnsi from 'wrap-ansi';
import { ForgetfulCache } from '../forgetful-cache.ts';

/** The parts of Ink's DOM node this reads. */
export interface TextNode {
  nodeName: string;
  nodeValue?: string;
  isHidden?: boolean;
  internal_transform?: (line: string, index: number) => string;
  childNodes?: TextNode[];
}

const cleaned = new ForgetfulCache<string, string>(512);

/** Ink's clean-up of joined text: line endings, control sequences, C1 controls as their ESC forms. */
const clean = (text: string): string =>
  cleaned.get(text, () =>
    sanitizeAnsi(text.replaceAll('\r\n', '\n'))
      .replaceAll('\u009B', '\u001B[')
      .replaceAll('\u009D', '\u001B]')
      .replaceAll('\u009C', '\u001B\\'),
  );

export default function squashTextNodes(node: TextNode): string {
  let text = '';
  for (const child of node.childNodes ?? []) {
    let childText = '';
    if (child.nodeName === '#text') {
      childText = child.nodeValue ?? '';
    } else {
      if (child.isHidden) continue;
      if (child.nodeName === 'ink-text' || child.nodeName === 'ink-virtual-text') childText = squashTextNodes(child);
      const transform = child.internal_transform;
      if (childText.length > 0 && typeof transform === 'function') {
        childText = childText
          .split('\n')
          .map((line, i) => transform(line, i))
          .join('\n');
      }
    }
    text += childText;
  }
  text = clean(text);
  // Tabs are expanded after joining, so measuring and drawing use the same columns.
  if (node.nodeName === 'ink-text' && text.includes('\t')) text = wrapAnsi(text, Infinity, { trim: false });
  return text;
}
