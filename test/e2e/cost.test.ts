// End to end: `glm -p --output-format json` carries the cost the server reported (OpenRouter's usage.cost),
// or else the cost the `prices` setting gives, as usage.cost_usd beside the usual token fields, and no cost
// field when neither is known.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const usage = (cost?: number) => ({ prompt_tokens: 1_000, completion_tokens: 100, total_tokens: 1_100, ...(cost !== undefined && { cost }) });

describe('glm -p: cost in the json result', () => {
  it('sums the cost the server reported over the requests of a run', async () => {
    const sb = await makeSandbox({ 'a.txt': 'alpha\n' }, fake.url);
    fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'a.txt' } }], { usage: usage(0.001) }), text('It says alpha.', { usage: usage(0.0025) }));
    const r = await runGlm(sb, ['-p', 'what is in a.txt?', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    const result = JSON.parse(String(r.stdout));
    expect(result.usage).toMatchObject({ input_tokens: 2_000, output_tokens: 200 });
    expect(result.usage.cost_usd).toBeCloseTo(0.0035, 10);
  });

  it('has no cost field when the server reports none', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(text('Hello.', { usage: usage() }));
    const r = await runGlm(sb, ['-p', 'hi', '--output-format', 'json']);
    const result = JSON.parse(String(r.stdout));
    expect(result.usage.input_tokens).toBe(1_000);
    expect(result.usage).not.toHaveProperty('cost_usd');
  });

  it('prices the usage with the prices setting when the server reports no cost', async () => {
    const sb = await makeSandbox({}, fake.url);
    mkdirSync(path.join(sb.home, '.config/glm-code'), { recursive: true });
    // USD per million tokens: 1,000 input at $2 and 100 output at $10 = $0.003. (A project's prices need trust.)
    writeFileSync(path.join(sb.home, '.config/glm-code/settings.json'), JSON.stringify({ prices: { 'glm-5.2': { input: 2, output: 10 } } }));
    fake.reply(text('Hello.', { usage: usage() }));
    const r = await runGlm(sb, ['-p', 'hi', '--output-format', 'json', '--model', 'glm-5.2']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout)).usage.cost_usd).toBeCloseTo(0.003, 10);
  });
});
