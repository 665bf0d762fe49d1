// Splits `<think>…</think>` reasoning out of content text, for whole responses and for streams, for servers that
// leave GLM's think tags in `content` (no reasoning parser, or GLM-4.7+ templates that open `<think>` in the prompt).
// Pure functions; imports nothing from the project.
//
// Rules (they follow vLLM's glm45 and glm47 reasoning-parser tests):
// * An opening `<think>` counts only at the very start (after optional whitespace). A `<think>` later in the
//   content is the model writing about tags, and stays content; after `</think>` everything is content.
// * `startsInThinking` (GLM-4.7+/5.x, whose template ends the prompt with `<think>`): text before `</think>` is
//   reasoning; with no `</think>` at all, all of it is reasoning.
// * Without `startsInThinking`: no leading `<think>` means all content. A leading `<think>` that is never closed is
//   content in `splitThink` (vLLM glm45 non-stream) but reasoning in the stream splitter (vLLM glm45 stream),
//   because a stream cannot take back text it has already shown as reasoning.
// * Text is kept verbatim (a newline after `</think>` stays in content); empty content is reported as absent.

const OPEN = '<think>';
const CLOSE = '</think>';

export interface ThinkSplitOptions {
  /** The generation prompt already opened `<think>`, so the output starts inside reasoning (GLM-4.7+). */
  startsInThinking?: boolean;
}

export interface ThinkSplit {
  reasoning?: string;
  content?: string;
}

const orUndefined = (text: string): string | undefined => (text === '' ? undefined : text);

/** Whole-text split. `reasoning` is present (possibly empty) whenever reasoning was delimited or assumed. */
export function splitThink(text: string, opts: ThinkSplitOptions = {}): ThinkSplit {
  const opener = /^\s*<think>/.exec(text);
  const body = opener ? text.slice(opener[0].length) : text;
  const close = body.indexOf(CLOSE);
  if (opts.startsInThinking) {
    if (close < 0) return { reasoning: body };
    return { reasoning: body.slice(0, close), content: orUndefined(body.slice(close + CLOSE.length)) };
  }
  if (!opener || close < 0) return { content: orUndefined(text) };
  return { reasoning: body.slice(0, close), content: orUndefined(body.slice(close + CLOSE.length)) };
}

export interface ThinkDelta {
  reasoning: string;
  content: string;
}

export interface ThinkSplitter {
  /** Feeds one chunk of content text; returns what can be shown now. */
  push(delta: string): ThinkDelta;
  /** Flushes what was held back (a partial tag that never completed). */
  end(): ThinkDelta;
}

type State = 'start' | 'reasoning' | 'content';

/** Length of the longest suffix of `text` that is a proper prefix of `tag` (a tag possibly split across chunks). */
export function partialTagSuffix(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}

/**
 * Streaming split. Content passes through at once; the only text held back is leading whitespace or a partial
 * `<think>` at the very start, and a partial `</think>` at the end of a reasoning chunk.
 */
export function createThinkSplitter(opts: ThinkSplitOptions = {}): ThinkSplitter {
  const startsInThinking = opts.startsInThinking ?? false;
  let state: State = 'start';
  let pending = '';

  function step(text: string, out: ThinkDelta): void {
    let buf = text;
    for (;;) {
      if (state === 'start') {
        const rest = buf.trimStart();
        if (rest.startsWith(OPEN)) {
          buf = rest.slice(OPEN.length);
          state = 'reasoning';
          continue;
        }
        if (OPEN.startsWith(rest)) {
          pending = buf; // only whitespace and maybe a partial `<think>` so far
          return;
        }
        state = startsInThinking ? 'reasoning' : 'content';
        continue;
      }
      if (state === 'reasoning') {
        const close = buf.indexOf(CLOSE);
        if (close >= 0) {
          out.reasoning += buf.slice(0, close);
          buf = buf.slice(close + CLOSE.length);
          state = 'content';
          continue;
        }
        const keep = partialTagSuffix(buf, CLOSE);
        out.reasoning += buf.slice(0, buf.length - keep);
        pending = buf.slice(buf.length - keep);
        return;
      }
      out.content += buf;
      pending = '';
      return;
    }
  }

  return {
    push(delta) {
      const out: ThinkDelta = { reasoning: '', content: '' };
      const text = pending + delta;
      pending = '';
      step(text, out);
      return out;
    },
    end() {
      const out: ThinkDelta = { reasoning: '', content: '' };
      if (state === 'reasoning' || (state === 'start' && startsInThinking)) out.reasoning = pending;
      else out.content = pending;
      pending = '';
      return out;
    },
  };
}
