// Which model a subagent runs on: `inherit`, a GLM model id, or Claude Code's `opus` / `sonnet` / `haiku` mapped
// to GLM models by the table below (the settings' "agents.modelAliases" overrides it); and Explore's default, the
// provider's fast GLM ("agents.exploreModel"). Pure: imports types only.
import type { Config, ProviderId } from '../types.ts';

/**
 * Claude Code's model names as GLM models, as Z.ai maps them for Claude Code on the Coding Plan: haiku is the
 * fast glm-4.5-air, sonnet and opus the flagship.
 */
export const MODEL_ALIASES: Readonly<Record<string, string>> = Object.freeze({ opus: 'glm-5.2', sonnet: 'glm-5.2', haiku: 'glm-4.5-air' });

/** Hosted providers serve glm-4.5-air; a self-hosted server serves the one model it was started with. */
const HOSTED: readonly ProviderId[] = ['zai', 'zai-coding', 'bigmodel', 'bigmodel-coding', 'openrouter'];

/** The model id a definition's `model` field means, or undefined for the parent's model. */
export function resolveAgentModel(model: string | undefined, config: Pick<Config, 'provider' | 'agents'>): string | undefined {
  const wanted = model?.trim();
  if (!wanted || wanted === 'inherit') return undefined;
  const aliases = { ...MODEL_ALIASES, ...config.agents?.modelAliases };
  const mapped = Object.hasOwn(aliases, wanted.toLowerCase()) ? aliases[wanted.toLowerCase()]! : wanted;
  if (mapped === 'inherit') return undefined;
  // Self-hosted servers run one model: an alias means "a model of that class", which is the one there is.
  if (!HOSTED.includes(config.provider) && Object.hasOwn(MODEL_ALIASES, wanted.toLowerCase()) && !config.agents?.modelAliases?.[wanted.toLowerCase()]) return undefined;
  return mapped;
}

/** Explore's model: the setting, else the provider's fast GLM, else (self-hosted) the parent's. */
export function exploreModel(config: Pick<Config, 'provider' | 'agents'>): string | undefined {
  if (config.agents?.exploreModel) return resolveAgentModel(config.agents.exploreModel, config);
  return HOSTED.includes(config.provider) ? resolveAgentModel('haiku', config) : undefined;
}
