// Issue 20, item 9: tool inputs past the usual sizes. A Bash command over the OS's limit on one argument (a
// 300 KB heredoc writing a file) runs anyway, and an error that quotes a huge argument reaches the model cut
// and spilled like any long output.
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runLoop } from '../../src/agent.ts';
import { MAX_OUTPUT_BYTES } from '../../src/limits.ts';
import { createToolState } from '../../src/tool.ts';
import type { Message, ModelClient, ModelEvent } from '../../src/types.ts';
import { bashTool } from '../../tools/bash.ts';
import { killAllShells } from '../../tools/bash-shells.ts';
import { readTool } from '../../tools/read.ts';
import { makeCtx, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const body = Array.from({ length: 5000 }, (_, i) => `line ${i}: ${'x'.repeat(50)} $HOME \`not run\``).join('\n');

describe('large tool inputs', () => {
  it('runs a 300 KB heredoc that writes a file (past the 128 KiB argument limit)', async () => {
    const command = `cat > big.txt <<'EOF'\n${body}\nEOF\nwc -l < big.txt`;
    expect(command.length).toBeGreaterThan(300_000);
    const r = await bashTool.execute({ command }, makeCtx(dir));
    expect(r.isError ?? false).toBe(false);
    expect(r.output.trim()).toBe('5000');
    expect(await readFile(`${dir}/big.txt`, 'utf8')).toBe(`${body}\n`);
  });

  it('runs a long command in the background too', async () => {
    const ctx = makeCtx(dir);
    const command = `cat > bg.txt <<'EOF'\n${body}\nEOF`;
    await bashTool.execute({ command, run_in_background: true }, ctx);
    const shell = ctx.state.shells.get('bash_1') as unknown as { done: Promise<void>; status: string };
    await shell.done;
    expect(shell.status).toBe('completed');
    expect(await readFile(`${dir}/bg.txt`, 'utf8')).toBe(`${body}\n`);
    await killAllShells(ctx.state);
  });

  it('an error quoting a 1 MB path reaches the model truncated, with the full text saved', async () => {
    const hugePath = `${'d'.repeat(1_000_000)}/a.txt`;
    const requests: Message[][] = [];
    const steps: ModelEvent[][] = [
      [{ type: 'message_end', message: { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'Read', arguments: JSON.stringify({ file_path: hugePath }) }] }, finishReason: 'tool_calls' }],
      [{ type: 'message_end', message: { role: 'assistant', content: 'ok' }, finishReason: 'stop' }],
    ];
    const client: ModelClient = {
      async *stream(req) {
        requests.push(structuredClone(req.messages));
        yield* steps.shift()!;
      },
    };
    const history: Message[] = [{ role: 'user', content: 'go' }];
    await runLoop({
      client,
      tools: [readTool],
      schemas: [{ name: 'Read', description: readTool.description, parameters: z.toJSONSchema(readTool.schema) as Record<string, unknown> }],
      system: 'sys',
      history,
      gate: async () => ({ allowed: true }),
      toolContext: { cwd: dir, state: createToolState() },
      spillDir: `${dir}/spill`,
      maxTurns: 5,
      emit: () => {},
      signal: new AbortController().signal,
    });
    const result = history.find((m) => m.role === 'tool')!.content as string;
    expect(Buffer.byteLength(result)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
    const saved = /saved to (\S+);/.exec(result)?.[1];
    expect(saved).toBeDefined();
    expect((await readFile(saved!, 'utf8')).length).toBeGreaterThan(1_000_000);
  });
});
