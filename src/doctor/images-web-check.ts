// The doctor's lines on images and the web: which model sees images (the main one, or the vision model that
// describes them for a text-only one) and where WebSearch's results come from, or what to set. Pure: no network;
// imports providers.ts, web-search.ts (names only) and the Check shape.
import { getProvider, lookupModel } from '../providers.ts';
import type { Config } from '../types.ts';
import { webSearchSource } from '../web-search.ts';
import type { Check } from './checks.ts';

export function visionCheck(config: Config): Check {
  const label = 'Images';
  if (config.modelInfo.vision) return { id: 'vision', label, status: 'pass', detail: `${config.model} takes images itself` };
  if (!config.visionModel) {
    return {
      id: 'vision',
      label,
      status: 'warn',
      detail: `${config.model} is text-only and no vision model is set: images are left out (the model is told)`,
      fix: 'set "visionModel" in settings (or GLM_VISION_MODEL) to a vision model this provider serves, e.g. glm-5v-turbo',
    };
  }
  const detail = `${config.model} is text-only: images are described by ${config.visionModel} (vision routing; "visionModel": "none" turns it off)`;
  if (lookupModel(config.visionModel).vision) return { id: 'vision', label, status: 'pass', detail };
  return { id: 'vision', label, status: 'warn', detail: `${detail}; ${config.visionModel} is not a model glm knows to take images`, fix: 'check the "visionModel" setting' };
}

export function webSearchCheck(config: Config): Check {
  const label = 'WebSearch';
  const source = webSearchSource(config);
  switch (source.kind) {
    case 'api':
      return { id: 'websearch', label, status: 'pass', detail: `${getProvider(config.provider).label.replace(/ API$/, '')} web search API (${config.baseURL.replace(/\/$/, '')}/web_search)` };
    case 'coding-plan':
      return { id: 'websearch', label, status: 'pass', detail: `the Coding Plan's web search MCP endpoint (${new URL(config.baseURL).origin}/api/mcp/web_search_prime/mcp), no set-up needed` };
    case 'mcp':
      return { id: 'websearch', label, status: 'pass', detail: `through ${source.name} (its tool with "search" in its name)` };
    case 'none':
      return { id: 'websearch', label, status: 'skip', detail: `none, so WebSearch is not offered: ${source.hint}` };
  }
}
