// The hooks module with real `sh` hook processes: parallel runs and dedupe, process-group kills on abort, the JSON
// contract (continue, systemMessage, failClosed), matchers, settings parsing (glm's strict, Claude Code's lenient),
// the order of authority around the real gate (deny rules, plan mode, ask), and trust covering .claude hooks.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectTrust } from '../../src/config.ts';
import { ConfigError } from '../../src/config-layers.ts';
import { createGate } from '../../src/gate.ts';
import { HookRunner } from '../../src/hooks/runner.ts';
import { SessionHooks } from '../../src/hooks/session-hooks.ts';
import { loadHookSets, matches, parseHooks } from '../../src/hooks/settings.ts';
import { promptText, verdict } from '../../src/hooks/prompt.ts';
import { withToolHooks } from '../../src/hooks/tool-gate.ts';
import { createToolState } from '../../src/tool.ts';
import type { AgentEvent, HookEntry, HookResponseEvent, PermissionMode } from '../../src/types.ts';
import { bashTool } from '../../tools/bash.ts';
import { alive } from '../support/process-alive.ts';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'glm-hooks-'));

function hooksFor(dir: string, entries: Partial<HookEntry>[], mode: PermissionMode = 'default') {
  const events: AgentEvent[] = [];
  const hooks: HookEntry[] = entries.map((e) => ({ event: 'PreToolUse', matcher: '', command: 'true', file: path.join(dir, 'settings.json'), scope: 'user', ...e }));
  const runner = new HookRunner({
    hooks,
    cwd: dir,
    projectRoot: dir,
    env: { PATH: process.env.PATH },
    sessionId: () => 'sid',
    transcriptPath: () => path.join(dir, 't.jsonl'),
    permissionMode: () => mode,
    emit: (e) => events.push(e),
  });
  return { runner, hooks: new SessionHooks(runner), events, responses: () => events.filter((e): e is HookResponseEvent => e.type === 'hook_response') };
}

const signal = () => new AbortController().signal;

const json = (value: unknown) => `echo '${JSON.stringify(value)}'`;

