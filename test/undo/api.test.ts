// The undo API the REPL's /undo calls in-process, next to a live session: points per prompt, restore, and the
// refusal when a file changed outside the session right after the session's own write.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createModelClientFromConfig } from '../../src/model/client.ts';
import { Session } from '../../src/session.ts';
import { listUndoPoints, undoTo } from '../../src/undo/undo.ts';
import { builtinTools, toolSet } from '../../tools/index.ts';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function openSession() {
  const root = await mkdtemp(path.join(os.tmpdir(), 'glm-undo-api-'));
  await writeFile(path.join(root, 'a.txt'), 'alpha\n');
  const env = { HOME: root, XDG_DATA_HOME: path.join(root, 'data'), XDG_CONFIG_HOME: path.join(root, 'cfg'), GLM_API_KEY: 'k', GLM_BASE_URL: fake.url };
  const config = loadConfig({ permissionMode: 'acceptEdits' }, env, root);
  const session = await Session.open({ config, client: createModelClientFromConfig(config), tools: toolSet(builtinTools) });
  return { root, config, session };
}

const editA = (from: string, to: string) => [
  toolCalls([{ name: 'Read', arguments: { file_path: 'a.txt' } }]),
  toolCalls([{ name: 'Edit', arguments: { file_path: 'a.txt', old_string: from, new_string: to } }]),
  text('Done.'),
];

describe('undo API', () => {
  it('lists one point per prompt that changed files and restores to before a chosen one', async () => {
    const { root, config, session } = await openSession();
    fake.reply(...editA('alpha', 'beta'));
    await session.run('first');
    fake.reply(text('Nothing to change.'));
    await session.run('second, no edits');
    fake.reply(...editA('beta', 'gamma'));
    await session.run('third');
    const points = listUndoPoints(config, session.id);
    expect(points.map((p) => [p.turn, p.prompt])).toEqual([[1, 'first'], [3, 'third']]);
    expect(points[0]!.files).toEqual([path.join(root, 'a.txt')]);

    const result = undoTo(config, session.id, 3);
    expect(result).toMatchObject({ ok: true, files: [{ path: path.join(root, 'a.txt'), action: 'restored' }] });
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('beta\n');
    expect(listUndoPoints(config, session.id).map((p) => p.turn)).toEqual([1]);
    // Only the snapshot turn 1 still needs is kept.
    const blobs = path.join(config.dataDir, 'sessions', config.projectRoot.replace(/[^A-Za-z0-9._-]/g, '-'), session.id, 'undo', 'blobs');
    expect(await readdir(blobs)).toHaveLength(1);
    await session.close();
  });

  it('sees the session’s last write in the same process and refuses after an outside change', async () => {
    const { root, config, session } = await openSession();
    fake.reply(...editA('alpha', 'beta'));
    await session.run('edit');
    await writeFile(path.join(root, 'a.txt'), 'edited by hand\n');
    const result = undoTo(config, session.id, 1);
    expect(result).toEqual({ ok: false, turn: 1, conflicts: [{ path: path.join(root, 'a.txt'), reason: 'changed outside the session since turn 1' }] });
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('edited by hand\n');
    expect(undoTo(config, session.id, 1, { force: true }).ok).toBe(true);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('alpha\n');
    await session.close();
  });
});
