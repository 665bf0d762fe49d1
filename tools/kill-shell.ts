// KillShell: stop a background shell and every process it started. Imports no loop, session or UI.
import { z } from 'zod';
import { defineTool } from '../src/tool.ts';
import { knownShells } from './bash-output.ts';
import description from './kill-shell.md';

const schema = z.object({
  shell_id: z.string().describe('Id of the background shell to stop, e.g. bash_1'),
});

export const killShellTool = defineTool({
  name: 'KillShell',
  kind: 'execute',
  keep: 'tail',
  description,
  schema,
  title: (a) => `KillShell ${a.shell_id}`,
  async execute(args, ctx) {
    const shell = ctx.state.shells.get(args.shell_id);
    if (!shell) return { output: `No background shell with id "${args.shell_id}". ${knownShells(ctx.state.shells.keys())}`, isError: true };
    const wasRunning = shell.status === 'running';
    shell.kill();
    const output = wasRunning
      ? `Killed ${shell.id} (${shell.command}).`
      : `${shell.id} had already ${shell.status === 'killed' ? 'been killed' : `exited (${shell.status}${shell.exitCode !== undefined ? `, exit code ${shell.exitCode}` : ''})`}; any processes it left behind were stopped.`;
    return { output, display: { summary: `Killed ${shell.id}` } };
  },
});
