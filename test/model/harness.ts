// Shared helpers for the model-client tests: a client pointed at the fake server, event collection,
// and the recorded GLM fixtures (copied byte for byte from ../shared/fixtures/glm into ./fixtures).

import { readFileSync } from 'node:fs';
import { createModelClient, type ModelClientOptions } from '../../src/model/client.ts';
import type { Message, ModelEvent, ModelInfo, ModelRequest, ToolSchema } from '../../src/types.ts';
import type { FakeGlm } from '../support/fake-glm-server.ts';

export const HYBRID: ModelInfo = { contextWindow: 204800, maxOutput: 131072, thinking: 'hybrid', reasoningEffort: false, vision: false, known: true };

export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export function options(fake: FakeGlm, over: Partial<ModelClientOptions> = {}): ModelClientOptions {
  return {
    baseURL: fake.url,
    apiKey: 'test-key',
    model: 'glm-4.7',
    dialect: 'zai',
    provider: 'zai',
    modelInfo: HYBRID,
    thinking: true,
    maxTokens: 16384,
    idleTimeoutMs: 10_000,
    maxRetries: 3,
    retryBaseDelayMs: 1,
    ...over,
  };
}

export const clientFor = (fake: FakeGlm, over: Partial<ModelClientOptions> = {}) => createModelClient(options(fake, over));

export const weatherTool: ToolSchema = {
  name: 'weather',
  description: 'Get weather information for a location',
  parameters: { type: 'object', properties: { location: { type: 'string', description: 'the city' } }, required: ['location'] },
};

export function request(messages: Message[] | string, tools: ToolSchema[] = []): ModelRequest {
  const list: Message[] = typeof messages === 'string' ? [{ role: 'user', content: messages }] : messages;
  return { system: 'You are a coding agent.', messages: list, tools };
}

export async function collect(
  client: { stream(r: ModelRequest, s: AbortSignal): AsyncIterable<ModelEvent> },
  req: ModelRequest,
  signal: AbortSignal = new AbortController().signal,
): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const e of client.stream(req, signal)) events.push(e);
  return events;
}

/** The one terminal event (message_end or error); fails the test if there is not exactly one, last. */
export function terminal(events: ModelEvent[]): Extract<ModelEvent, { type: 'message_end' | 'error' }> {
  const ends = events.filter((e) => e.type === 'message_end' || e.type === 'error');
  if (ends.length !== 1 || ends[0] !== events.at(-1)) throw new Error(`expected exactly one terminal event, last; got ${JSON.stringify(events.map((e) => e.type))}`);
  return ends[0] as Extract<ModelEvent, { type: 'message_end' | 'error' }>;
}

export function ended(events: ModelEvent[]): Extract<ModelEvent, { type: 'message_end' }> {
  const end = terminal(events);
  if (end.type !== 'message_end') throw new Error(`expected message_end, got error: ${end.message}`);
  return end;
}

export function failed(events: ModelEvent[]): Extract<ModelEvent, { type: 'error' }> {
  const end = terminal(events);
  if (end.type !== 'error') throw new Error(`expected an error, got message_end: ${JSON.stringify(end.message)}`);
  return end;
}

export const texts = (events: ModelEvent[], type: 'text_delta' | 'thinking_delta'): string =>
  events.map((e) => (e.type === type ? e.text : '')).join('');