describe('running hooks', () => {
  it('runs the matching hooks of an event in parallel, identical commands once', async () => {
    const dir = tmp();
    const log = path.join(dir, 'log');
    const { runner, responses } = hooksFor(dir, [
      { command: `sleep 1; echo a >> ${log}` },
      { command: `sleep 1; echo b >> ${log}` },
      { command: `sleep 1; echo a >> ${log}`, matcher: 'Bash' },
      { command: `echo never >> ${log}`, matcher: 'Edit' },
    ]);
    const started = Date.now();
    const results = await runner.run('PreToolUse', 'Bash', { tool_name: 'Bash' }, signal());
    expect(Date.now() - started).toBeLessThan(1900);
    expect(results).toHaveLength(2);
    expect(readFileSync(log, 'utf8').trim().split('\n').sort()).toEqual(['a', 'b']);
    expect(responses().map((e) => e.hookName)).toEqual(['PreToolUse:Bash', 'PreToolUse:Bash']);
  });

  it('ends the whole process tree on abort (Esc) and does not wait for its pipes', async () => {
    const dir = tmp();
    const { runner, responses } = hooksFor(dir, [{ command: `sleep 300 & echo $! > ${dir}/pid; wait` }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    await runner.run('PreToolUse', 'Bash', {}, controller.signal);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(responses()[0]).toMatchObject({ outcome: 'cancelled', exitCode: null });
    const pid = Number(readFileSync(path.join(dir, 'pid'), 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid)).toBe(false);
  });

  it('does not wait for a background process that keeps the pipes open after the hook exits', async () => {
    const dir = tmp();
    const { runner } = hooksFor(dir, [{ event: 'PostToolUse', command: 'sleep 5 & echo done' }]);
    const started = Date.now();
    const [r] = await runner.run('PostToolUse', 'Bash', {}, signal());
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.run).toMatchObject({ exitCode: 0, stdout: 'done\n' });
  });

  it('sends the payload on stdin and sets CLAUDE_PROJECT_DIR and GLM_PROJECT_DIR', async () => {
    const dir = tmp();
    const { runner } = hooksFor(dir, [{ event: 'UserPromptSubmit', command: `cat > ${dir}/in.json; echo "$CLAUDE_PROJECT_DIR|$GLM_PROJECT_DIR"` }]);
    const [r] = await runner.run('UserPromptSubmit', undefined, { prompt: 'hi' }, signal());
    expect(r.context).toBe(`${dir}|${dir}`);
    expect(JSON.parse(readFileSync(path.join(dir, 'in.json'), 'utf8'))).toEqual({
      session_id: 'sid', transcript_path: path.join(dir, 't.jsonl'), cwd: dir, permission_mode: 'default', hook_event_name: 'UserPromptSubmit', prompt: 'hi',
    }); // prettier-ignore
  });
});

describe('the JSON contract', () => {
  it('continue: false ends the run with its stopReason; systemMessage is shown', async () => {
    const dir = tmp();
    const { hooks, responses } = hooksFor(dir, [{ event: 'PostToolUse', command: json({ continue: false, stopReason: 'build is broken', systemMessage: 'see CI' }) }]);
    await hooks.afterTool({ callId: 'c', name: 'Bash', input: {}, output: 'x', isError: false }, signal());
    expect(hooks.stopped()).toBe('build is broken');
    expect(responses()[0]).toMatchObject({ outcome: 'blocked', message: 'stopped the run: build is broken' });
    hooks.beginRun();
    expect(hooks.stopped()).toBeUndefined();
  });

  it('a deny beats an allow from another hook; decision "block" in PostToolUse is fed back; another exit code is a non-blocking error', async () => {
    const dir = tmp();
    const { hooks, responses } = hooksFor(dir, [
      { command: json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow' } }) },
      { command: json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'no' } }) },
      { event: 'PostToolUse', command: json({ decision: 'block', reason: 'lint failed: 3 errors' }) },
      { event: 'PostToolUse', command: 'echo oops >&2; exit 3' },
    ]);
    expect(await hooks.preToolUse({ callId: 'c', name: 'Bash', input: {} }, signal())).toMatchObject({ decision: 'deny', reason: 'no' });
    const added = await hooks.afterTool({ callId: 'c', name: 'Edit', input: {}, output: 'ok', isError: false }, signal());
    expect(added).toBe('A PostToolUse hook says: lint failed: 3 errors');
    expect(responses().find((e) => e.exitCode === 3)).toMatchObject({ outcome: 'error', message: 'failed: exit 3: oops' });
  });

  it('failClosed: unparseable output or a timeout denies; without it the call goes on', async () => {
    const dir = tmp();
    const open = hooksFor(dir, [{ command: 'echo "{not json"' }, { command: 'sleep 5', timeout: 0.3 }]);
    expect((await open.hooks.preToolUse({ callId: 'c', name: 'Bash', input: {} }, signal())).decision).toBeUndefined();
    const closed = hooksFor(dir, [{ command: 'sleep 5', timeout: 0.3, failClosed: true }]);
    const d = await closed.hooks.preToolUse({ callId: 'c', name: 'Bash', input: {} }, signal());
    expect(d.decision).toBe('deny');
    expect(d.reason).toMatch(/failed \(timed out after 3\d\d ms\), and it is failClosed/);
    const garbled = hooksFor(dir, [{ event: 'PermissionRequest', command: 'echo "{not json"', failClosed: true }]);
    expect(await garbled.hooks.permissionRequest({ callId: 'c', name: 'Bash', input: {} }, signal())).toMatchObject({ decision: 'deny' });
  });
});

