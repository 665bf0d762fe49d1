// End to end: images through the built binary against the fake GLM server: --image, Read of a PNG, the
// transcript's image files and resume, a bad --image file, and image blocks of stream-json input (a URL one refused).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#3366cc' } }).png().toBuffer();
const imageParts = (message: { content: unknown }) => (Array.isArray(message.content) ? message.content.filter((p: { type: string }) => p.type === 'image_url') : []);

async function sessionFiles(sb: Sandbox): Promise<{ jsonl: string; images: string[] }> {
  const root = path.join(sb.home, '.local/share/glm-code/sessions');
  const [project] = await readdir(root);
  const entries = await readdir(path.join(root, project));
  const id = entries.find((e) => e.endsWith('.jsonl'))!.slice(0, -'.jsonl'.length);
  const images = await readdir(path.join(root, project, id, 'images')).catch(() => []);
  return { jsonl: await readFile(path.join(root, project, `${id}.jsonl`), 'utf8'), images };
}

describe('images', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox({}, fake.url);
    await writeFile(path.join(sb.repo, 'shot.png'), await png(1280, 720));
  });

  it('--image sends the picture to a vision model as an image_url part; the transcript keeps it as a file; --continue sends it again', async () => {
    fake.reply(text('A blue rectangle.'));
    const r = await runGlm(sb, ['-p', 'what is in this screenshot?', '--image', 'shot.png', '--model', 'glm-5v-turbo']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('A blue rectangle.');
    const user = fake.requests[0].messages.at(-1);
    expect(user.content[0]).toEqual({ type: 'text', text: 'what is in this screenshot?' });
    expect(imageParts(user)).toHaveLength(1);
    expect(imageParts(user)[0].image_url.url).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(fake.violations).toEqual([]);

    const files = await sessionFiles(sb);
    expect(files.images).toHaveLength(1);
    expect(files.jsonl).not.toContain('iVBOR');
    expect(files.jsonl).toContain('"name":"shot.png"');

    fake.reply(text('Still blue.'));
    const again = await runGlm(sb, ['-p', 'and now?', '--continue', '--model', 'glm-5v-turbo']);
    expect(again.exitCode).toBe(0);
    expect(imageParts(fake.requests[1].messages[1])).toEqual(imageParts(user));
  });

  it('Read of a PNG returns the image in a user message right after the tool results', async () => {
    fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'shot.png' } }]), text('It is a blue image.'));
    const r = await runGlm(sb, ['-p', 'look at shot.png', '--model', 'glm-4.6v']);
    expect(r.exitCode).toBe(0);
    const messages = fake.requests[1].messages;
    expect(messages.at(-2)).toMatchObject({ role: 'tool', content: expect.stringContaining('shot.png is an image (1280×720)') });
    expect(messages.at(-1).role).toBe('user');
    expect(imageParts(messages.at(-1))).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });

  it('a --image that is not an image is one line and exit code 2, before any request', async () => {
    await writeFile(path.join(sb.repo, 'notes.png'), 'plain text');
    const r = await runGlm(sb, ['-p', 'hi', '--image', 'notes.png']);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr).trim().split('\n')).toEqual(['glm: --image notes.png: notes.png is not an image glm can read (PNG, JPEG, GIF or WebP)']);
    const missing = await runGlm(sb, ['-p', 'hi', '--image', 'gone.png']);
    expect(missing.exitCode).toBe(2);
    expect(String(missing.stderr)).toMatch(/^glm: --image gone.png: no image file .*gone.png$/);
    expect(fake.requests).toHaveLength(0);
  });

  it('stream-json input: a base64 image block is sent like --image; a turn with a URL image is refused with one line and sends nothing', async () => {
    fake.reply(text('A blue rectangle.'));
    const data = (await png(1280, 720)).toString('base64');
    const user = (content: unknown[]) => JSON.stringify({ type: 'user', message: { role: 'user', content }, parent_tool_use_id: null, session_id: '' }) + '\n';
    const input =
      user([{ type: 'text', text: 'what is this?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data } }]) +
      user([{ type: 'text', text: 'and this?' }, { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }]);
    const r = await runGlm(sb, ['-p', '--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json', '--model', 'glm-5v-turbo'], { input });
    expect(r.stderr).toBe('');
    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0].messages.at(-1);
    expect(sent.content[0]).toEqual({ type: 'text', text: 'what is this?' });
    expect(imageParts(sent)).toHaveLength(1);
    expect(imageParts(sent)[0].image_url.url).toMatch(/^data:image\/png;base64,iVBOR/);
    const results = String(r.stdout).trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'result');
    expect(results.map((l) => [l.subtype, l.errors ?? []])).toEqual([
      ['success', []],
      ['error_during_execution', ['image 1 is a URL (https://example.com/a.png); glm does not fetch images: send the image\'s data as base64']],
    ]);
    expect(r.exitCode).toBe(1);
    expect(fake.violations).toEqual([]);
  });

  it('--image with --output-format stream-json sends the picture too', async () => {
    fake.reply(text('Blue.'));
    const r = await runGlm(sb, ['-p', 'what colour?', '--image', 'shot.png', '--output-format', 'stream-json', '--verbose', '--model', 'glm-5v-turbo']);
    expect(r.exitCode).toBe(0);
    expect(imageParts(fake.requests[0].messages.at(-1))).toHaveLength(1);
    expect(String(r.stdout)).toContain('"subtype":"success"');
  });

  it('a text-only model gets a description from the vision model on the same provider, marked as one', async () => {
    fake.reply(text('A login form; the Submit button overlaps the footer.'), text('Give the footer a top margin.'));
    const r = await runGlm(sb, ['-p', 'fix the layout bug in this screenshot', '--image', 'shot.png']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Give the footer a top margin.');
    const [vision, main] = fake.requests;
    expect(vision.model).toBe('glm-5v-turbo');
    expect(imageParts(vision.messages.at(-1))).toHaveLength(1);
    expect(vision.messages.at(-1).content[0].text).toContain('fix the layout bug in this screenshot');
    expect(main.model).toBe('glm-5.2');
    expect(JSON.stringify(main)).not.toContain('image_url');
    expect(main.messages.at(-1).content).toContain('fix the layout bug in this screenshot');
    expect(main.messages.at(-1).content).toContain('[Description of image 1: shot.png 1280×720, written by a vision model');
    expect(main.messages.at(-1).content).toContain('the Submit button overlaps the footer');
    expect(fake.violations).toEqual([]);
  });

  it("the vision request's tokens count in the run's usage; its description is kept beside the image, so --continue asks no vision model again", async () => {
    const usage = (prompt: number, completion: number) => ({ prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion });
    fake.reply(text('A red error banner.', { usage: usage(1500, 40) }), text('The password is wrong.', { usage: usage(300, 10) }));
    const r = await runGlm(sb, ['-p', 'what does it say?', '--image', 'shot.png', '--output-format', 'json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const result = JSON.parse(String(r.stdout));
    expect(result.usage).toMatchObject({ input_tokens: 1800, output_tokens: 50 });
    // modelUsage names the vision model for its request, the session's model for the answer.
    expect(result.modelUsage['glm-5v-turbo']).toMatchObject({ inputTokens: 1500, outputTokens: 40 });
    expect(result.modelUsage['glm-5.2']).toMatchObject({ inputTokens: 300, outputTokens: 10 });
    expect(Object.keys(result.modelUsage)).toHaveLength(2);
    const files = await sessionFiles(sb);
    expect(files.images.sort()).toEqual([expect.stringMatching(/^[0-9a-f]{20}\.png$/), expect.stringMatching(/^[0-9a-f]{20}\.txt$/)]);

    fake.reply(text('Still the password.'));
    const again = await runGlm(sb, ['-p', 'and now?', '--continue']);
    expect(again.exitCode, String(again.stderr)).toBe(0);
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests[2].model).toBe('glm-5.2');
    expect(JSON.stringify(fake.requests[2].messages)).toContain('A red error banner.');
  });

  it('Read of a PNG with a text-only model: the vision model describes it for the main model', async () => {
    fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'shot.png' } }]), text('A plain blue image.'), text('It is blue.'));
    const r = await runGlm(sb, ['-p', 'what colour is shot.png?', '--model', 'glm-5.1']);
    expect(r.exitCode).toBe(0);
    expect(fake.requests[1].model).toBe('glm-5v-turbo');
    expect(fake.requests[1].messages.at(-1).content[0].text).toContain('what colour is shot.png?');
    const last = fake.requests[2].messages.at(-1);
    expect(last.role).toBe('user');
    expect(last.content).toContain('A plain blue image.');
    expect(fake.violations).toEqual([]);
  });

  it('with no vision model (a self-hosted server): one line on stderr, and the model is told the image was left out', async () => {
    fake.reply(text('I cannot see it.'));
    const r = await runGlm(sb, ['-p', 'what is this?', '--image', 'shot.png', '--model', 'glm-4.7'], { env: { GLM_PROVIDER: 'vllm', GLM_BASE_URL: fake.v1Url } });
    expect(r.exitCode).toBe(0);
    expect(String(r.stderr).split('\n')).toEqual(['glm: the model cannot see images and no vision model is set, so shot.png was left out; set "visionModel" in settings (e.g. "glm-5v-turbo") or pick a vision model with --model']);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].messages.at(-1).content).toMatch(/image 1: shot.png 1280×720 was left out/);
    expect(fake.violations).toEqual([]);
  });
});
