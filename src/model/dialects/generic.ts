// Request body for Ollama, llama.cpp and any other OpenAI-compatible server: no thinking switch (the
// server's own default applies), reasoning sent back as `reasoning_content`. Imports only ./common.ts, types.

import type { ModelRequest } from '../../types.ts';
import { addSampling, baseBody, effortOf, withReasoningContent, type Body, type BodySettings } from './common.ts';

export function genericBody(request: ModelRequest, settings: BodySettings): Body {
  const body = baseBody(request, settings, withReasoningContent);
  const effort = effortOf(settings);
  if (effort !== undefined) body.reasoning_effort = effort;
  return addSampling(body, settings);
}
