import { describe, expect, it } from 'vitest';
import { coerceArgumentStrings, repairArguments, schemaTypes } from '../../src/model/repair-arguments.ts';

/** The repaired object, or a failure that names the error. */
function repaired(raw: string): unknown {
  const result = repairArguments(raw);
  if ('error' in result) throw new Error(`expected a repair, got error: ${result.error}`);
  expect(result.repaired).toBe(true);
  expect(result.json).toBe(JSON.stringify(JSON.parse(result.json))); // compact
  return JSON.parse(result.json);
}

function failure(raw: string): string {
  const result = repairArguments(raw);
  if (!('error' in result)) throw new Error(`expected an error, got ${result.json}`);
  return result.error;
}

describe('repairArguments: nothing to repair', () => {
  it.each(['', '   ', '\n\t'])('empty or whitespace %j is {}', (raw) => {
    expect(repairArguments(raw)).toEqual({ json: '{}', repaired: false });
  });

  it.each([
    '{"city":"Beijing"}',
    '{"city": "Beijing", "days": 2}', // vLLM/SGLang spacing
    '{\n  "command": "ls -la"\n}',
    '{"path":"a.ts","content":"function f() { return \\"}{\\"; }"}',
    '{"greeting":"你好世界","emoji":"🎉"}',
  ])('a valid object comes back unchanged: %j', (raw) => {
    expect(repairArguments(raw)).toEqual({ json: raw, repaired: false });
  });
});

describe('repairArguments: duplicated arguments from a cumulative final delta (opencode#17315, #33064)', () => {
  it('takes one copy of {…}{…}', () => {
    expect(repaired('{"command":"ls -la","description":"List files"}{"command":"ls -la","description":"List files"}')).toEqual({
      command: 'ls -la',
      description: 'List files',
    });
  });

  it('takes one copy when the two copies differ only in spacing (streamed with ", " then compact)', () => {
    expect(repaired('{"city": "Beijing", "days": 2}{"city":"Beijing","days":2}')).toEqual({ city: 'Beijing', days: 2 });
  });

  it('takes the last complete object when it extends the first', () => {
    expect(repaired('{"city":"Beijing"}{"city":"Beijing","days":2}')).toEqual({ city: 'Beijing', days: 2 });
  });

  it('takes the complete copy after a cut-off one: {"city": "Bei{"city": "Beijing"}', () => {
    expect(repaired('{"city": "Bei{"city": "Beijing"}')).toEqual({ city: 'Beijing' });
  });

  it('handles three copies and nested objects', () => {
    const one = '{"edits":[{"old":"a","new":"b"}],"path":"x.ts"}';
    expect(repaired(one + one + '\n' + one)).toEqual(JSON.parse(one));
  });

  it('refuses two unrelated objects back to back, saying what to do', () => {
    expect(failure('{"a":1}{"b":2}')).toMatch(/2 different JSON objects back to back; send one JSON object/);
  });
});

describe('repairArguments: trailing garbage', () => {
  it.each([
    ['{"a":1}}', { a: 1 }],
    ['{"a":1}</tool_call>', { a: 1 }],
    ['{"a":1}<|observation|>', { a: 1 }],
    ['{"path":"src/x.ts"} ', { path: 'src/x.ts' }], // trailing space alone is still valid JSON: see below
  ])('%j', (raw, expected) => {
    const result = repairArguments(raw);
    if ('error' in result) throw new Error(result.error);
    expect(JSON.parse(result.json)).toEqual(expected);
  });

  it('keeps the first object when a cut-off copy follows it', () => {
    expect(repaired('{"a":1,"b":"x"}{"a":1,"b"')).toEqual({ a: 1, b: 'x' });
  });
});

describe('repairArguments: lenient JSON (jsonrepair)', () => {
  it('quotes unquoted values (opencode#8102)', () => {
    expect(repaired('{"table_name":"t_purchase_invoice","direction":both}')).toEqual({
      table_name: 't_purchase_invoice',
      direction: 'both',
    });
    expect(repaired('{"id":cf56856a-5b7f-47aa-9877-8f45d1d2c1ee,"method":"GET","model":"m_customer","operation":"detail"}')).toEqual({
      id: 'cf56856a-5b7f-47aa-9877-8f45d1d2c1ee',
      method: 'GET',
      model: 'm_customer',
      operation: 'detail',
    });
  });

  it('fixes unquoted keys, single quotes, trailing commas and Python literals', () => {
    expect(repaired("{'filePath': '/Users/me/x.js'}")).toEqual({ filePath: '/Users/me/x.js' });
    expect(repaired('{path: "a.ts", limit: 20}')).toEqual({ path: 'a.ts', limit: 20 });
    expect(repaired('{"a":1,"b":[1,2,],}')).toEqual({ a: 1, b: [1, 2] });
    expect(repaired('{"replace_all": True, "old": None, "x": False}')).toEqual({ replace_all: true, old: null, x: false });
  });

  it('closes a missing brace when every string is complete', () => {
    expect(repaired('{"command":"npm test","timeout":120')).toEqual({ command: 'npm test', timeout: 120 });
    expect(repaired('{"edits":[{"old":"a","new":"b"}')).toEqual({ edits: [{ old: 'a', new: 'b' }] });
  });

  it('unwraps a JSON string that holds the object', () => {
    expect(repaired('"{\\"a\\":1}"')).toEqual({ a: 1 });
    expect(repaired('"{\\"a\\": 1}{\\"a\\": 1}"')).toEqual({ a: 1 });
  });
});

