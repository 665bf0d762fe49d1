// Turns the two observations of `glm doctor` (a thinking text probe and a no-thinking tool probe) into the checklist:
// endpoint, key, model, streaming, reasoning, tool calls, thinking toggle, context window. Pure; imports only
// ./advice.ts, ./probe.ts (types), the model's argument repair and ../types.ts.

import { repairArguments } from '../model/repair-arguments.ts';
import { getProvider, isSelfHosted } from '../providers.ts';
import type { Config } from '../types.ts';
import { autoToolChoiceFix, reasoningParserFix, toolParserFix } from './advice.ts';
import type { Observation, ServedModels } from './probe.ts';

type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface Check {
  id: 'endpoint' | 'key' | 'model' | 'streaming' | 'reasoning' | 'tools' | 'thinking' | 'context' | 'sandbox' | 'agents' | 'vision' | 'websearch';
  label: string;
  status: CheckStatus;
  detail: string;
  /** What to change, when something is wrong. */
  fix?: string;
}

export interface Probes {
  /** Thinking on, no tools. */
  text: Observation;
  /** Thinking off (when the model can), one trivial tool. */
  tool: Observation;
  /** What a self-hosted server lists at /models. */
  served?: ServedModels;
}

const MARKUP = /<\/?tool_call>|<arg_key>|<arg_value>/;
const ok = (o: Observation): boolean => o.status !== undefined && o.status >= 200 && o.status < 300;
const clip = (text: string, max = 100): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
};
const skip = (id: Check['id'], label: string, why: string): Check => ({ id, label, status: 'skip', detail: why });

function isModelMissing(o: Observation): boolean {
  const e = o.httpError;
  if (!e) return false;
  if (e.code === '1211' || e.code === '1311') return true;
  return (e.status === 404 || e.status === 400) && /model/i.test(e.message) && /not (exist|found|a valid|supported)|does not exist|unknown model|invalid model/i.test(e.message);
}

function endpointCheck(config: Config, p: Probes): Check {
  const label = 'Endpoint';
  const where = `${config.baseURL} (${config.provider})`;
  if (p.text.status !== undefined || p.tool.status !== undefined) return { id: 'endpoint', label, status: 'pass', detail: `${where} answered` };
  if (p.text.timedOut && p.tool.timedOut) {
    return { id: 'endpoint', label, status: 'fail', detail: `${where}: no answer before the time limit`, fix: 'the server is busy or stuck (a model still loading?): try again, or give it longer with --timeout 30' };
  }
  const transport = p.text.transportError ?? p.tool.transportError;
  if (transport?.includes('blocked port')) {
    return { id: 'endpoint', label, status: 'fail', detail: `${where}: ${transport}`, fix: 'serve on another port (e.g. 8000) and point glm-code at it with --base-url / GLM_BASE_URL' };
  }
  const fix = isSelfHosted(config.dialect)
    ? 'start the server, or point glm-code at it with --base-url / GLM_BASE_URL'
    : 'check the network, a proxy or firewall, and the base URL';
  return { id: 'endpoint', label, status: 'fail', detail: `${where}: ${p.text.transportError ?? p.tool.transportError ?? 'no answer'}`, fix };
}

function keyCheck(config: Config, p: Probes): Check {
  const label = 'API key';
  const present = config.apiKey ? 'set' : 'not set';
  const error = [p.text.httpError, p.tool.httpError].find((e) => e?.kind === 'auth' || e?.kind === 'quota');
  if (error?.kind === 'auth') {
    // The variable this provider reads its key from: OpenRouter's is OPENROUTER_API_KEY, not GLM_API_KEY.
    const variable = getProvider(config.provider).keyEnv[0] ?? 'GLM_API_KEY';
    const fix = config.apiKey ? `check the key for this provider (${variable})` : `this server wants a key: set ${variable}`;
    return { id: 'key', label, status: 'fail', detail: `${present}, rejected: ${error.message}`, fix };
  }
  if (error) return { id: 'key', label, status: 'fail', detail: `${present}, but ${error.message}` };
  if (!ok(p.text) && !ok(p.tool)) return skip('key', label, `${present}; not checked (the endpoint answered with an error)`);
  return { id: 'key', label, status: 'pass', detail: config.apiKey ? 'set and accepted' : `not set (${config.provider} does not need one)` };
}

