// Refuses a prompt that cannot fit the model's context window before anything is sent (a whole log piped to
// `glm -p`). Imports only the token estimate and types.
import { estimateTokens } from './context/tokens.ts';
import type { Config } from './types.ts';

const thousands = (n: number): string => n.toLocaleString('en-US');

/** One line saying how big the prompt is and what fits, or undefined when it may fit. */
export function oversizedPrompt(prompt: string, config: Pick<Config, 'model' | 'modelInfo'>): string | undefined {
  const tokens = estimateTokens(prompt);
  const window = config.modelInfo.contextWindow;
  if (tokens <= window) return undefined;
  const bytes = Buffer.byteLength(prompt);
  return `the prompt is ${thousands(bytes)} bytes (about ${thousands(tokens)} tokens), more than ${config.model}'s context window of ${thousands(window)} tokens; send a part of it, or point glm at the file instead`;
}
