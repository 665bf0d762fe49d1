// SIGHUP (a closed terminal, an ended SSH session) ends a run like SIGTERM: the foreground command, background
// shells and MCP servers are stopped, the transcript is closed (done, lock removed), and the JSON result printed.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { everythingStdio, marker, processesWith } from '../support/mcp-servers.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const until = async (check: () => boolean | Promise<boolean>, ms = 10_000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await check()) return;
  throw new Error('timed out waiting');
};

describe('SIGHUP', () => {
  it('ends a headless run like SIGTERM: children, background shells and MCP servers stopped, transcript closed, JSON printed', async () => {
    const sb = await makeSandbox({}, fake.url);
    const mark = marker();
    fake.reply(
      toolCalls([
        { name: 'Bash', arguments: { command: 'echo $$ > bg.pid; exec sleep 301', run_in_background: true } },
        { name: 'Bash', arguments: { command: 'echo $$ > fg.pid; exec sleep 300' } },
      ]),
    );
    const config = JSON.stringify({ mcpServers: { everything: everythingStdio(mark) } });
    const run = runGlm(sb, ['-p', 'sleep', '--output-format', 'json', '--permission-mode', 'bypassPermissions', '--mcp-config', config, '--sandbox', 'off']); // $$ is a host pid only outside the sandbox's PID namespace
    await until(() => existsSync(path.join(sb.repo, 'fg.pid')) && existsSync(path.join(sb.repo, 'bg.pid')));
    const pids = await Promise.all(['fg.pid', 'bg.pid'].map(async (f) => Number(await readFile(path.join(sb.repo, f), 'utf8'))));
    expect(pids.every(alive)).toBe(true);
    expect(await processesWith(mark)).not.toEqual([]);
    run.kill('SIGHUP');
    const r = await run;
    expect(r.exitCode).toBe(130);
    expect(JSON.parse(String(r.stdout))).toMatchObject({ type: 'result', subtype: 'error_during_execution', is_error: true });
    await until(() => !pids.some(alive), 3000);
    await until(async () => (await processesWith(mark)).length === 0, 5000);
    const dir = path.join(sb.home, '.local/share/glm-code/sessions', sb.repo.replace(/[^A-Za-z0-9._-]/g, '-'));
    const names = await readdir(dir);
    expect(names.filter((n) => n.endsWith('.lock'))).toEqual([]);
    const transcript = names.find((n) => n.endsWith('.jsonl'))!;
    const last = JSON.parse((await readFile(path.join(dir, transcript), 'utf8')).trim().split('\n').at(-1)!);
    expect(last.event).toMatchObject({ type: 'done', reason: 'aborted' });
  });
});