function modelCheck(config: Config, p: Probes): Check {
  const label = 'Model';
  const missing = [p.text, p.tool].find(isModelMissing);
  const served = p.served?.ids;
  const listed = served?.includes(config.model) ?? true;
  if (missing || !listed) {
    const why = missing ? missing.httpError!.message : 'not in the list the server serves';
    const fix = served ? `pass --model ${served[0]} (served: ${served.slice(0, 5).join(', ')})` : 'pass a model this endpoint serves, e.g. --model glm-4.7';
    return { id: 'model', label, status: 'fail', detail: `${config.model}: ${why}`, fix };
  }
  if (ok(p.text)) return { id: 'model', label, status: 'pass', detail: `${config.model} accepted the request` };
  const rejected = p.text.httpError;
  if (rejected?.kind === 'bad_request') {
    return { id: 'model', label, status: 'fail', detail: `the request was rejected: ${rejected.message}`, fix: 'a parameter this endpoint does not take: try --provider openai-compatible, and report it' };
  }
  if (rejected && rejected.kind !== 'auth' && rejected.kind !== 'quota') {
    return { id: 'model', label, status: 'fail', detail: `the endpoint answered with an error: ${rejected.message}` };
  }
  return skip('model', label, `${config.model}; not checked`);
}

function streamingCheck(p: Probes): Check {
  const label = 'Streaming';
  const o = p.text;
  if (!ok(o)) return skip('streaming', label, 'not checked');
  if (o.chunks === 0) {
    const what = o.contentType?.includes('event-stream') ? 'no events arrived' : `the answer was not a stream (${o.contentType ?? 'no content type'})`;
    return { id: 'streaming', label, status: 'fail', detail: what, fix: 'use a server that streams OpenAI chat completions (stream: true)' };
  }
  const detail = `${o.chunks} events, first after ${o.firstByteMs ?? o.ms} ms`;
  if (o.corrupt > 0) return { id: 'streaming', label, status: 'warn', detail: `${detail}; ${o.corrupt} corrupt line(s) (glm-code retries such turns)` };
  return { id: 'streaming', label, status: 'pass', detail };
}

function reasoningCheck(config: Config, p: Probes): Check {
  const label = 'Reasoning';
  if (config.modelInfo.thinking === 'none') return skip('reasoning', label, `${config.model} does not reason`);
  const o = p.text;
  if (!ok(o) || o.chunks === 0) return skip('reasoning', label, 'not checked');
  const fields = [...o.reasoningFields];
  if (fields.length > 0) return { id: 'reasoning', label, status: 'pass', detail: `arrives in ${fields.join(' and ')}` };
  const fix = reasoningParserFix(config.dialect);
  if (/^\s*<think>/.test(o.content)) return { id: 'reasoning', label, status: 'warn', detail: 'arrives as <think>…</think> inside content (glm-code splits it)', fix };
  if (o.content.includes('</think>')) return { id: 'reasoning', label, status: 'warn', detail: 'arrives inside content, ended by </think> (glm-code splits it)', fix };
  if (!o.finishReason) return { id: 'reasoning', label, status: 'warn', detail: 'nothing arrived before the time limit' };
  return { id: 'reasoning', label, status: 'fail', detail: 'none arrived with thinking on', fix: isSelfHosted(config.dialect) ? fix : 'check that this model thinks on this endpoint' };
}

function toolArgs(args: string): { text: string; repaired: boolean } | undefined {
  try {
    JSON.parse(args || '{}');
    return { text: args || '{}', repaired: false };
  } catch {
    const fixed = repairArguments(args);
    return 'json' in fixed ? { text: fixed.json, repaired: true } : undefined;
  }
}

