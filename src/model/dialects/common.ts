// Pieces every dialect shares: tool schemas, user/tool messages, the assistant tool_calls array, and the
// settings a body is built from. Imports only ../../types.ts; each dialect file composes these.

import type { AssistantMessage, Config, ImageData, Message, ModelRequest, ToolSchema, UserMessage } from '../../types.ts';

/** What a dialect needs besides the conversation: the request-shaping part of the Config. */
export type BodySettings = Pick<Config, 'model' | 'modelInfo' | 'thinking' | 'reasoningEffort' | 'maxTokens' | 'temperature'>;

export type Body = Record<string, unknown>;

/** Serialises one assistant turn; the only part that differs between dialects. */
export type AssistantSerialiser = (message: AssistantMessage) => Body;

export function toolsBody(tools: ToolSchema[]): Body[] {
  return tools.map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }));
}

export function toolCallsBody(message: AssistantMessage): Body[] | undefined {
  const calls = message.toolCalls ?? [];
  if (calls.length === 0) return undefined;
  return calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
}

export function messagesBody(request: ModelRequest, assistant: AssistantSerialiser, vision = false): Body[] {
  const out: Body[] = [];
  if (request.system !== '') out.push({ role: 'system', content: request.system });
  for (const m of request.messages) out.push(messageBody(m, assistant, vision));
  return out;
}

/**
 * A user message; its images as OpenAI content parts after the text (§14.1) when the model takes images. A
 * text-only model gets each image's description (vision routing, src/vision.ts), marked as one, or a note that
 * the image was left out: never an image part, which it would reject.
 */
export function userBody(m: UserMessage, vision: boolean): Body {
  if (!m.images?.length) return { role: 'user', content: m.content };
  const parts: Body[] = m.content ? [{ type: 'text', text: m.content }] : [];
  m.images.forEach((img, i) => parts.push(vision && img.data ? imagePart(img) : { type: 'text', text: imageStandIn(img, i + 1, vision) }));
  if (parts.every((p) => p.type === 'text')) return { role: 'user', content: parts.map((p) => p.text).join('\n\n') };
  return { role: 'user', content: parts };
}

const imagePart = (img: ImageData): Body => ({ type: 'image_url', image_url: { url: `data:${img.mediaType};base64,${img.data}` } });

/** What a text-only model reads in place of an image. */
export function imageStandIn(img: ImageData, n: number, vision = false): string {
  const label = `image ${n}: ${img.name} ${img.width}×${img.height}`;
  if (vision) return `[${label} was left out: its file is gone from the session folder.]`;
  if (img.description) return `[Description of ${label}, written by a vision model because you cannot see images]\n${img.description}\n[End of description]`;
  return `[${label} was left out: the current model cannot see images and no vision model described it. Tell the user if the task needs it.]`;
}

function messageBody(m: Message, assistant: AssistantSerialiser, vision: boolean): Body {
  switch (m.role) {
    case 'user':
      return userBody(m, vision);
    case 'tool':
      return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
    case 'assistant':
      return assistant(m);
  }
}

/** Assistant turn with `reasoning_content` always present (Z.ai and self-hosted servers). */
export const withReasoningContent: AssistantSerialiser = (m) => {
  const body: Body = { role: 'assistant', content: m.content, reasoning_content: m.reasoning ?? '' };
  const calls = toolCallsBody(m);
  if (calls) body.tool_calls = calls;
  return body;
};

/** The start every dialect shares: model, messages, tools + tool_choice "auto" only when there are tools. */
export function baseBody(request: ModelRequest, settings: BodySettings, assistant: AssistantSerialiser): Body {
  const body: Body = { model: settings.model, messages: messagesBody(request, assistant, settings.modelInfo.vision) };
  if (request.tools.length > 0) {
    body.tools = toolsBody(request.tools);
    body.tool_choice = 'auto';
  }
  body.stream = true;
  body.stream_options = { include_usage: true };
  return body;
}

/** Thinking on for this request? 'always' models cannot turn it off; 'none' models have no switch. */
export function thinkingOn(settings: BodySettings): boolean {
  return settings.modelInfo.thinking === 'always' || settings.thinking;
}

/** reasoning_effort only for models that accept it, and only when the user chose one. */
export function effortOf(settings: BodySettings): string | undefined {
  return settings.modelInfo.reasoningEffort && settings.reasoningEffort ? settings.reasoningEffort : undefined;
}

/** max_tokens then temperature (when set): the common tail of every body. */
export function addSampling(body: Body, settings: BodySettings): Body {
  body.max_tokens = settings.maxTokens;
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  return body;
}
