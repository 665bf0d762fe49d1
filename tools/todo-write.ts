// TodoWrite: replaces the session's todo list; the model reads a one-line summary, people see the checklist.
// Imports no loop, session or UI.
import { z } from 'zod';
import { defineTool, type TodoItem } from '../src/tool.ts';
import description from './todo-write.md';

const schema = z.object({
  todos: z
    .array(
      z.object({
        content: z.string().min(1).describe('The task, imperative ("Run tests")'),
        status: z.enum(['pending', 'in_progress', 'completed']).describe('Progress'),
        activeForm: z.string().min(1).describe('Present continuous ("Running tests")'),
      }),
    )
    .describe('The full updated list'),
});

const MARK: Record<TodoItem['status'], string> = { completed: '[x]', in_progress: '[~]', pending: '[ ]' };

export function todoSummary(todos: TodoItem[]): string {
  const n = (s: TodoItem['status']) => todos.filter((t) => t.status === s).length;
  const parts = [
    n('in_progress') && `${n('in_progress')} in progress`,
    n('pending') && `${n('pending')} pending`,
    n('completed') && `${n('completed')} completed`,
  ].filter(Boolean);
  return `${todos.length} todo${todos.length === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

export const checklist = (todos: TodoItem[]): string =>
  todos.map((t) => `${MARK[t.status]} ${t.status === 'in_progress' ? t.activeForm : t.content}`).join('\n');

export const todoWriteTool = defineTool({
  name: 'TodoWrite',
  kind: 'meta',
  keep: 'head',
  description,
  schema,
  title: (a) => `TodoWrite ${todoSummary(a.todos)}`,
  async execute(args, ctx) {
    ctx.state.todos = args.todos.map((t) => ({ ...t }));
    const todos = ctx.state.todos;
    const active = todos.filter((t) => t.status === 'in_progress').length;
    const open = todos.some((t) => t.status !== 'completed');
    let reminder = '';
    if (open && active !== 1) reminder = ` Keep exactly one todo in_progress (now ${active}): mark the one you are working on.`;
    else if (!open && todos.length) reminder = ' All done.';
    const output = `${todoSummary(todos)}.${reminder} Keep the list current: mark each todo completed as soon as it is done.`;
    return { output, display: { summary: checklist(todos) || '(no todos)' } };
  },
});
