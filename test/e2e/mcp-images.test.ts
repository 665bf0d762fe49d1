// End to end: server-everything's get-tiny-image through the built `glm -p` against the fake GLM server. A vision
// model gets the image as an image_url part after the tool results; a text-only model gets the vision model's
// description of it; with no vision model the image is left out with one stderr line and a placeholder.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { everythingStdio, marker, orphansOf } from '../support/mcp-servers.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

type Msg = { role: string; content: unknown };
const imageParts = (m: Msg) => (Array.isArray(m.content) ? m.content.filter((p: { type: string }) => p.type === 'image_url') : []);
const asText = (m: Msg) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content));
const TOOL = 'mcp__everything__get-tiny-image';
const NAME = 'everything get-tiny-image image 1';

describe('images from MCP tool results', () => {
  let sb: Sandbox;
  let mark: string;
  let args: string[];
  beforeEach(async () => {
    sb = await makeSandbox({}, fake.url);
    mark = marker();
    args = ['--mcp-config', JSON.stringify({ mcpServers: { everything: everythingStdio(mark) } }), '--allowedTools', 'mcp__everything'];
  });

  it('a vision model gets the image as an image part right after the tool result, which names its type and size', async () => {
    fake.reply(toolCalls([{ name: TOOL, arguments: {} }]), text('It is the MCP logo.'));
    const r = await runGlm(sb, ['-p', 'show me the tiny image', '--model', 'glm-5v-turbo', ...args]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('It is the MCP logo.');
    const messages: Msg[] = fake.requests[1].messages;
    const tool = messages.at(-2)!;
    expect(tool.role).toBe('tool');
    expect(tool.content).toMatch(new RegExp(`^Here's the image you requested:\\n\\n\\[image: image/png, [\\d.]+ KB, 20×20; it follows in the next message as "${NAME}"\\]\\n\\nThe image above is the MCP logo.$`));
    const user = messages.at(-1)!;
    expect(user.role).toBe('user');
    expect(imageParts(user)).toHaveLength(1);
    expect(imageParts(user)[0].image_url.url).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(fake.violations).toEqual([]);
    expect(await orphansOf(mark)).toEqual([]);
  });

  it('a text-only model: the vision model is asked to describe the image, and the main model reads the description', async () => {
    fake.reply(toolCalls([{ name: TOOL, arguments: {} }]), text('A small black-and-white MCP logo.'), text('The logo is black and white.'));
    const r = await runGlm(sb, ['-p', 'what colours has the tiny image?', '--model', 'glm-5.2', ...args]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('The logo is black and white.');
    const [, vision, main] = fake.requests;
    expect(vision.model).toBe('glm-5v-turbo');
    expect(imageParts(vision.messages.at(-1))).toHaveLength(1);
    expect(vision.messages.at(-1).content[0].text).toContain('what colours has the tiny image?');
    expect(vision.messages.at(-1).content[0].text).toContain(NAME);
    expect(main.model).toBe('glm-5.2');
    expect(JSON.stringify(main)).not.toContain('image_url');
    expect(asText(main.messages.at(-1))).toContain(`[Description of image 1: ${NAME} 20×20, written by a vision model`);
    expect(asText(main.messages.at(-1))).toContain('A small black-and-white MCP logo.');
    expect(fake.violations).toEqual([]);
    expect(await orphansOf(mark)).toEqual([]);
  });

  it('no vision model (self-hosted): one stderr line; the model reads the placeholder with type and size and that the image was left out', async () => {
    fake.reply(toolCalls([{ name: TOOL, arguments: {} }]), text('I cannot see it.'));
    const r = await runGlm(sb, ['-p', 'show me the tiny image', '--model', 'glm-4.7', ...args], { env: { GLM_PROVIDER: 'vllm', GLM_BASE_URL: fake.v1Url } });
    expect(r.exitCode).toBe(0);
    expect(String(r.stderr).trim()).toBe(`glm: the model cannot see images and no vision model is set, so ${NAME} was left out; set "visionModel" in settings (e.g. "glm-5v-turbo") or pick a vision model with --model`);
    const messages: Msg[] = fake.requests[1].messages;
    expect(asText(messages.at(-2)!)).toMatch(/\[image: image\/png, [\d.]+ KB, 20×20;/);
    expect(asText(messages.at(-1)!)).toContain(`image 1: ${NAME} 20×20 was left out`);
    expect(JSON.stringify(fake.requests[1])).not.toContain('image_url');
    expect(fake.violations).toEqual([]);
    expect(await orphansOf(mark)).toEqual([]);
  });
});
