// What a command sees inside the sandbox, with real bubblewrap and no glm around it: CommandSandbox.launch's argv
// run directly. Hidden folders (glm's data folder), the private /tmp, Read deny patterns and unix sockets.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { walkedRules } from '../../src/sandbox/deny-globs.ts';
import { ProjectWalk, type WalkLimits } from '../../src/sandbox/project-walk.ts';
import { folders, run, sandbox } from '../support/sandbox-run.ts';

describe("glm's data folder", () => {
  it('is empty inside, while a folder commands write inside it stays writable', async () => {
    const f = folders();
    const data = path.join(f.root, 'data');
    mkdirSync(path.join(data, 'sessions'), { recursive: true });
    writeFileSync(path.join(data, 'sessions', 'a.jsonl'), 'TRANSCRIPT-TEXT\n');
    const inside = path.join(data, 'work');
    execFileSync('git', ['init', '-q', inside]);
    const s = sandbox({ projectRoot: inside, home: f.home, dataDir: data });
    const out = await run(s, inside, `ls -A '${data}'; cat '${data}/sessions/a.jsonl'; echo made > '${inside}/made.txt' && echo wrote`);
    expect(out).not.toContain('TRANSCRIPT-TEXT');
    expect(out).toContain('wrote');
    expect(out).toMatch(/^work$/m);
    expect(readFileSync(path.join(inside, 'made.txt'), 'utf8')).toBe('made\n');
    expect(existsSync(path.join(data, 'sessions', 'a.jsonl'))).toBe(true);
  });

  it.each([
    ['in the home folder', (f: { home: string }) => path.join(f.home, '.local', 'share', 'glm-code')],
    ['elsewhere in the real /tmp', (f: { root: string }) => path.join(f.root, 'data')],
  ])('shows one file in it read-only to a process launched with it (a hook and its transcript), and only to that one: %s', async (_where, at) => {
    const f = folders();
    const data = at(f);
    const sessions = path.join(data, 'sessions', 'project');
    mkdirSync(sessions, { recursive: true });
    writeFileSync(path.join(sessions, 'mine.jsonl'), 'MY-TRANSCRIPT\n');
    writeFileSync(path.join(sessions, 'other.jsonl'), 'OTHER-TRANSCRIPT\n');
    const mine = path.join(sessions, 'mine.jsonl');
    const s = sandbox({ projectRoot: f.project, home: f.home, dataDir: data });
    const script = `cat '${mine}'; cat '${sessions}/other.jsonl'; ls '${sessions}'; echo more >> '${mine}' && echo appended; echo end`;
    const launch = await s.launch(['/bin/sh', '-c', script], f.project, { PATH: process.env.PATH }, [mine, path.join(sessions, 'missing.jsonl')]);
    if ('refused' in launch) throw new Error(launch.refused);
    const hook = execFileSync(launch.argv[0]!, launch.argv.slice(1), { env: launch.env, encoding: 'utf8', stdio: 'pipe' });
    expect(hook).toContain('MY-TRANSCRIPT');
    expect(hook).not.toContain('OTHER-TRANSCRIPT');
    expect(hook).not.toContain('appended');
    expect(hook).toContain('end');
    expect(readFileSync(mine, 'utf8')).toBe('MY-TRANSCRIPT\n');
    // A command launched without it (Bash) sees none of it.
    expect(await run(s, f.project, `cat '${mine}'; echo end`)).not.toContain('MY-TRANSCRIPT');
  });
});

