// Lifecycle hooks end to end: real hook scripts (sh) in temp projects, the built `glm` against the fake GLM server.
// Each test checks what a user would: whether the call ran (files), what the model was told (the next request),
// what the hook was sent (its payload on disk), stdout/stderr and the exit code.
import { existsSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { lastContent, useFakeGlm } from '../support/use-fake-glm.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';
import { alive } from '../support/process-alive.ts';
import { userHooks, withType } from '../support/hook-settings.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

/** A hook script in the project (run as `sh <file>`), and where it may write. */
function script(sb: Sandbox, name: string, body: string): string {
  const file = path.join(sb.repo, 'hooks', name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, body);
  return `sh "${file}"`;
}

const read = (sb: Sandbox, name: string) => readFileSync(path.join(sb.repo, name), 'utf8');
const json = (stdout: unknown) => JSON.parse(String(stdout));
const toolMessages = (body: { messages: { role: string; content: string }[] }) => body.messages.filter((m) => m.role === 'tool').map((m) => m.content);

describe('PreToolUse', () => {
  it('exit 2 blocks a Bash call (even an allowed one) and the model sees stderr; the hook got the payload', async () => {
    const sb = await makeSandbox({}, fake.url);
    userHooks(sb, { PreToolUse: [{ matcher: 'Bash', hooks: [{ command: script(sb, 'block.sh', 'cat > "$GLM_PROJECT_DIR/payload.json"\necho "no touching today" >&2\nexit 2\n') }] }] });
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'touch MARKER' } }]), (body) => {
      expect(lastContent(body)).toContain('no touching today');
      return text('Blocked.');
    });
    const r = await runGlm(sb, ['-p', 'touch it', '--permission-mode', 'bypassPermissions', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(existsSync(path.join(sb.repo, 'MARKER'))).toBe(false);
    expect(json(r.stdout).permission_denials).toEqual([{ tool_name: 'Bash', tool_use_id: expect.any(String), tool_input: { command: 'touch MARKER' } }]);
    const payload = JSON.parse(read(sb, 'payload.json'));
    expect(payload).toMatchObject({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'touch MARKER' }, cwd: sb.repo, permission_mode: 'bypassPermissions' });
    expect(payload.session_id).toBe(json(r.stdout).session_id);
    expect(payload.transcript_path).toMatch(new RegExp(`${payload.session_id}\\.jsonl$`));
    expect(typeof payload.tool_use_id).toBe('string');
  });

  it('permissionDecision allow lets a call no rule allows run headless', async () => {
    const sb = await makeSandbox({}, fake.url);
    const allow = JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow', permissionDecisionReason: 'touch is fine' } });
    userHooks(sb, { PreToolUse: [{ matcher: 'Bash', hooks: [{ command: `cat >/dev/null; echo '${allow}'` }] }] });
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'touch made-by-model' } }]), text('Done.'));
    const r = await runGlm(sb, ['-p', 'touch it', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(json(r.stdout).permission_denials).toEqual([]);
    expect(existsSync(path.join(sb.repo, 'made-by-model'))).toBe(true);
  });

  it("a hook's deny beats an allow rule, and its reason reaches the model", async () => {
    const sb = await makeSandbox({}, fake.url);
    const deny = JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'use the Makefile instead' } });
    userHooks(sb, { PreToolUse: [{ matcher: 'Bash|Edit', hooks: [{ command: `echo '${deny}'` }] }] });
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'touch MARKER' } }]), (body) => {
      expect(lastContent(body)).toContain('use the Makefile instead');
      return text('OK.');
    });
    const r = await runGlm(sb, ['-p', 'touch it', '--allowedTools', 'Bash'], {});
    expect(r.exitCode).toBe(0);
    expect(existsSync(path.join(sb.repo, 'MARKER'))).toBe(false);
    expect(String(r.stderr)).toContain('glm: PreToolUse:Bash hook: denied: use the Makefile instead');
  });

  it('updatedInput rewrites the command, and the rewrite is judged by the rules again', async () => {
    const sb = await makeSandbox({ 'keep/file.txt': 'keep me\n' }, fake.url);
    // Rewrites every command: `touch original` → `touch rewritten`; `echo go` → `rm -rf keep` (which a deny rule forbids).
    const rewrite = script(
      sb,
      'rewrite.sh',
      `input=$(cat)
case "$input" in
  *original*) cmd='touch rewritten' ;;
  *) cmd='rm -rf keep' ;;
esac
printf '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","updatedInput":{"command":"%s"}}}' "$cmd"
`,
    );
    userHooks(sb, { PreToolUse: [{ matcher: 'Bash', hooks: [{ command: rewrite }] }] });
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'touch original' } }]), (body) => {
      expect(lastContent(body)).toContain(`A PreToolUse hook changed this call's input to {"command":"touch rewritten"}`);
      return toolCalls([{ name: 'Bash', arguments: { command: 'echo go' } }]);
    }, (body) => {
      expect(lastContent(body)).toMatch(/Permission denied/);
      return text('Done.');
    });
    const r = await runGlm(sb, ['-p', 'go', '--disallowedTools', 'Bash(rm:*)', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(existsSync(path.join(sb.repo, 'rewritten'))).toBe(true);
    expect(existsSync(path.join(sb.repo, 'original'))).toBe(false);
    expect(read(sb, 'keep/file.txt')).toBe('keep me\n');
    expect(json(r.stdout).permission_denials).toHaveLength(1);
  });

  it('a hanging hook is killed with everything it started at its timeout, and the run goes on', async () => {
    const sb = await makeSandbox({}, fake.url);
    const hang = script(sb, 'hang.sh', 'cat >/dev/null\nsleep 300 &\necho $! > "$GLM_PROJECT_DIR/child.pid"\nwait\n');
    userHooks(sb, { PreToolUse: [{ matcher: 'Bash', hooks: [{ command: hang, timeout: 1 }] }] });
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'touch MARKER' } }]), text('Done.'));
    const started = Date.now();
    const r = await runGlm(sb, ['-p', 'touch it', '--permission-mode', 'bypassPermissions']);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.exitCode).toBe(0);
    expect(String(r.stderr)).toContain('glm: PreToolUse:Bash hook: failed: timed out after 1 s');
    expect(existsSync(path.join(sb.repo, 'MARKER'))).toBe(true); // a failing hook does not block (it is not failClosed)
    const pid = Number(read(sb, 'child.pid'));
    expect(alive(pid)).toBe(false); // the hook's own child is gone too
  });

  it('SIGINT ends a running hook with everything it started, and glm exits 130 at once', async () => {
    const sb = await makeSandbox({}, fake.url);
    const hang = script(sb, 'hang.sh', 'cat >/dev/null\nsleep 300 &\necho $! > "$GLM_PROJECT_DIR/child.pid"\nwait\n');
    userHooks(sb, { PreToolUse: [{ hooks: [{ command: hang }] }] });
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'touch MARKER' } }]), text('Done.'));
    const run = runGlm(sb, ['-p', 'touch it', '--permission-mode', 'bypassPermissions']);
    const pidFile = path.join(sb.repo, 'child.pid');
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 100));
    const sent = Date.now();
    run.kill('SIGINT');
    const r = await run;
    expect(Date.now() - sent).toBeLessThan(5000);
    expect(r.exitCode).toBe(130);
    expect(existsSync(path.join(sb.repo, 'MARKER'))).toBe(false);
    expect(alive(Number(read(sb, 'child.pid')))).toBe(false);
  });

  it('a PermissionRequest hook answers for the user: its allow lets an un-allowed call run headless', async () => {
    const sb = await makeSandbox({}, fake.url);
    const allow = JSON.stringify({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } } });
    userHooks(sb, { PermissionRequest: [{ matcher: 'Write', hooks: [{ command: `cat > "$GLM_PROJECT_DIR/perm.json"; echo '${allow}'` }] }] });
    fake.reply(toolCalls([{ name: 'Write', arguments: { file_path: 'notes.txt', content: 'hi\n' } }]), text('Written.'));
    const r = await runGlm(sb, ['-p', 'write notes', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(json(r.stdout).permission_denials).toEqual([]);
    expect(read(sb, 'notes.txt')).toBe('hi\n');
    expect(JSON.parse(read(sb, 'perm.json'))).toMatchObject({ hook_event_name: 'PermissionRequest', tool_name: 'Write' });
  });

  it('a failClosed hook that crashes denies the call, even an allowed one', async () => {
    const sb = await makeSandbox({}, fake.url);
    userHooks(sb, { PreToolUse: [{ matcher: '*', hooks: [{ command: 'echo boom >&2; exit 1', failClosed: true }] }] });
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'touch MARKER' } }]), (body) => {
      expect(lastContent(body)).toMatch(/failed \(exit 1: boom\), and it is failClosed/);
      return text('Denied.');
    });
    const r = await runGlm(sb, ['-p', 'touch it', '--allowedTools', 'Bash', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(existsSync(path.join(sb.repo, 'MARKER'))).toBe(false);
    expect(json(r.stdout).permission_denials).toHaveLength(1);
  });
});

