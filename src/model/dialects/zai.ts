// Request body for Z.ai / BigModel (pay-as-you-go and Coding Plan): an explicit allow-list, because Z.ai
// answers 1210 to unknown parameters. Imports only ./common.ts and ../../types.ts.

import type { ModelRequest } from '../../types.ts';
import { addSampling, baseBody, effortOf, thinkingOn, withReasoningContent, type Body, type BodySettings } from './common.ts';

export function zaiBody(request: ModelRequest, settings: BodySettings): Body {
  const body = baseBody(request, settings, withReasoningContent);
  if (request.tools.length > 0) body.tool_stream = true;
  if (settings.modelInfo.thinking !== 'none') {
    body.thinking = thinkingOn(settings) ? { type: 'enabled', clear_thinking: false } : { type: 'disabled' };
  }
  const effort = effortOf(settings);
  if (effort !== undefined) body.reasoning_effort = effort;
  return addSampling(body, settings);
}
