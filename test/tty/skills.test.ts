// Skills as slash commands in the real REPL (tmux, the built glm, the fake GLM server): `/<skill> args` sends the
// skill's instructions with the arguments as the turn, and a SKILL.md added while the REPL runs becomes a command
// (offered in the menu, runnable at once) without restarting.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text } from '../support/fake-glm-server.ts';
import { glmInTerminal } from './support/glm-terminal.ts';

const tty = glmInTerminal('skills', { 'README.md': 'hi\n' });
type Body = { messages: { role: string; content: string }[] };
const lastUser = (body: Body) => body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';

async function userSkill(name: string, description: string, body: string): Promise<string> {
  const dir = path.join(tty.sb.home, '.config/glm-code/skills', name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'SKILL.md'), ['---', `name: ${name}`, `description: ${description}`, '---', body, ''].join('\n'));
  return dir;
}

describe('skills in the REPL', () => {
  it('/myskill args runs the skill; a skill added during the session is a command too', async () => {
    const dir = await userSkill('myskill', 'Greets people.', 'Greet the person named in the arguments. MYSKILL-BODY');
    tty.fake.reply(text('Hello, Ada!'), text('Later skill done.'));
    const t = await tty.start();
    t.type('/myskill Ada Lovelace');
    t.press('Enter');
    await t.waitFor('Hello, Ada!');
    const first = lastUser(tty.fake.requests[0]);
    expect(first).toContain(`Follow the skill "myskill" below. Its folder is ${dir}`);
    expect(first).toContain('Arguments: Ada Lovelace');
    expect(first).toContain('MYSKILL-BODY');
    expect(t.screen()).toContain('/myskill Ada Lovelace');

    // Added now, while the REPL runs: the menu offers it once it opens.
    await userSkill('later-skill', 'Arrived after the start.', 'LATER-BODY');
    t.type('/later');
    const menu = await t.waitFor('Arrived after the start.', { what: 'the new skill in the command menu' });
    expect(menu).toContain('/later-skill');
    for (let i = 0; i < 6; i++) t.press('BSpace');
    t.type('/later-skill now');
    t.press('Enter');
    await t.waitFor('Later skill done.');
    expect(lastUser(tty.fake.requests[1])).toContain('LATER-BODY');
    expect(lastUser(tty.fake.requests[1])).toContain('Arguments: now');

    // /skills lists both; one typed straight after it is added (before any menu read) runs too.
    await userSkill('fast-skill', 'Typed at once.', 'FAST-BODY');
    tty.fake.reply(text('Fast skill done.'));
    t.type('/fast-skill go');
    t.press('Enter');
    await t.waitFor('Fast skill done.');
    expect(lastUser(tty.fake.requests[2])).toContain('FAST-BODY');
    t.type('/skills');
    t.press('Enter');
    const list = (await t.waitFor('/fast-skill ·')).replace(/\s+/g, ' ');
    expect(list).toMatch(/\/myskill · user \S+: Greets people\.(?! \(new)/);
    expect(list).toMatch(/\/later-skill · user \S+: Arrived after the start\. \(new: the model sees it after \/clear\)/);
  });
});