describe('PostToolUse, UserPromptSubmit and Stop', () => {
  it("PostToolUse's additionalContext reaches the next request", async () => {
    const sb = await makeSandbox({ 'a.txt': 'hello\n' }, fake.url);
    const context = JSON.stringify({ hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: 'Formatter ran: 0 changes.' } });
    userHooks(sb, { PostToolUse: [{ matcher: 'Read', hooks: [{ command: `cat > "$GLM_PROJECT_DIR/post.json"; echo '${context}'` }] }] });
    fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'a.txt' } }]), text('Read it.'));
    const r = await runGlm(sb, ['-p', 'read a.txt']);
    expect(r.exitCode).toBe(0);
    expect(toolMessages(fake.requests[1]).join('\n')).toMatch(/hello[\s\S]*Formatter ran: 0 changes\./);
    expect(JSON.parse(read(sb, 'post.json'))).toMatchObject({ hook_event_name: 'PostToolUse', tool_name: 'Read', tool_input: { file_path: 'a.txt' } });
  });

  it('UserPromptSubmit adds its stdout as context, and exit 2 drops the prompt and shows stderr', async () => {
    const sb = await makeSandbox({}, fake.url);
    const gate = script(sb, 'prompt.sh', 'input=$(cat)\ncase "$input" in\n  *secret*) echo "prompts may not mention secrets" >&2; exit 2 ;;\nesac\necho "Ticket ABC-123 is open."\n');
    userHooks(sb, { UserPromptSubmit: [{ hooks: [{ command: gate }] }] });
    fake.reply(text('Hi.'));
    const ok = await runGlm(sb, ['-p', 'hello']);
    expect(ok.exitCode).toBe(0);
    const sent = JSON.stringify(fake.requests[0].messages);
    expect(sent).toContain('hello');
    expect(sent).toContain('Ticket ABC-123 is open.');

    fake.reset();
    const blocked = await runGlm(sb, ['-p', 'tell me the secret']);
    expect(blocked.exitCode).toBe(1);
    expect(fake.requests).toHaveLength(0);
    expect(String(blocked.stderr)).toContain('prompts may not mention secrets');
    // Said once: the session's error names the hook and its reason.
    expect(String(blocked.stderr).split('\n').filter((l) => l.includes('prompts may not mention secrets'))).toEqual([
      'glm: A UserPromptSubmit hook blocked the prompt: prompts may not mention secrets',
    ]);
  });

  it('a blocking Stop hook gets one more turn, with stop_hook_active true on the next Stop', async () => {
    const sb = await makeSandbox({}, fake.url);
    const stop = script(sb, 'stop.sh', 'input=$(cat)\necho "$input" >> "$GLM_PROJECT_DIR/stops.log"\ncase "$input" in\n  *\'"stop_hook_active":false\'*) echo "run the tests before you stop" >&2; exit 2 ;;\nesac\nexit 0\n');
    userHooks(sb, { Stop: [{ hooks: [{ command: stop }] }] });
    fake.reply(text('All done.'), (body) => {
      expect(lastContent(body)).toContain('run the tests before you stop');
      return text('Tests pass now.');
    });
    const r = await runGlm(sb, ['-p', 'finish']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('Tests pass now.');
    expect(fake.requests).toHaveLength(2);
    const stops = read(sb, 'stops.log').trim().split('\n').map((l) => JSON.parse(l));
    expect(stops.map((s) => s.stop_hook_active)).toEqual([false, true]);
    expect(stops[0].hook_event_name).toBe('Stop');
  });
});

