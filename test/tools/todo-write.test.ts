import { describe, expect, test } from 'vitest';
import { todoWriteTool } from '../../tools/todo-write.ts';
import { makeCtx } from './helpers.ts';

describe('TodoWrite', () => {
  test('replaces the list, summarises it for the model and shows a checklist to people', async () => {
    const ctx = makeCtx('/tmp');
    ctx.state.todos = [{ content: 'Old', status: 'pending', activeForm: 'Old-ing' }];
    const r = await todoWriteTool.execute(
      {
        todos: [
          { content: 'Read the code', status: 'completed', activeForm: 'Reading the code' },
          { content: 'Fix the bug', status: 'in_progress', activeForm: 'Fixing the bug' },
          { content: 'Run tests', status: 'pending', activeForm: 'Running tests' },
        ],
      },
      ctx,
    );
    expect(ctx.state.todos.map((t) => t.content)).toEqual(['Read the code', 'Fix the bug', 'Run tests']);
    expect(r.output).toMatch(/^3 todos: 1 in progress, 1 pending, 1 completed\./);
    expect(r.output).not.toContain('exactly one');
    expect(r.display?.summary).toBe('[x] Read the code\n[~] Fixing the bug\n[ ] Run tests');
  });

  test('reminds the model to keep exactly one todo in progress', async () => {
    const ctx = makeCtx('/tmp');
    const r = await todoWriteTool.execute(
      { todos: [{ content: 'A', status: 'pending', activeForm: 'A-ing' }, { content: 'B', status: 'pending', activeForm: 'B-ing' }] },
      ctx,
    );
    expect(r.output).toContain('Keep exactly one todo in_progress (now 0)');
  });

  test('the schema rejects unknown statuses', () => {
    expect(todoWriteTool.schema.safeParse({ todos: [{ content: 'a', status: 'doing', activeForm: 'b' }] }).success).toBe(false);
  });
});
