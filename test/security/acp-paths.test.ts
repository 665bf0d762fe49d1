// End to end: a real ACP client drives the built `glm acp` as an editor that offers fs/write_text_file, in
// acceptEdits mode (edits inside the project run unasked). A repository's harmless-looking files are symlinks, one
// to a new file outside the project, one to .git/hooks/pre-commit; the model writes them. Judged on where they lead,
// both are put to the editor's user (who says no): no fs/write_text_file goes out, nothing is written.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import * as acp from '@agentclientprotocol/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { GLM_BIN, makeSandbox } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
});

describe('glm acp: an editor write through a project symlink', () => {
  it('to a file outside the project or into .git/hooks asks, even in acceptEdits', async () => {
    const sb = await makeSandbox({ 'README.md': 'hi\n' }, fake.url);
    const outside = path.join(path.dirname(sb.repo), 'outside.txt'); // not there yet: a link to a new file
    symlinkSync(outside, path.join(sb.repo, 'notes.md'));
    symlinkSync(path.join(sb.repo, '.git', 'hooks', 'pre-commit'), path.join(sb.repo, 'setup.sh'));
    fake.reply(
      toolCalls([
        { name: 'Write', arguments: { file_path: 'notes.md', content: 'PWNED\n' } },
        { name: 'Write', arguments: { file_path: 'setup.sh', content: '#!/bin/sh\ntouch PWNED\n' } },
      ]),
      text('Done.'),
    );
    const asked: string[] = [];
    const written: string[] = [];
    child = spawn(process.execPath, [GLM_BIN, 'acp'], { cwd: sb.repo, env: sb.env, stdio: ['pipe', 'pipe', 'inherit'] });
    const app = acp
      .client({ name: 'test-editor' })
      .onNotification(acp.methods.client.session.update, () => undefined)
      .onRequest(acp.methods.client.session.requestPermission, ({ params }) => (asked.push(String(params.toolCall.title)), { outcome: { outcome: 'selected', optionId: 'reject_once' } }))
      .onRequest(acp.methods.client.fs.readTextFile, () => ({ content: '' }))
      .onRequest(acp.methods.client.fs.writeTextFile, ({ params }) => (written.push(params.path), writeFileSync(params.path, params.content), {}));
    const stream = acp.ndJsonStream(Writable.toWeb(child.stdin!) as WritableStream<Uint8Array>, Readable.toWeb(child.stdout!) as ReadableStream<Uint8Array>);
    const stop = await app.connectWith(stream, async (ctx) => {
      await ctx.request(acp.methods.agent.initialize, { protocolVersion: acp.PROTOCOL_VERSION, clientCapabilities: { fs: { readTextFile: true, writeTextFile: true } } });
      const { sessionId } = await ctx.request(acp.methods.agent.session.new, { cwd: sb.repo, mcpServers: [] });
      await ctx.request(acp.methods.agent.session.setMode, { sessionId, modeId: 'acceptEdits' });
      return ctx.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text: 'write the notes and the setup script' }] });
    });
    expect(stop.stopReason).toBe('end_turn');
    expect(asked).toHaveLength(2);
    expect(written).toEqual([]);
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(path.join(sb.repo, '.git', 'hooks', 'pre-commit'))).toBe(false);
  });
});
