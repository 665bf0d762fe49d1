// End to end with a real MCP server (test/support/generated-mcp-server.mjs --long-names) whose two tools agree in
// their first 70 characters: the model gets two distinct names of at most 64 characters, the same in every run,
// and a rule for one of them allows that tool only (a plain 64-character cut had merged them: one shadowed the other).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exposedToolName } from '../../src/mcp/schema.ts';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { GENERATED, NODE, marker, orphansOf } from '../support/mcp-servers.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const STEM = 'export_quarterly_revenue_report_for_every_region_and_product_line_as';
type Body = { tools?: { function: { name: string } }[]; messages: { content: string }[] };
const longNames = (body: Body) => (body.tools ?? []).map((t) => t.function.name).filter((n) => n.startsWith('mcp__acme__export_'));

describe('MCP tools with long names', () => {
  it('get distinct, stable names of at most 64 characters; a rule for one allows only that one', async () => {
    const sb = await makeSandbox({ 'README.md': 'hi\n' }, fake.url);
    const mark = marker();
    const config = JSON.stringify({ mcpServers: { acme: { command: NODE, args: [GENERATED, '--long-names', mark] } } });
    const [pdf, csv] = [exposedToolName('acme', `${STEM}_pdf`), exposedToolName('acme', `${STEM}_csv`)];
    const offered: string[][] = [];
    fake.reply(
      (body: Body) => {
        offered.push(longNames(body));
        return toolCalls([{ name: pdf, arguments: {} }]);
      },
      (body: Body) => {
        expect(body.messages.at(-1)?.content).toBe(`${STEM}_pdf ok: {}`); // the pdf tool itself answered
        return toolCalls([{ name: csv, arguments: {} }]);
      },
      (body: Body) => {
        expect(body.messages.at(-1)?.content).toMatch(/^Permission denied: acme export_quarterly_revenue_report_for_every_region_and_product_line_as_csv/);
        return text('done');
      },
    );
    const r = await runGlm(sb, ['-p', 'export', '--mcp-config', config, '--allowedTools', pdf], { env: { MCP_TIMEOUT: '5000' } });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`allow it with --allowedTools "${csv}"`);
    expect(fake.requests).toHaveLength(3);

    fake.reply((body: Body) => {
      offered.push(longNames(body));
      return text('again');
    });
    expect((await runGlm(sb, ['-p', 'again', '--mcp-config', config], { env: { MCP_TIMEOUT: '5000' } })).exitCode).toBe(0);
    expect(offered[0]!.sort()).toEqual([csv, pdf].sort());
    expect(offered[1]!.sort()).toEqual(offered[0]); // the same names in the next run
    for (const name of [pdf, csv]) expect(name).toMatch(/^mcp__acme__export_quarterly_revenue_report_for_every_r\w*_[0-9a-f]{8}$/);
    expect(pdf).toHaveLength(64);
    expect(await orphansOf(mark)).toEqual([]);
  });
});