function toolsCheck(config: Config, p: Probes): Check {
  const label = 'Tool calls';
  const o = p.tool;
  if (o.httpError && ok(p.text)) {
    return { id: 'tools', label, status: 'fail', detail: `a request with tools was rejected: ${o.httpError.message}`, fix: autoToolChoiceFix(config.dialect, config.model) };
  }
  if (!ok(o)) return skip('tools', label, 'not checked');
  const call = o.toolCalls.find((c) => c?.name);
  if (call) {
    const args = toolArgs(call.arguments);
    if (!args) return { id: 'tools', label, status: 'fail', detail: `structured, but the arguments are not JSON: ${clip(call.arguments)}` };
    const shown = `${call.name} ${args.text}`;
    if (args.repaired) return { id: 'tools', label, status: 'warn', detail: `structured, arguments repaired by glm-code: ${clip(call.arguments)}` };
    return { id: 'tools', label, status: 'pass', detail: `structured tool_calls (${clip(shown)})` };
  }
  const where = MARKUP.test(o.content) ? 'content' : MARKUP.test(o.reasoning) ? 'reasoning' : undefined;
  if (where) {
    return { id: 'tools', label, status: 'fail', detail: `only raw <tool_call> markup in ${where} (glm-code recovers it, but streaming and reliability suffer)`, fix: toolParserFix(config.dialect, config.model) };
  }
  if (/^\s*get_weather\s*\n\s*\{/.test(o.content)) return { id: 'tools', label, status: 'warn', detail: 'written as GLM-4-0414 "name\\n{json}" text (glm-code reads it for glm-4-*-0414 and glm-z1 model ids)' };
  if (!o.finishReason) return { id: 'tools', label, status: 'warn', detail: 'no call arrived before the time limit' };
  return { id: 'tools', label, status: 'warn', detail: `the model answered without calling the test tool: "${clip(o.content || o.reasoning, 60)}"` };
}

function thinkingCheck(config: Config, p: Probes): Check {
  const label = 'Thinking toggle';
  if (config.modelInfo.thinking === 'always') return skip('thinking', label, `${config.model} always thinks (glm-code never sends "off")`);
  if (config.modelInfo.thinking === 'none') return skip('thinking', label, `${config.model} has no thinking mode`);
  const off = p.tool;
  if (!ok(off) || off.chunks === 0) return skip('thinking', label, 'not checked');
  const leaked = off.reasoning.trim() !== '' || /^\s*<think>\s*\S/.test(off.content) || /\S[\s\S]*<\/think>/.test(off.content);
  if (!leaked) return { id: 'thinking', label, status: 'pass', detail: 'honoured: no reasoning with thinking off' };
  if (config.dialect === 'ollama' || config.dialect === 'llamacpp' || config.dialect === 'openai-compatible') {
    return { id: 'thinking', label, status: 'warn', detail: `reasoning arrived with thinking off: the ${config.dialect} dialect has no switch glm-code can send` };
  }
  const fix =
    config.dialect === 'vllm' || config.dialect === 'sglang'
      ? "serve the model's official chat template (it reads chat_template_kwargs.enable_thinking)"
      : 'report it: the endpoint ignored the thinking switch';
  return { id: 'thinking', label, status: 'fail', detail: 'reasoning still arrived with thinking off', fix };
}

function contextCheck(config: Config, served?: ServedModels): Check {
  const check = (status: 'pass' | 'warn', detail: string, fix?: string): Check => ({ id: 'context', label: 'Context window', status, detail, ...(fix && { fix }) });
  const tokens = config.modelInfo.contextWindow.toLocaleString('en-US');
  const limit = served?.contextWindow;
  if (limit !== undefined && limit < config.modelInfo.contextWindow) {
    const detail = `the server allows ${limit.toLocaleString('en-US')} tokens, less than the ${tokens} glm-code plans for ${config.model}`;
    return check('warn', detail, `set "contextWindow": ${limit} in ~/.config/glm-code/settings.json (or, in a project you trust, .glm/settings.json or .glm/settings.local.json) so glm-code compacts in time, or start the server with a larger --max-model-len`);
  }
  if (limit !== undefined) return check('pass', `${tokens} tokens (the server allows ${limit.toLocaleString('en-US')})`);
  if (config.modelInfo.known) return check('pass', `${tokens} tokens (${config.model}, built-in table)`);
  return check('warn', `${tokens} tokens assumed: ${config.model} is not in glm-code's model table`);
}

const NOT_CHECKED = (): Check[] => [
  skip('model', 'Model', 'not checked'),
  skip('streaming', 'Streaming', 'not checked'),
  skip('reasoning', 'Reasoning', 'not checked'),
  skip('tools', 'Tool calls', 'not checked'),
  skip('thinking', 'Thinking toggle', 'not checked'),
  skip('context', 'Context window', 'not checked'),
];

/** The checklist when the settings name no usable endpoint or key: that check fails with the fix, nothing is probed. */
export function unconfigured(concerns: 'key' | 'endpoint', message: string): Check[] {
  if (concerns === 'endpoint') {
    return [{ id: 'endpoint', label: 'Endpoint', status: 'fail', detail: message }, skip('key', 'API key', 'not checked'), ...NOT_CHECKED()];
  }
  return [
    skip('endpoint', 'Endpoint', 'not checked (no request is sent without a key)'),
    { id: 'key', label: 'API key', status: 'fail', detail: message },
    ...NOT_CHECKED(),
  ];
}

export function evaluate(config: Config, p: Probes): Check[] {
  const endpoint = endpointCheck(config, p);
  if (endpoint.status === 'fail') {
    const rest: Check[] = [
      skip('key', 'API key', config.apiKey ? 'set; not checked' : 'not set; not checked'),
      skip('model', 'Model', `${config.model}; not checked`),
      skip('streaming', 'Streaming', 'not checked'),
      skip('reasoning', 'Reasoning', 'not checked'),
      skip('tools', 'Tool calls', 'not checked'),
      skip('thinking', 'Thinking toggle', 'not checked'),
    ];
    return [endpoint, ...rest, contextCheck(config, p.served)];
  }
  return [
    endpoint,
    keyCheck(config, p),
    modelCheck(config, p),
    streamingCheck(p),
    reasoningCheck(config, p),
    toolsCheck(config, p),
    thinkingCheck(config, p),
    contextCheck(config, p.served),
  ];
}