describe('Read deny patterns', () => {
  it('hide every file and folder they match in the project, at any depth', async () => {
    const f = folders();
    const put = (rel: string, text: string) => (mkdirSync(path.dirname(path.join(f.project, rel)), { recursive: true }), writeFileSync(path.join(f.project, rel), text));
    put('.env', 'TOP-SECRET');
    put('apps/web/.env', 'NESTED-SECRET');
    put('secrets/db/password.txt', 'DIR-SECRET');
    put('certs/server.pem', 'PEM-SECRET');
    put('src/app.js', 'PUBLIC-CODE');
    const rules = ['Read(**/.env)', 'Read(./secrets/**)', 'Read(*.pem)'];
    const s = sandbox({ projectRoot: f.project, home: f.home, denyRules: () => rules });
    const out = await run(s, f.project, 'cat .env apps/web/.env secrets/db/password.txt certs/server.pem src/app.js; ls -A secrets; echo made > new.txt && echo wrote');
    for (const secret of ['TOP-SECRET', 'NESTED-SECRET', 'DIR-SECRET', 'PEM-SECRET']) expect(out).not.toContain(secret);
    expect(out).toContain('PUBLIC-CODE');
    expect(out).toContain('wrote');
    // Outside the sandbox nothing changed.
    expect(readFileSync(path.join(f.project, 'apps/web/.env'), 'utf8')).toBe('NESTED-SECRET');
  });

  it('a file created after the session started is hidden from the next command', async () => {
    const f = folders();
    const s = sandbox({ projectRoot: f.project, home: f.home, denyRules: () => ['Read(**/.env)'] });
    expect(await run(s, f.project, 'echo first')).toContain('first');
    mkdirSync(path.join(f.project, 'later'));
    writeFileSync(path.join(f.project, 'later', '.env'), 'LATE-SECRET');
    expect(await run(s, f.project, 'cat later/.env; echo end')).not.toContain('LATE-SECRET');
  });

  it('past the walk or match bound, commands are refused and the message says how to narrow the rule', async () => {
    const f = folders();
    for (let i = 0; i < 8; i++) writeFileSync(path.join(f.project, `f${i}.txt`), '');
    const scan = (rules: string[], limits: WalkLimits) => new ProjectWalk().scan(walkedRules(rules), [f.project], f.project, f.home, limits);
    expect(scan(['Read(**/.env)'], { entries: 5 }).refused).toMatch(/cannot enforce Read\(\*\*\/\.env\): the project has more than 5 files.*Anchor the rule/);
    expect(scan(['Read(**/.env)'], { entries: 50 }).refused).toBeUndefined();
    expect(scan(['Read(*.txt)'], { entries: 50, matches: 3 }).refused).toMatch(/cannot enforce Read\(\*\.txt\): it matches more than 3 files.*Deny a folder/);
    // Through the session's sandbox: no command starts.
    for (let i = 0; i < 1001; i++) writeFileSync(path.join(f.project, `g${i}.txt`), '');
    const s = sandbox({ projectRoot: f.project, home: f.home, denyRules: () => ['Read(*.txt)'] });
    expect(await s.launch(['true'], f.project, {})).toEqual({ refused: expect.stringMatching(/more than 1000 files/) });
  });

  it('a project of 30,000 files is not refused, and its secret deep inside stays hidden', async () => {
    const f = folders();
    for (let d = 0; d < 30; d++) {
      const dir = path.join(f.project, 'packages', `p${d}`, 'src');
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < 1000; i++) writeFileSync(path.join(dir, `m${i}.ts`), '');
    }
    writeFileSync(path.join(f.project, 'packages', 'p29', 'src', '.env'), 'DEEP-SECRET');
    const s = sandbox({ projectRoot: f.project, home: f.home, denyRules: () => ['Read(**/.env)'] });
    const out = await run(s, f.project, 'cat packages/p29/src/.env; cat packages/p29/src/m999.ts && echo readable');
    expect(out).not.toContain('DEEP-SECRET');
    expect(out).toContain('readable');
  }, 30_000);

  it('a later command re-reads only the folders that changed, and a file new in a settled folder is hidden', async () => {
    const f = folders();
    for (let d = 0; d < 20; d++) mkdirSync(path.join(f.project, 'src', `d${d}`), { recursive: true });
    await new Promise((r) => setTimeout(r, 120));
    const walk = new ProjectWalk();
    const scan = () => walk.scan(walkedRules(['Read(**/.env)']), [f.project], f.project, f.home, { settleMs: 100 });
    expect(scan().hidden).toEqual([]);
    expect(walk.reads).toBe(22); // the project, src, and its 20 folders
    expect(scan().hidden).toEqual([]);
    expect(walk.reads).toBe(0);
    writeFileSync(path.join(f.project, 'src', 'd7', '.env'), 'NEW-SECRET');
    expect(scan().hidden).toEqual([{ path: path.join(f.project, 'src', 'd7', '.env'), dir: false }]);
    expect(walk.reads).toBe(1);
    // A folder changed just before the walk is read again next time: a change in the same tick would not show.
    expect(scan().hidden).toHaveLength(1);
    expect(walk.reads).toBe(1);
  });

  it('with real bwrap: a secret written into a folder the session already walked is hidden from the next command', async () => {
    const f = folders();
    mkdirSync(path.join(f.project, 'config'));
    const s = sandbox({ projectRoot: f.project, home: f.home, denyRules: () => ['Read(**/.env)'] });
    expect(await run(s, f.project, 'echo first')).toContain('first');
    await new Promise((r) => setTimeout(r, 2_100)); // the folders' times settle: the next walk keeps their listings
    expect(await run(s, f.project, 'echo second')).toContain('second');
    writeFileSync(path.join(f.project, 'config', '.env'), 'LATE-SECRET');
    expect(await run(s, f.project, 'cat config/.env; echo end')).not.toContain('LATE-SECRET');
  });
});