describe('the order of authority around the gate', () => {
  const call = (dir: string, command: string) => ({ callId: 'c1', tool: bashTool, args: { command }, title: command, context: { cwd: dir, state: createToolState() } });
  function gated(dir: string, decision: string, o: { mode?: PermissionMode; deny?: string[]; allow?: string[]; approver?: boolean } = {}) {
    const { hooks } = hooksFor(dir, [{ matcher: 'Bash', command: json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: decision } }) }]);
    const asked: string[] = [];
    const emit = (_: AgentEvent) => {};
    const gate = createGate({
      mode: () => o.mode ?? 'default',
      rules: { allow: o.allow ?? [], deny: o.deny ?? [], ask: [] },
      projectRoot: dir,
      cwd: dir,
      emit,
      ...(o.approver && { approver: async (req) => (asked.push(req.reason), { decision: 'allow' as const }) }),
    });
    return { gate: withToolHooks(gate, hooks, emit), asked };
  }

  it('allow skips the prompt but not a deny rule or plan mode', async () => {
    const dir = tmp();
    expect((await gated(dir, 'allow').gate(call(dir, 'touch x'), signal())).allowed).toBe(true);
    expect((await gated(dir, 'allow', { deny: ['Bash(touch:*)'] }).gate(call(dir, 'touch x'), signal())).allowed).toBe(false);
    expect((await gated(dir, 'allow', { mode: 'plan' }).gate(call(dir, 'touch x'), signal())).allowed).toBe(false);
  });

  it('ask puts even an allowed call to the user, and headless that is a denial', async () => {
    const dir = tmp();
    const interactive = gated(dir, 'ask', { allow: ['Bash'], approver: true });
    expect((await interactive.gate(call(dir, 'echo hi'), signal())).allowed).toBe(true);
    expect(interactive.asked).toEqual(['a PreToolUse hook asks for approval']);
    const headless = await gated(dir, 'ask', { allow: ['Bash'] }).gate(call(dir, 'echo hi'), signal());
    expect(headless).toMatchObject({ allowed: false, message: expect.stringMatching(/nobody can approve it/) });
  });
});

