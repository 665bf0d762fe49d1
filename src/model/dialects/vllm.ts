// Request body for self-hosted vLLM and SGLang: thinking through `chat_template_kwargs`, reasoning sent
// back as `reasoning_content` (glm-protocol.md §7.1). Imports only ./common.ts and ../../types.ts.

import type { ModelRequest } from '../../types.ts';
import { addSampling, baseBody, effortOf, thinkingOn, withReasoningContent, type Body, type BodySettings } from './common.ts';

export function vllmBody(request: ModelRequest, settings: BodySettings): Body {
  const body = baseBody(request, settings, withReasoningContent);
  if (settings.modelInfo.thinking !== 'none') {
    body.chat_template_kwargs = { enable_thinking: thinkingOn(settings), clear_thinking: false };
  }
  const effort = effortOf(settings);
  if (effort !== undefined) body.reasoning_effort = effort;
  return addSampling(body, settings);
}
