// End to end: the json result's modelUsage names each model that served a request, each priced with its own
// price (a subagent on Explore's fast model, a prompt hook's model), and its entries sum to usage and total_cost_usd.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { withType } from '../support/hook-settings.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

const usage = { usage: { prompt_tokens: 1_000, completion_tokens: 100, total_tokens: 1_100 } };
// USD per million tokens: a request of 1,000 input and 100 output tokens costs $0.003 on glm-4.6, $0.0003 on glm-4.5-air.
const prices = { 'glm-4.6': { input: 2, output: 10 }, 'glm-4.5-air': { input: 0.2, output: 1 } };

function settings(sb: Sandbox, more: Record<string, unknown> = {}): void {
  const dir = path.join(sb.home, '.config', 'glm-code');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ prices, ...more }));
}

type Entry = { inputTokens: number; outputTokens: number; cacheReadInputTokens: number; costUSD: number };
type Result = { session_id: string; usage: { input_tokens: number; output_tokens: number; cost_usd?: number }; total_cost_usd: number; modelUsage: Record<string, Entry> };

function expectSumsToTotals(result: Result): void {
  const entries = Object.values(result.modelUsage);
  expect(entries.reduce((n, e) => n + e.inputTokens, 0)).toBe(result.usage.input_tokens);
  expect(entries.reduce((n, e) => n + e.outputTokens, 0)).toBe(result.usage.output_tokens);
  expect(entries.reduce((n, e) => n + e.costUSD, 0)).toBeCloseTo(result.total_cost_usd, 12);
  expect(result.usage.cost_usd).toBeCloseTo(result.total_cost_usd, 12);
}

describe('glm -p: modelUsage by the model that served each request', () => {
  it("splits an Explore subagent's requests (the fast model) from the session's, each at its own price", async () => {
    const sb = await makeSandbox({}, fake.url);
    settings(sb);
    fake.reply(
      toolCalls([{ name: 'Task', arguments: { description: 'look', prompt: 'Look.', subagent_type: 'Explore' } }], usage),
      text('Looked.', usage),
      text('Done.', usage),
    );
    const r = await runGlm(sb, ['-p', 'look', '--output-format', 'json', '--model', 'glm-4.6']);
    expect(r.exitCode).toBe(0);
    expect(fake.requests.map((b: { model: string }) => b.model)).toEqual(['glm-4.6', 'glm-4.5-air', 'glm-4.6']);
    const result = JSON.parse(String(r.stdout)) as Result;
    expect(Object.keys(result.modelUsage).sort()).toEqual(['glm-4.5-air', 'glm-4.6']);
    expect(result.modelUsage['glm-4.6']).toMatchObject({ inputTokens: 2_000, outputTokens: 200 });
    expect(result.modelUsage['glm-4.6']!.costUSD).toBeCloseTo(0.006, 12);
    expect(result.modelUsage['glm-4.5-air']).toMatchObject({ inputTokens: 1_000, outputTokens: 100 });
    expect(result.modelUsage['glm-4.5-air']!.costUSD).toBeCloseTo(0.0003, 12);
    expect(result.total_cost_usd).toBeCloseTo(0.0063, 12);
    expectSumsToTotals(result);
  });

  it("counts a prompt hook's request in the usage and cost, under the hook's model", async () => {
    const sb = await makeSandbox({}, fake.url);
    settings(sb, { hooks: withType({ Stop: [{ hooks: [{ type: 'prompt', prompt: 'Is the answer done?', model: 'glm-4.5-air' }] }] }) });
    fake.reply(text('All done.', usage), text('{"ok": true}', usage));
    const r = await runGlm(sb, ['-p', 'finish', '--output-format', 'json', '--model', 'glm-4.6']);
    expect(r.exitCode).toBe(0);
    expect(fake.requests.map((b: { model: string }) => b.model)).toEqual(['glm-4.6', 'glm-4.5-air']);
    const result = JSON.parse(String(r.stdout)) as Result;
    expect(result.modelUsage['glm-4.6']).toMatchObject({ inputTokens: 1_000, outputTokens: 100 });
    expect(result.modelUsage['glm-4.5-air']).toMatchObject({ inputTokens: 1_000, outputTokens: 100 });
    expect(result.modelUsage['glm-4.5-air']!.costUSD).toBeCloseTo(0.0003, 12);
    expect(result.usage).toMatchObject({ input_tokens: 2_000, output_tokens: 200 });
    expect(result.total_cost_usd).toBeCloseTo(0.0033, 12);
    expectSumsToTotals(result);
  });

  it("counts a SessionEnd prompt hook's request in the run's usage, not only in the session's total", async () => {
    const sb = await makeSandbox({}, fake.url);
    settings(sb, { hooks: withType({ SessionEnd: [{ hooks: [{ type: 'prompt', prompt: 'Summarise the session.', model: 'glm-4.5-air' }] }] }) });
    fake.reply(text('All done.', usage), text('{"ok": true}', usage));
    const r = await runGlm(sb, ['-p', 'finish', '--output-format', 'json', '--model', 'glm-4.6']);
    expect(r.exitCode).toBe(0);
    expect(fake.requests.map((b: { model: string }) => b.model)).toEqual(['glm-4.6', 'glm-4.5-air']);
    const result = JSON.parse(String(r.stdout)) as Result;
    expect(result.usage).toMatchObject({ input_tokens: 2_000, output_tokens: 200 });
    expect(result.total_cost_usd).toBeCloseTo(0.0033, 12);
    expectSumsToTotals(result);
  });

  it("keeps a prompt hook's request in the session's totals after --resume (it is in the transcript)", async () => {
    const sb = await makeSandbox({}, fake.url);
    settings(sb, { hooks: withType({ Stop: [{ hooks: [{ type: 'prompt', prompt: 'Is the answer done?', model: 'glm-4.5-air' }] }] }) });
    fake.reply(text('All done.', usage), text('{"ok": true}', usage));
    const first = JSON.parse(String((await runGlm(sb, ['-p', 'finish', '--output-format', 'json', '--model', 'glm-4.6'])).stdout)) as Result;
    expect(first.total_cost_usd).toBeCloseTo(0.0033, 12);
    settings(sb); // the second run has no hook: its total is the first run's plus its own request
    fake.reply(text('Again.', usage));
    const r = await runGlm(sb, ['-p', 'again', '--resume', first.session_id, '--output-format', 'json', '--model', 'glm-4.6']);
    expect(r.exitCode).toBe(0);
    const second = JSON.parse(String(r.stdout)) as Result;
    expect(second.total_cost_usd).toBeCloseTo(0.0063, 12);
    expect(second.modelUsage['glm-4.5-air']).toMatchObject({ inputTokens: 1_000, outputTokens: 100 });
    expect(second.modelUsage['glm-4.6']).toMatchObject({ inputTokens: 2_000, outputTokens: 200 });
  });
});
