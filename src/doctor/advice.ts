// What to change on the server when `glm doctor` finds GLM's markup in the text: the tool-call and reasoning parser
// flags of vLLM, SGLang and llama.cpp for each GLM generation (../shared/glm-protocol.md §7.1, §7.9, §7.10).
// Pure strings; imports only ../types.ts.

import type { Dialect } from '../types.ts';

/** vLLM / SGLang parser family for a model id: glm45 for GLM-4.5/4.6, glm47 for GLM-4.7 and GLM-5.x. */
function parserFamily(model: string): 'glm45' | 'glm47' | undefined {
  const id = model.toLowerCase();
  if (/glm-?4\.[56]/.test(id)) return 'glm45';
  if (/glm-?4\.7|glm-?5/.test(id)) return 'glm47';
  return undefined;
}

const EITHER = 'glm45 (GLM-4.5/4.6) or glm47 (GLM-4.7, GLM-5)';

/** The server change that makes tool calls come back as structured `tool_calls`. */
export function toolParserFix(dialect: Dialect, model: string): string {
  const family = parserFamily(model) ?? EITHER;
  switch (dialect) {
    case 'vllm':
      return `restart vLLM with --tool-call-parser ${family} --reasoning-parser glm45 --enable-auto-tool-choice`;
    case 'sglang':
      return `restart SGLang with --tool-call-parser ${family} --reasoning-parser glm45`;
    case 'llamacpp':
      return 'restart llama-server with --jinja (if the GGUF template fails to parse, add --chat-template-file models/templates/GLM-4.6.jinja)';
    case 'ollama':
      return "update Ollama to a release that parses GLM tool calls (its glm46/glm47 parsers) and use the library's GLM model, not a community template";
    case 'openai-compatible':
      return `turn on the server's GLM tool-call parser (vLLM: --tool-call-parser ${family} --enable-auto-tool-choice; SGLang: --tool-call-parser ${family}; llama.cpp: --jinja)`;
    default:
      return 'the provider returned raw markup: glm-code recovers the calls, but report it to the provider';
  }
}

/** The server change that makes reasoning arrive in its own field instead of `<think>` tags in the content. */
export function reasoningParserFix(dialect: Dialect): string {
  switch (dialect) {
    case 'vllm':
      return 'restart vLLM with --reasoning-parser glm45';
    case 'sglang':
      return 'restart SGLang with --reasoning-parser glm45';
    case 'llamacpp':
      return 'restart llama-server with --jinja --reasoning-format deepseek';
    case 'ollama':
      return 'update Ollama to a release with native GLM support';
    case 'openai-compatible':
      return "turn on the server's reasoning parser (vLLM/SGLang: --reasoning-parser glm45; llama.cpp: --reasoning-format deepseek)";
    default:
      return 'nothing to change on your side: glm-code splits the tags';
  }
}

/** Why a request with tools can be rejected by a self-hosted server, and the fix. */
export function autoToolChoiceFix(dialect: Dialect, model: string): string | undefined {
  if (dialect === 'vllm' || dialect === 'openai-compatible') return toolParserFix('vllm', model);
  if (dialect === 'sglang') return toolParserFix('sglang', model);
  if (dialect === 'llamacpp') return toolParserFix('llamacpp', model);
  return undefined;
}
