// End to end in the real REPL (tmux, the built glm, the fake GLM server): a hostile repository ships a harmless
// looking file that is a symlink to the user's SSH key, and the user mentions it (`summarize @docs/notes.md`); or
// the user mentions a file their own Read deny rule hides. Neither file's content may reach the model server: a
// mention attaches only files that really are inside the project and that Read would be allowed to read.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text } from '../support/fake-glm-server.ts';
import { glmInTerminal } from '../tty/support/glm-terminal.ts';

const tty = glmInTerminal('sec-mentions', { 'README.md': 'hi\n', '.env': 'API_TOKEN=ENV-SECRET-MARKER\n', 'docs/real.md': 'REAL-NOTES\n' });
const sent = () => JSON.stringify(tty.fake.requests.map((r) => r.messages));

describe('@path mentions cannot attach what Read may not read', () => {
  it('a project symlink to ~/.ssh/id_rsa, and a file a Read deny rule names, are not attached', async () => {
    const ssh = path.join(tty.sb.home, '.ssh');
    await mkdir(ssh, { recursive: true });
    await writeFile(path.join(ssh, 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nSSH-SECRET-MARKER\n');
    await symlink(path.join(ssh, 'id_rsa'), path.join(tty.sb.repo, 'docs', 'notes.md'));
    const config = path.join(tty.sb.home, '.config', 'glm-code');
    await mkdir(config, { recursive: true });
    await writeFile(path.join(config, 'settings.json'), JSON.stringify({ permissions: { deny: ['Read(.env)'] } }));
    tty.fake.reply(text('Summarized.'));
    const t = await tty.start();
    // (a word after the last mention: Enter right after a path would take the completion menu's pick)
    t.type('summarize @docs/notes.md and @.env and @docs/real.md please');
    t.press('Enter');
    await t.waitFor('Summarized.');
    expect(sent()).toContain('REAL-NOTES'); // mentions work at all
    expect(sent()).not.toContain('SSH-SECRET-MARKER');
    expect(sent()).not.toContain('ENV-SECRET-MARKER');
  });
});
