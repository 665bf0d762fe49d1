// Shell attacks end to end: the built `glm -p` with an allow rule for echo, and a model that hides a second command
// behind it. Nothing but echo may run: the marker file must not appear, and the model is told it was denied.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { lastContent, useFakeGlm } from '../support/use-fake-glm.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

describe('glm -p with --allowedTools "Bash(echo:*)"', () => {
  it.each([
    'echo a\\ #; touch MARKER',
    'echo $(( $(touch MARKER) ))',
    'cat <<EOF>MARKER\nx\nEOF',
    'echo ok &\\\n& touch MARKER',
    'echo `echo \\`touch MARKER\\``',
    'echo hi > MARKER',
    'echo ${x:-<<EOF}\ntouch MARKER\nEOF',
  ])('%j runs nothing and is denied', async (command) => {
    const sb = await makeSandbox({ 'README.md': 'hi\n' }, fake.url);
    let told = '';
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command } }]), (body) => {
      told = lastContent(body);
      return text('done');
    });
    const r = await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash(echo:*)']);
    expect(r.exitCode).toBe(0);
    expect(told).toMatch(/Permission denied/);
    expect(existsSync(path.join(sb.repo, 'MARKER'))).toBe(false);
  });

  it('a plain echo still runs without asking', async () => {
    const sb = await makeSandbox({}, fake.url);
    let told = '';
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo "hello; touch MARKER"' } }]), (body) => {
      told = lastContent(body);
      return text('done');
    });
    const r = await runGlm(sb, ['-p', 'go', '--allowedTools', 'Bash(echo:*)']);
    expect(r.exitCode).toBe(0);
    expect(told).toContain('hello; touch MARKER');
    expect(existsSync(path.join(sb.repo, 'MARKER'))).toBe(false);
  });
});
