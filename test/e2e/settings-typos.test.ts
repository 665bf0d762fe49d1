// A mistyped key in a settings file: one warning line on stderr naming the file, the key and the closest
// known key, and the run goes on with the rest of the file.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { text, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

it('glm -p warns about "modle" in one line and answers', async () => {
  const sb = await makeSandbox({}, fake.url);
  const file = path.join(sb.home, '.config', 'glm-code', 'settings.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ modle: 'glm-4.7', maxTurns: 7 }));
  fake.reply(text('answered'));
  const r = await runGlm(sb, ['-p', 'hi']);
  expect([r.exitCode, r.stdout]).toEqual([0, 'answered']);
  expect(String(r.stderr).split('\n')).toEqual([`glm: unknown key "modle" in ${file} is ignored (did you mean "model"?)`]);
  expect(fake.requests).toHaveLength(1);
});
