// An MCP tool's schema is cleaned once, the same for every dialect, and each dialect sends it as cleaned. Why the
// same: no provider glm speaks to rejects a keyword the others accept once $schema, $id and $comment are gone
// (src/mcp/schema.ts). Z.ai, OpenRouter, vLLM and SGLang take the schema as given (it only reaches the chat
// template; glm never forces a tool, so no grammar is built from it); Ollama keeps the fields it knows and drops
// the rest without an error (type arrays such as ["string", "null"] are accepted since ollama/ollama#9434, April
// 2025; an older Ollama answered 400); llama.cpp with --jinja passes it to the template. A provider found to reject
// more gets its own cleaning here, and this test changes with it.
import { describe, expect, it } from 'vitest';
import { serverTools } from '../../src/mcp/tools.ts';
import { buildRequestBody } from '../../src/model/dialects/index.ts';
import { lookupModel } from '../../src/providers.ts';
import type { Dialect } from '../../src/types.ts';

/** Every dialect: a Record so that tsc fails here when one is added. */
const DIALECTS: Record<Dialect, true> = { zai: true, openrouter: true, vllm: true, sglang: true, ollama: true, llamacpp: true, 'openai-compatible': true };

/** What real servers send: a draft-07 zod-to-json-schema output with a nullable union, a $ref and formats. */
const serverSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    path: { type: 'string', description: 'File path', $comment: 'absolute' },
    limit: { type: ['integer', 'null'], minimum: 1 },
    mode: { anyOf: [{ type: 'string', enum: ['fast', 'full'] }, { type: 'null' }], default: null },
    since: { type: 'string', format: 'date-time' },
    filter: { $ref: '#/$defs/filter' },
  },
  required: ['path'],
  additionalProperties: false,
  $defs: { filter: { $id: 'urn:filter', type: 'object', properties: { tag: { type: 'string' } } } },
};

const cleaned = {
  type: 'object',
  properties: {
    path: { type: 'string', description: 'File path' },
    limit: { type: ['integer', 'null'], minimum: 1 },
    mode: { anyOf: [{ type: 'string', enum: ['fast', 'full'] }, { type: 'null' }], default: null },
    since: { type: 'string', format: 'date-time' },
    filter: { $ref: '#/$defs/filter' },
  },
  required: ['path'],
  additionalProperties: false,
  $defs: { filter: { type: 'object', properties: { tag: { type: 'string' } } } },
};

describe('MCP tool schemas per dialect', () => {
  const { schemas } = serverTools('fs', [{ name: 'read', description: 'Read a file', inputSchema: serverSchema }], async () => ({}));
  const settings = { model: 'glm-5.2', modelInfo: lookupModel('glm-5.2'), thinking: true, maxTokens: 1000 };

  for (const dialect of Object.keys(DIALECTS) as Dialect[]) {
    it(`${dialect} sends the one cleaned schema`, () => {
      const body = buildRequestBody(dialect, { system: '', messages: [{ role: 'user', content: 'hi' }], tools: schemas }, settings);
      expect(body.tools).toEqual([{ type: 'function', function: { name: 'mcp__fs__read', description: 'Read a file', parameters: cleaned } }]);
    });
  }
});
