// Picks the request-body builder for a dialect. Adding a dialect = one file + one line here.
// Imports only the dialect files and ../../types.ts.

import type { Dialect, ModelRequest } from '../../types.ts';
import type { Body, BodySettings } from './common.ts';
import { genericBody } from './generic.ts';
import { openrouterBody } from './openrouter.ts';
import { vllmBody } from './vllm.ts';
import { zaiBody } from './zai.ts';

export type { Body, BodySettings } from './common.ts';

const BUILDERS: Record<Dialect, (request: ModelRequest, settings: BodySettings) => Body> = {
  zai: zaiBody,
  openrouter: openrouterBody,
  vllm: vllmBody,
  sglang: vllmBody,
  ollama: genericBody,
  llamacpp: genericBody,
  'openai-compatible': genericBody,
};

/** The exact JSON body (minus nothing: `stream:true` included) sent for one request. */
export function buildRequestBody(dialect: Dialect, request: ModelRequest, settings: BodySettings): Body {
  return BUILDERS[dialect](request, settings);
}
