// BashOutput: what a background shell printed since the last check, and whether it is still running.
// Imports no loop, session or UI.
import { z } from 'zod';
import { defineTool } from '../src/tool.ts';
import { plainOutput } from './bash-shells.ts';
import description from './bash-output.md';

const schema = z.object({
  bash_id: z.string().describe('Id of the background shell, e.g. bash_1'),
});

export const knownShells = (ids: Iterable<string>): string => {
  const list = [...ids];
  return list.length ? `Known shells: ${list.join(', ')}.` : 'No background shells have been started.';
};

export const bashOutputTool = defineTool({
  name: 'BashOutput',
  kind: 'read',
  keep: 'tail',
  description,
  schema,
  title: (a) => `BashOutput ${a.bash_id}`,
  async execute(args, ctx) {
    const shell = ctx.state.shells.get(args.bash_id);
    if (!shell) return { output: `No background shell with id "${args.bash_id}". ${knownShells(ctx.state.shells.keys())}`, isError: true };
    const text = plainOutput(shell.readNew()).replace(/\n+$/, '');
    const status = shell.status === 'running' ? 'running' : `${shell.status}${shell.exitCode !== undefined ? ` (exit code ${shell.exitCode})` : ''}`;
    return {
      output: `Status: ${status}\n${text ? `New output:\n${text}` : '(no new output)'}`,
      display: { summary: `${shell.id}: ${status}` },
    };
  },
});
