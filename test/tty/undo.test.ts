// /undo in a real terminal: after an approved Edit, it restores the last prompt's files, says what it did, and
// tells the model with the next prompt.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { text, toolCalls } from '../support/fake-glm-server.ts';
import { glmInTerminal } from './support/glm-terminal.ts';

const ORIGINAL = 'export function add(a, b) {\n  return a - b;\n}\n';
const tty = glmInTerminal('undo', { 'src/app.js': ORIGINAL });

it('/undo restores the file an approved Edit changed, names what it did and tells the model', async () => {
  tty.fake.reply(
    toolCalls([{ name: 'Read', arguments: { file_path: 'src/app.js' } }]),
    toolCalls([{ name: 'Edit', arguments: { file_path: 'src/app.js', old_string: 'return a - b;', new_string: 'return a + b;' } }]),
    text('Fixed the sign.'),
    text('Understood.'),
  );
  const t = await tty.start();
  t.type('fix add');
  t.press('Enter');
  await t.waitFor('allow once', { what: 'the approval prompt' });
  t.type('y');
  await t.waitFor('Fixed the sign.');
  const file = path.join(tty.sb.repo, 'src/app.js');
  expect(await readFile(file, 'utf8')).toContain('a + b');
  t.type('/undo');
  t.press('Enter');
  const screen = await t.waitFor('Undid the file changes of "fix add":');
  expect(screen).toContain('restored: src/app.js');
  expect(await readFile(file, 'utf8')).toBe(ORIGINAL);
  t.type('and now?');
  t.press('Enter');
  await t.waitFor('Understood.');
  const sent = tty.fake.requests.at(-1).messages.at(-1).content as string;
  expect(sent).toMatch(/^<files-restored>.*src\/app\.js \(restored\).*\n\nand now\?$/s);
});