describe('/tmp inside', () => {
  it("is the session's own: writable, kept between commands, and nothing reaches the real /tmp", async () => {
    const f = folders();
    const name = `glm-private-tmp-${process.pid}-${Date.now()}`;
    const shared = path.join(os.tmpdir(), `${name}-shared`);
    writeFileSync(shared, 'SHARED-TMP-FILE');
    const s = sandbox({ projectRoot: f.project, home: f.home });
    const out = await run(s, f.project, `touch /tmp/${name} && echo touched; echo "$TMPDIR"; cat '${shared}'; echo x > '${shared}'; echo made > made.txt && echo wrote`);
    expect(out).toContain('touched');
    expect(out).toMatch(/^\/tmp$/m);
    expect(out).not.toContain('SHARED-TMP-FILE'); // the real /tmp is out of sight
    expect(out).toContain('wrote'); // the project, itself in the real /tmp here, is bound back
    expect(existsSync(path.join('/tmp', name))).toBe(false);
    expect(readFileSync(shared, 'utf8')).toBe('SHARED-TMP-FILE');
    expect(await run(s, f.project, `ls /tmp/${name} && echo still-there`)).toContain('still-there');
    expect(existsSync(path.join(s.tmpDir, name))).toBe(true);
    rmSync(shared);
  });

  it('a script file glm wrote in the real /tmp still runs', async () => {
    const f = folders();
    const script = path.join(f.root, 'script.sh');
    writeFileSync(script, 'echo from-script\n');
    const s = sandbox({ projectRoot: path.join(f.project), home: '/nonexistent' });
    const launch = await s.launch(['/bin/sh', script], f.project, { PATH: process.env.PATH });
    if ('refused' in launch) throw new Error(launch.refused);
    const out = execFileSync(launch.argv[0]!, launch.argv.slice(1), { env: launch.env, encoding: 'utf8' });
    expect(out).toBe('from-script\n');
    // A command whose whole text is a path in the real /tmp does not bring that file into sight.
    const fresh = sandbox({ projectRoot: path.join(f.project), home: '/nonexistent' });
    const asCommand = await fresh.launch(['/bin/sh', '-c', script], f.project, { PATH: process.env.PATH });
    if ('refused' in asCommand) throw new Error(asCommand.refused);
    expect(() => execFileSync(asCommand.argv[0]!, asCommand.argv.slice(1), { env: asCommand.env, encoding: 'utf8', stdio: 'pipe' })).toThrow(/not found|No such file/);
  });
});

describe("the project's settings folders", () => {
  it('.claude and .glm are read-only inside: a command cannot change settings, hooks or commands, nor swap the folder', async () => {
    const f = folders();
    for (const dir of ['.claude', '.claude/commands', '.glm']) mkdirSync(path.join(f.project, dir), { recursive: true });
    writeFileSync(path.join(f.project, '.claude', 'settings.json'), '{}\n');
    writeFileSync(path.join(f.project, '.glm', 'settings.json'), '{}\n');
    const s = sandbox({ projectRoot: f.project, home: f.home });
    const allow = `'{"permissions":{"allow":["Bash"]}}'`;
    const out = await run(s, f.project, [
      `echo ${allow} > .claude/settings.json`,
      `echo ${allow} > .claude/settings.local.json`,
      `echo 'run anything' > .claude/commands/x.md`,
      `echo ${allow} > .glm/settings.json`,
      `mv .claude .claude-old; mkdir -p .claude && echo ${allow} > .claude/settings.json`,
      'cat .claude/settings.json && echo made > made.txt && echo wrote',
    ].join('; '));
    expect(out).toMatch(/Read-only file system/);
    expect(out).toContain('wrote');
    expect(readFileSync(path.join(f.project, '.claude', 'settings.json'), 'utf8')).toBe('{}\n');
    expect(readFileSync(path.join(f.project, '.glm', 'settings.json'), 'utf8')).toBe('{}\n');
    for (const made of ['.claude/settings.local.json', '.claude/commands/x.md', '.claude-old']) expect(existsSync(path.join(f.project, made))).toBe(false);
  });
});
