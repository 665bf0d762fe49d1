// Headless plan mode end to end: the built `glm -p --permission-mode plan` explores, and its run ends with the
// plan the model gave ExitPlanMode as the result (nothing edited, no further request).
import { readFile } from 'node:fs/promises';
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

describe('glm -p --permission-mode plan', () => {
  it('ends with the plan as the result', async () => {
    const sb = await makeSandbox({ 'a.txt': 'old\n' }, fake.url);
    const plan = '1. Replace old with new in a.txt.\n2. Read it back.';
    fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'a.txt' } }]), toolCalls([{ name: 'ExitPlanMode', arguments: { plan } }]));
    const r = await runGlm(sb, ['-p', 'update a.txt', '--permission-mode', 'plan', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    const result = JSON.parse(String(r.stdout)) as { result: string; subtype: string };
    expect(result.subtype).toBe('success');
    expect(result.result).toBe(plan);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0].messages[0].content).toContain('call ExitPlanMode');
    expect(await readFile(path.join(sb.repo, 'a.txt'), 'utf8')).toBe('old\n');
  });

  it('does not offer ExitPlanMode outside plan mode', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(toolCalls([{ name: 'ExitPlanMode', arguments: { plan: 'x' } }]), text('ok'));
    await runGlm(sb, ['-p', 'hi']);
    expect(fake.requests[0].tools.map((t: { function: { name: string } }) => t.function.name)).not.toContain('ExitPlanMode');
  });
});
