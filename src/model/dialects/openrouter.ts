// Request body for OpenRouter: unified `reasoning:{enabled}` switch, reasoning sent back as
// `reasoning_details` (glm-protocol.md §8). Imports only ./common.ts and ../../types.ts.

import type { AssistantMessage, ModelRequest } from '../../types.ts';
import { addSampling, baseBody, effortOf, thinkingOn, toolCallsBody, type Body, type BodySettings } from './common.ts';

function assistantBody(m: AssistantMessage): Body {
  const body: Body = { role: 'assistant' };
  const calls = toolCallsBody(m);
  // OpenRouter's own follow-up (F25) has no content key on a tools-only turn.
  if (m.content !== '' || !calls) body.content = m.content;
  if (calls) body.tool_calls = calls;
  if (m.reasoning) {
    body.reasoning_details = [{ type: 'reasoning.text', text: m.reasoning, format: 'unknown', index: 0 }];
  }
  return body;
}

export function openrouterBody(request: ModelRequest, settings: BodySettings): Body {
  const body = baseBody(request, settings, assistantBody);
  if (settings.modelInfo.thinking !== 'none') {
    const enabled = thinkingOn(settings);
    const effort = enabled ? effortOf(settings) : undefined;
    body.reasoning = effort !== undefined ? { enabled, effort, exclude: false } : { enabled, exclude: false };
  }
  return addSampling(body, settings);
}
