// `glm sessions` and `glm sessions export` with the built binary, over sessions made by real headless runs
// against the fake GLM server. No API key is needed to list or export.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
let sb: Sandbox;
let ids: string[];
beforeAll(async () => {
  fake = await startFakeGlm();
  sb = await makeSandbox({ 'notes.md': 'Some notes\n```js\nconst fence = true;\n```\n' }, fake.url);
  fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'notes.md' } }], { reasoning: 'Read the notes first.' }), text('The notes mention a fence.'));
  const first = await runGlm(sb, ['-p', 'summarise notes.md\nand more on a second line', '--output-format', 'json']);
  fake.reply(text('Hello!'));
  const second = await runGlm(sb, ['-p', 'say hello', '--output-format', 'json']);
  ids = [first, second].map((r) => JSON.parse(String(r.stdout)).session_id);
});
afterAll(() => fake.close());

describe('glm sessions', () => {
  it("lists this project's sessions newest first with date, turns, tokens and first prompt", async () => {
    const r = await runGlm(sb, ['sessions'], { env: { GLM_API_KEY: '' } });
    expect(r.exitCode).toBe(0);
    const lines = String(r.stdout).split('\n');
    expect(lines[0]).toMatch(/^ID\s+DATE\s+TURNS\s+TOKENS\s+FIRST PROMPT$/);
    expect(lines[1]).toMatch(new RegExp(`^${ids[1]}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+1\\s+[\\d.]+K?\\s+say hello$`));
    expect(lines[2]).toMatch(new RegExp(`^${ids[0]}\\s+.*\\s+2\\s+[\\d.]+K?\\s+summarise notes.md$`));

    const json = JSON.parse(String((await runGlm(sb, ['sessions', '--json'])).stdout));
    expect(json.map((s: { id: string }) => s.id)).toEqual([ids[1], ids[0]]);
    expect(json[1]).toMatchObject({ turns: 2, prompts: 1, compactions: 0, firstPrompt: 'summarise notes.md' });
    expect(json[1].tokens).toBeGreaterThan(0);
  });

  it('exports a session as Markdown, by id prefix, to stdout or a file', async () => {
    const r = await runGlm(sb, ['sessions', 'export', ids[0].slice(0, -2)], { env: { GLM_API_KEY: '' } });
    expect(r.exitCode).toBe(0);
    const md = String(r.stdout);
    expect(md).toMatch(new RegExp(`^# glm session ${ids[0]}\\n`));
    expect(md).toContain('## Prompt 1\n\nsummarise notes.md\nand more on a second line');
    expect(md).toContain('<details><summary>Reasoning</summary>\n\nRead the notes first.');
    expect(md).toContain('**Read**\n\n```json\n{\n  "file_path": "notes.md"\n}\n```');
    // The output holds a ``` fence, so it is wrapped in a longer one.
    expect(md).toMatch(/Output of Read:\n\n````\n.*Some notes[\s\S]*const fence = true;[\s\S]*\n````/);
    expect(md).toContain('The notes mention a fence.');

    const file = path.join(sb.home, 'out.md');
    const toFile = await runGlm(sb, ['sessions', 'export', ids[0], '-o', file]);
    expect(toFile.exitCode).toBe(0);
    expect(toFile.stdout).toBe('');
    expect(await readFile(file, 'utf8')).toBe(`${md}\n`); // execa drops the last newline of stdout
  });

  it('says which sessions exist when the id is wrong', async () => {
    const r = await runGlm(sb, ['sessions', 'export', 'nope']);
    expect(r.exitCode).toBe(2); // a usage error, as --resume nope is
    expect(r.stderr).toBe('glm: no session "nope" in this project; `glm sessions` lists them');
    const latest = await runGlm(sb, ['sessions', 'export', 'latest']);
    expect(latest.stdout).toContain('say hello');
  });
});