describe('subagents (Task)', () => {
  it("PreToolUse judges a subagent's calls; SubagentStop runs as it ends (agent_id, agent_type), Stop only for the session", async () => {
    const sb = await makeSandbox({}, fake.url);
    userHooks(sb, {
      PreToolUse: [{ matcher: 'Bash', hooks: [{ command: script(sb, 'block.sh', 'cat >/dev/null\necho "no commands in subagents" >&2\nexit 2\n') }] }],
      SubagentStop: [{ hooks: [{ command: script(sb, 'sub.sh', 'cat >> "$GLM_PROJECT_DIR/sub.log"; echo >> "$GLM_PROJECT_DIR/sub.log"\n') }] }],
      Stop: [{ hooks: [{ command: script(sb, 'stop.sh', 'cat >/dev/null; echo stop >> "$GLM_PROJECT_DIR/stop.log"\n') }] }],
    });
    fake.reply(
      toolCalls([{ id: 'call_task_1', name: 'Task', arguments: { description: 'look', prompt: 'touch SUB', subagent_type: 'general-purpose' } }]),
      toolCalls([{ name: 'Bash', arguments: { command: 'touch SUB' } }]),
      (body) => {
        expect(lastContent(body)).toContain('no commands in subagents');
        return text('Could not touch it.');
      },
      text('The subagent could not.'),
    );
    const r = await runGlm(sb, ['-p', 'delegate', '--permission-mode', 'bypassPermissions']);
    expect(r.exitCode).toBe(0);
    expect(existsSync(path.join(sb.repo, 'SUB'))).toBe(false);
    const subs = read(sb, 'sub.log').trim().split('\n').map((l) => JSON.parse(l));
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ hook_event_name: 'SubagentStop', agent_id: 'call_task_1', agent_type: 'general-purpose', stop_hook_active: false });
    expect(read(sb, 'stop.log')).toBe('stop\n');
  });
});