describe('settings', () => {
  const file = (claude: boolean) => ({ file: '/p/.claude/settings.json', scope: 'project' as const, claude });

  it('matchers: empty and * take all, names match exactly, anything else is a regular expression', () => {
    expect(matches('', 'Bash') && matches('*', 'Bash')).toBe(true);
    expect([matches('Bash', 'Bash'), matches('Bash', 'BashOutput'), matches('Edit|Write', 'Write')]).toEqual([true, false, true]);
    expect([matches('mcp__github__.*', 'mcp__github__create_issue'), matches('Notebook.*', 'Read')]).toEqual([true, false]);
  });

  it("Claude Code's file: what glm cannot run is skipped with a warning, events glm lacks quietly", () => {
    const warnings: string[] = [];
    const value = {
      PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './a.sh', timeout: 5 }, { type: 'agent', prompt: 'judge it' }] }],
      PostCompact: [{ hooks: [{ type: 'command', command: './b.sh' }] }],
      Stop: [{ hooks: [{ type: 'http', url: 'https://hooks.example/stop', headers: { 'X-Key': '${KEY}' }, allowedEnvVars: ['KEY'] }, { type: 'http', url: 'file:///etc/passwd' }] }],
    };
    const entries = parseHooks(value, file(true), warnings);
    const at = { file: '/p/.claude/settings.json', scope: 'project' };
    expect(entries).toEqual([
      { event: 'PreToolUse', matcher: 'Bash', command: './a.sh', timeout: 5, ...at },
      { event: 'Stop', matcher: '', command: 'POST https://hooks.example/stop', http: { url: 'https://hooks.example/stop', headers: { 'X-Key': '${KEY}' }, allowedEnvVars: ['KEY'] }, ...at },
    ]);
    expect(warnings).toEqual([
      '"hooks.PreToolUse[0].hooks[1].type" in /p/.claude/settings.json is "agent": glm runs "command", "http" and "prompt" hooks; skipped',
      '"hooks.Stop[0].hooks[1].url" in /p/.claude/settings.json must be an http:// or https:// URL; skipped',
    ]);
  });

  it('prompt hooks: the payload replaces $ARGUMENTS (else follows the prompt); {ok, reason} is read out of the answer', () => {
    expect(promptText('Check $ARGUMENTS now', '{"a":1}')).toBe('Check {"a":1} now');
    expect(promptText('Check it', '{"a":1}')).toBe('Check it\n\n{"a":1}');
    expect(verdict('```json\n{"ok": false, "reason": " tests are red "}\n```')).toEqual({ ok: false, reason: 'tests are red' });
    expect(verdict('{"ok": true}')).toEqual({ ok: true });
    expect([verdict('yes'), verdict('{"ok": "yes"}'), verdict('{ok: true}')]).toEqual([undefined, undefined, undefined]);
    const [entry] = parseHooks({ Stop: [{ hooks: [{ type: 'prompt', prompt: 'Done?', model: 'haiku' }] }] }, file(false), []);
    expect(entry).toMatchObject({ command: 'prompt: Done?', prompt: { prompt: 'Done?', model: 'haiku' } });
    expect(() => parseHooks({ Stop: [{ hooks: [{ type: 'prompt' }] }] }, file(false), [])).toThrow(/"hooks\.Stop\[0\]\.hooks\[0\]\.prompt" in .* must be the instructions/);
  });

  it("glm's own file: a mistake is one ConfigError line naming the place", () => {
    expect(() => parseHooks({ Stop: [{ hooks: [{ type: 'http', url: 'ftp://x' }] }] }, file(false), [])).toThrow(/"hooks\.Stop\[0\]\.hooks\[0\]\.url" in .* must be an http/);
    expect(() => parseHooks({ Stop: [{ hooks: [{ type: 'command', command: 'x', timeout: -1 }] }] }, file(false), [])).toThrow(ConfigError);
    expect(() => parseHooks({ Stop: [{ matcher: '(', hooks: [] }] }, file(false), [])).toThrow(/"hooks\.Stop\[0\]\.matcher" in .* is not a valid regular expression/);
  });

  it("claudeCompat.hooks: a project's false turns off its own .claude hooks, never the user's ~/.claude ones", () => {
    const root = tmp();
    const home = path.join(root, 'home');
    const project = path.join(root, 'proj');
    const hook = (command: string) => JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command }] }] } });
    for (const d of [path.join(home, '.claude'), path.join(project, '.claude'), path.join(project, '.glm')]) mkdirSync(d, { recursive: true });
    writeFileSync(path.join(home, '.claude', 'settings.json'), hook('user-guard'));
    writeFileSync(path.join(project, '.claude', 'settings.json'), hook('project-hook'));
    writeFileSync(path.join(project, '.glm', 'settings.json'), JSON.stringify({ claudeCompat: { hooks: false } }));
    const sets = loadHookSets({ userSettings: path.join(root, 'cfg', 'settings.json'), home, projectRoot: project });
    expect(sets.user.map((h) => h.command)).toEqual(['user-guard']);
    expect(sets.project).toEqual([]);
  });

  it('trust covers .claude/settings.local.json hooks: changing one needs trust again', () => {
    const root = tmp();
    mkdirSync(path.join(root, '.git'));
    mkdirSync(path.join(root, '.claude'));
    const env = { HOME: path.join(root, 'home'), XDG_CONFIG_HOME: path.join(root, 'cfg') };
    const write = (command: string) => writeFileSync(path.join(root, '.claude', 'settings.local.json'), JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command }] }] } }));
    write('./check.sh');
    const first = projectTrust(env, root);
    // The hook, and the project script it runs (not there yet: it counts as missing).
    expect(first.entries).toEqual([{ kind: 'hook', value: expect.stringContaining('"file":".claude/settings.local.json"') }, { kind: 'script', value: 'check.sh (missing)' }]);
    write('./check.sh; curl evil');
    expect(projectTrust(env, root).fingerprint).not.toBe(first.fingerprint);
    expect(existsSync(path.join(root, 'cfg'))).toBe(false); // reading trust writes nothing
  });
});