describe('repairArguments: failures the model can act on', () => {
  it('refuses to complete an object cut off inside a string (a truncated command must not run)', () => {
    expect(failure('{"command":"rm -rf /tmp/build/ca')).toMatch(/cut off inside a string.*send the complete call again/);
    expect(failure("{'command': 'rm -rf /tmp/build/ca")).toMatch(/cut off inside a string/);
  });

  it('reports garbage with the parser message', () => {
    expect(failure('garbage')).toMatch(/^arguments are not valid JSON: Unexpected token 'g'/);
    expect(failure('ls -la')).toMatch(/^arguments are not valid JSON: /);
    expect(failure('{{{')).toMatch(/^arguments are not valid JSON: /);
  });

  it('does not drop keys that follow an object closed too early', () => {
    expect(failure('{"a":1} , "b": 2}')).toMatch(/^arguments are not valid JSON: Unexpected non-whitespace character/);
  });

  it.each([
    ['[1,2]', 'an array'],
    ['"hello"', 'a string'],
    ['42', 'a number'],
    ['null', 'null'],
    ['true', 'a boolean'],
  ])('%j is not an object', (raw, what) => {
    expect(failure(raw)).toBe(`arguments must be a JSON object, not ${what}`);
  });

  it('keeps error messages short', () => {
    expect(failure(`garbage ${'x'.repeat(5000)}`).length).toBeLessThan(260);
  });
});

describe('coerceArgumentStrings', () => {
  const schema = {
    type: 'object',
    properties: {
      path: { type: 'string' },
      limit: { type: 'integer' },
      ratio: { type: 'number' },
      all: { type: 'boolean' },
      edits: { type: 'array', items: { type: 'object', properties: { line: { type: 'integer' }, text: { type: 'string' } } } },
      options: { type: 'object', properties: { depth: { type: 'number' } } },
      maybe: { type: ['integer', 'null'] },
      either: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      mode: { enum: ['fast', 'slow'] },
    },
  };

  it('converts strings to the declared non-string type when they parse as it', () => {
    expect(
      coerceArgumentStrings(
        {
          path: '20',
          limit: '20',
          ratio: ' 0.5 ',
          all: 'True',
          edits: '[{"line": "3", "text": "7"}]',
          options: '{"depth": "2"}',
          maybe: 'null',
        },
        schema,
      ),
    ).toEqual({ path: '20', limit: 20, ratio: 0.5, all: true, edits: [{ line: 3, text: '7' }], options: { depth: 2 }, maybe: null });
  });

  it('accepts quoted digits and Python-style lists for non-string types', () => {
    expect(coerceArgumentStrings({ limit: '"42"', edits: "[{'line': 1, 'text': 'a'}]" }, schema)).toEqual({
      limit: 42,
      edits: [{ line: 1, text: 'a' }],
    });
  });

  it('leaves values alone when the schema allows a string or they do not parse as the type', () => {
    const args = { either: '12', mode: 'fast', limit: 'twenty', ratio: '1.5.2', all: 'yes', edits: 'not json', unknown: '5', path: 7 };
    expect(coerceArgumentStrings(args, schema)).toEqual(args);
  });

  it('does not convert an integer-typed string holding a float', () => {
    expect(coerceArgumentStrings({ limit: '2.5' }, schema)).toEqual({ limit: '2.5' });
  });

  it('does not mutate its input', () => {
    const args = { limit: '20' };
    coerceArgumentStrings(args, schema);
    expect(args).toEqual({ limit: '20' });
  });

  it('reads types from type arrays, anyOf, enum and implied object/array schemas', () => {
    expect([...schemaTypes({ type: ['integer', 'null'] })]).toEqual(['integer', 'null']);
    expect([...schemaTypes({ anyOf: [{ type: 'string' }, { type: 'number' }] })]).toEqual(['string', 'number']);
    expect([...schemaTypes({ enum: ['a', 'b'] })]).toEqual(['string']);
    expect([...schemaTypes({ properties: {} })]).toEqual(['object']);
    expect([...schemaTypes({ items: {} })]).toEqual(['array']);
    expect([...schemaTypes({})]).toEqual([]);
  });
});