describe('sessions, trust and Claude Code files', () => {
  it('SessionStart and SessionEnd run once each; SessionStart context reaches the model; stream-json and the transcript show the runs', async () => {
    const sb = await makeSandbox({}, fake.url);
    const log = (what: string) => `cat > /dev/null; echo ${what} >> "$GLM_PROJECT_DIR/session.log"`;
    userHooks(sb, {
      SessionStart: [{ matcher: 'startup', hooks: [{ command: `${log('start')}; echo "Branch policy: small commits."` }] }],
      SessionEnd: [{ hooks: [{ command: log('end') }] }],
    });
    fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'nothing.txt' } }]), text('Done.'));
    const r = await runGlm(sb, ['-p', 'go', '--output-format', 'stream-json']);
    expect(r.exitCode).toBe(0);
    expect(read(sb, 'session.log')).toBe('start\nend\n');
    expect(JSON.stringify(fake.requests[0].messages)).toContain('Branch policy: small commits.');
    const lines = String(r.stdout).trim().split('\n').map((l) => JSON.parse(l));
    const hookLines = lines.filter((l) => l.subtype === 'hook_response');
    expect(hookLines.map((l) => [l.hook_name, l.exit_code, l.outcome])).toEqual([
      ['SessionStart:startup', 0, 'success'],
      ['SessionEnd:other', 0, 'success'],
    ]);
    // SessionEnd runs as the session closes, after the result line.
    const result = lines.find((l) => l.type === 'result');
    expect(lines.indexOf(result)).toBeGreaterThan(lines.findIndex((l) => l.hook_name === 'SessionStart:startup'));
    const sid = result.session_id;
    const dir = path.join(sb.home, '.local/share/glm-code/sessions', sb.repo.replace(/[^A-Za-z0-9._-]/g, '-'));
    const transcript = readFileSync(path.join(dir, `${sid}.jsonl`), 'utf8');
    expect(transcript.match(/"hook_response"/g)).toHaveLength(2);
  });

  it("an untrusted project's hooks never run; after glm trust they do", async () => {
    const settings = { hooks: withType({ PreToolUse: [{ hooks: [{ command: 'cat >/dev/null; touch "$GLM_PROJECT_DIR/HOOK_RAN"' }] }] }) };
    const sb = await makeSandbox({ '.glm/settings.json': JSON.stringify(settings) }, fake.url);
    fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'x.txt' } }]), text('Done.'));
    const before = await runGlm(sb, ['-p', 'go']);
    expect(before.exitCode).toBe(0);
    expect(existsSync(path.join(sb.repo, 'HOOK_RAN'))).toBe(false);
    expect(String(before.stderr)).toBe('glm: not using 1 hook from .glm/settings.json: this project is not trusted (run "glm trust" in it to trust it)');

    const trust = await runGlm(sb, ['trust']);
    expect(trust.stdout).toContain('run these hook commands');
    expect(trust.stdout).toContain('PreToolUse: cat >/dev/null; touch "$GLM_PROJECT_DIR/HOOK_RAN"  [.glm/settings.json]');
    fake.reset();
    fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'x.txt' } }]), text('Done.'));
    const after = await runGlm(sb, ['-p', 'go']);
    expect(after.stderr).toBe('');
    expect(existsSync(path.join(sb.repo, 'HOOK_RAN'))).toBe(true);
  });

  it("a Claude Code .claude/settings.json hook runs unchanged ($CLAUDE_PROJECT_DIR, jq-free sh), once trusted", async () => {
    const hookScript = '#!/bin/bash\n# Blocks rm -rf, as teams write it for Claude Code.\ninput=$(cat)\nif echo "$input" | grep -q "rm -rf"; then\n  echo "Blocked: rm -rf is not allowed in this repo" >&2\n  exit 2\nfi\nexit 0\n';
    const claude = { permissions: { allow: [] }, hooks: withType({ PreToolUse: [{ matcher: 'Bash', hooks: [{ command: 'bash "$CLAUDE_PROJECT_DIR"/.claude/hooks/block-rm.sh' }] }] }) };
    const sb = await makeSandbox({ '.claude/settings.json': JSON.stringify(claude), '.claude/hooks/block-rm.sh': hookScript, 'build/out.txt': 'x\n' }, fake.url);
    const list = await runGlm(sb, ['hooks', 'list']);
    expect(list.stdout).toContain('PreToolUse (Bash): bash "$CLAUDE_PROJECT_DIR"/.claude/hooks/block-rm.sh  [.claude/settings.json]  (not run: this project is not trusted; glm trust)');
    expect((await runGlm(sb, ['trust'])).stdout).toContain("This project's .claude/settings.json lets glm:");
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'rm -rf build' } }]), (body) => {
      expect(lastContent(body)).toContain('Blocked: rm -rf is not allowed in this repo');
      return text('Not removed.');
    });
    const r = await runGlm(sb, ['-p', 'clean', '--allowedTools', 'Bash']);
    expect(r.exitCode).toBe(0);
    expect(read(sb, 'build/out.txt')).toBe('x\n');
  });

  it('.glm/settings.local.json is kept out of git (info/exclude), its hooks listed; the tracked .gitignore is untouched', async () => {
    const sb = await makeSandbox({ '.gitignore': 'dist\n' }, fake.url);
    mkdirSync(path.join(sb.repo, '.glm'), { recursive: true });
    writeFileSync(path.join(sb.repo, '.glm', 'settings.local.json'), JSON.stringify({ hooks: withType({ Stop: [{ hooks: [{ command: 'true' }] }] }) }));
    fake.reply(text('Hi.'));
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(0);
    const status = await execa('git', ['status', '--porcelain', '-uall'], { cwd: sb.repo });
    expect(status.stdout).toBe('');
    expect(read(sb, '.gitignore')).toBe('dist\n');
    expect((await runGlm(sb, ['hooks', 'list'])).stdout).toContain('Stop: true  [.glm/settings.local.json]');
  });

  it('with no hooks, the listing names every file hooks are read from', async () => {
    const sb = await makeSandbox({}, fake.url);
    const list = await runGlm(sb, ['hooks', 'list']);
    expect(list.stdout).toBe(
      'No hooks configured. Add "hooks" to ~/.config/glm-code/settings.json, .glm/settings.json or .glm/settings.local.json (Claude Code\'s ~/.claude/settings.json, .claude/settings.json, .claude/settings.local.json count too).',
    );
  });

  it('claudeCompat.hooks false leaves Claude Code files alone', async () => {
    const claude = { hooks: withType({ PreToolUse: [{ hooks: [{ command: 'touch "$CLAUDE_PROJECT_DIR/HOOK_RAN"' }] }] }) };
    const sb = await makeSandbox({ '.claude/settings.json': JSON.stringify(claude) }, fake.url);
    const dir = path.join(sb.home, '.config', 'glm-code');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ claudeCompat: { hooks: false } }));
    const list = await runGlm(sb, ['hooks', 'list']);
    expect(list.stdout).toBe(
      'No hooks configured. Add "hooks" to ~/.config/glm-code/settings.json, .glm/settings.json or .glm/settings.local.json (Claude Code\'s files do not count: claudeCompat.hooks is false).',
    );
  });
});

