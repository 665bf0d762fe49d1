import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { builtinTools, toolSchemas } from '../../tools/index.ts';

const tokens = (s: string) => Math.ceil(Buffer.byteLength(s) / 4);

describe('tool schemas sent to the model', () => {
  const schemas = toolSchemas(builtinTools);

  test('use Claude Code names, in a stable order', () => {
    expect(schemas.map((s) => s.name)).toEqual(['Bash', 'Glob', 'Grep', 'LS', 'Read', 'Edit', 'MultiEdit', 'Write', 'WebFetch', 'TodoWrite', 'WebSearch', 'BashOutput', 'KillShell']);
  });

  test('the whole tool set stays within 2,800 tokens (bytes/4)', () => {
    const rows = schemas.map((s) => ({ name: s.name, tokens: tokens(JSON.stringify(s)) }));
    const total = rows.reduce((a, r) => a + r.tokens, 0);
    console.log([...rows.map((r) => `${r.name.padEnd(11)} ${r.tokens}`), `${'total'.padEnd(11)} ${total}`].join('\n'));
    expect(total).toBeLessThanOrEqual(2800);
  });

  test('every parameter is described and no schema noise is sent', () => {
    for (const s of schemas) {
      const text = JSON.stringify(s.parameters);
      expect(text).not.toContain('$schema');
      expect(text).not.toContain('"additionalProperties":false');
      const props = s.parameters.properties as Record<string, { description?: string }>;
      for (const [name, p] of Object.entries(props)) {
        expect(p.description, `${s.name}.${name}`).toBeTruthy();
      }
    }
  });

  test('descriptions have no unfilled placeholders', () => {
    for (const s of schemas) expect(s.description).not.toMatch(/\{\{|\}\}/);
  });

  test('schemas accept what they advertise', () => {
    const grep = builtinTools.find((t) => t.name === 'Grep')!;
    expect(grep.schema.safeParse({ pattern: 'x', '-i': true, output_mode: 'count' }).success).toBe(true);
    expect(grep.schema.safeParse({ pattern: 'x', output_mode: 'lines' }).success).toBe(false);
    expect(z.toJSONSchema(grep.schema)).toBeTruthy();
  });

  test('snapshot', () => {
    expect(schemas).toMatchSnapshot();
  });
});
