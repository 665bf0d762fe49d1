// Usage split by the model that served each request: a request's own model gets what no other model served
// (Usage.byModel holds the parts of subagents on other models, the vision model, prompt hooks). For modelUsage in
// headless results. Imports types.ts only.
import { addUsage, emptyUsage, type Usage } from './types.ts';

/** `usage`, all of it marked as served by `model` (its parts served by others keep their own models). */
export function servedBy(model: string, usage: Usage): Usage {
  const own = ownShare(usage);
  const tagged: Usage = { ...usage, byModel: { ...usage.byModel } };
  tagged.byModel![model] = tagged.byModel![model] ? addUsage({ ...tagged.byModel![model]! }, own) : own;
  return tagged;
}

/** Each model's share of `total`, `main` getting what no other model served; the shares sum to `total`. */
export function usageByModel(total: Usage, main: string): Record<string, Usage> {
  const out: Record<string, Usage> = {};
  for (const [model, part] of Object.entries(total.byModel ?? {})) out[model] = { ...part };
  const own = ownShare(total);
  const hasOwn = own.inputTokens || own.outputTokens || own.cachedTokens || own.reasoningTokens || own.cost || !Object.keys(out).length;
  if (hasOwn) out[main] = out[main] ? addUsage(out[main], own) : own;
  return out;
}

/** What `usage` holds beyond its byModel parts (no byModel). */
function ownShare(usage: Usage): Usage {
  const parts = Object.values(usage.byModel ?? {}).reduce(addUsage, emptyUsage());
  const own: Usage = {
    inputTokens: usage.inputTokens - parts.inputTokens,
    outputTokens: usage.outputTokens - parts.outputTokens,
    cachedTokens: usage.cachedTokens - parts.cachedTokens,
    reasoningTokens: usage.reasoningTokens - parts.reasoningTokens,
  };
  if (usage.cost !== undefined) own.cost = usage.cost - (parts.cost ?? 0);
  return own;
}