describe('glm hooks test', () => {
  it('runs the hooks of one event on a sample payload and says what glm would do', async () => {
    const sb = await makeSandbox({}, fake.url);
    userHooks(sb, { PreToolUse: [{ matcher: 'Bash', hooks: [{ command: script(sb, 'guard.sh', 'grep -q "rm -rf" && { echo "no rm -rf" >&2; exit 2; }\nexit 0\n') }] }] });
    const blocked = await runGlm(sb, ['hooks', 'test', 'PreToolUse', '--tool', 'Bash', '--input', '{"command":"rm -rf /"}']);
    expect(blocked.exitCode).toBe(0);
    expect(blocked.stdout).toContain('exit 2 (blocked)');
    expect(blocked.stdout).toContain('glm would: not run the Bash call; the model is told: no rm -rf.');
    const fine = await runGlm(sb, ['hooks', 'test', 'PreToolUse']);
    expect(fine.stdout).toContain('exit 0 (success)');
    expect(fine.stdout).toContain('glm would: decide the Bash call by the permission rules as usual.');
    const none = await runGlm(sb, ['hooks', 'test', 'PreToolUse', '--tool', 'Read']);
    expect(none.stdout).toBe('No PreToolUse hook matches Read: glm would go on as if there were none.');
    const bad = await runGlm(sb, ['hooks', 'test', 'PreToolUze']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^glm: unknown hook event "PreToolUze": use one of PreToolUse, /);
  });

  it('glm hook and glm hooks point to each other in one line when given the other one\'s subcommand', async () => {
    const sb = await makeSandbox({}, fake.url);
    const list = await runGlm(sb, ['hook', 'list']);
    expect(list.exitCode).toBe(2);
    expect(list.stderr).toBe('glm: "glm hook" installs the git pre-commit review (install, uninstall, status); did you mean "glm hooks list" (lifecycle hooks)?');
    const install = await runGlm(sb, ['hooks', 'install', '--fix']);
    expect(install.exitCode).toBe(2);
    expect(install.stderr).toBe('glm: "glm hooks" lists and tests lifecycle hooks (list, test); did you mean "glm hook install" (the git pre-commit review)?');
    expect(existsSync(path.join(sb.repo, '.git', 'hooks', 'pre-commit'))).toBe(false);
    expect((await runGlm(sb, ['hook', 'test', 'PreToolUse', '--tool', 'Bash'])).stderr).toContain('did you mean "glm hooks test"');
    expect((await runGlm(sb, ['hooks', '--help'])).stdout).not.toContain('install');
  });

  it('names a mistyped event in a settings file in one line', async () => {
    const sb = await makeSandbox({}, fake.url);
    userHooks(sb, { PreToolUze: [{ hooks: [{ command: 'true' }] }] });
    const r = await runGlm(sb, ['-p', 'hi']);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/^glm: "hooks\.PreToolUze" in .*settings\.json is not an event glm runs hooks for \(did you mean "PreToolUse"\?\)$/);
  });
});
