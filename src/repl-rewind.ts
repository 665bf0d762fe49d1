// The REPL's /rewind and /undo: go back to before one of the session's prompts, restoring the code, the
// conversation or both (as Claude Code's /rewind), or undo the last prompt's file changes. What the model must
// know (files restored under it) goes with the next prompt. Loaded by repl-host.ts; acts on the real Session.
import path from 'node:path';
import type { Session } from './session.ts';
import type { CommandContext, SlashCommand } from './ui/commands.ts';
import type { Config } from './types.ts';

type SessionOf = (ctx: CommandContext) => Session;

const oneLine = (text: string, max = 60) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** Restores the files changed since undo `turn`; returns the lines to show and the files that went back, or undefined when refused. */
async function restoreCode(config: Config, ctx: CommandContext, sessionId: string, turn: number): Promise<{ lines: string[]; files: string[] } | undefined> {
  const { undoTo, UNDO_VERBS } = await import('./undo/undo.ts');
  const r = undoTo(config, sessionId, turn);
  const rel = (f: string) => path.relative(config.cwd, f) || f;
  if (!r.ok) {
    ctx.notice(`Code not restored: ${r.conflicts.map((c) => `${rel(c.path)} ${c.reason}`).join('; ')}. Run \`glm undo ${turn} --force\` to overwrite.`, 'warn');
    return undefined;
  }
  const lines = r.files.map((f) => `  ${UNDO_VERBS[f.action]}: ${rel(f.path)}`);
  if (r.shellCommands.length) lines.push(`Not undone (shell commands): ${r.shellCommands.map((c) => oneLine(c, 40)).join('; ')}`);
  return { lines, files: r.files.filter((f) => f.action !== 'unchanged').map((f) => `${rel(f.path)} (${f.action})`) };
}

/** What the model is told when files went back under it while its conversation stayed. */
const restoredNote = (prompt: string, files: string[]) =>
  `<files-restored>The user restored these files to how they were before their prompt "${oneLine(prompt, 80)}": ${files.join(', ')}. Your earlier changes to them are gone; read them again before relying on or changing them.</files-restored>`;

export function rewindCommands(config: Config, sessionOf: SessionOf): SlashCommand[] {
  return [
    {
      name: 'rewind',
      description: 'go back to before an earlier prompt: code, conversation or both (Esc Esc)',
      async run(ctx) {
        const { promptTimes, rewindPoints, typedPrompt, undoTurnSince } = await import('./undo/rewind.ts');
        const session = sessionOf(ctx);
        const points = rewindPoints(session.history, session.prompts, promptTimes(session.transcript.file));
        if (!points.length) return ctx.notice('Nothing to rewind yet: no prompt in this conversation.', 'dim');
        const options = points.map((p, i) => ({ label: oneLine(typedPrompt(p.prompt)) || '(empty)', value: String(i), hint: p.at?.slice(11, 16) })).reverse();
        const chosen = await ctx.pick('Rewind to before which prompt? (newest first)', options.slice(0, 20));
        if (chosen === undefined) return;
        const point = points[Number(chosen)]!;
        const typed = typedPrompt(point.prompt);
        const turn = undoTurnSince(config, session.id, point.at);
        const code = turn === undefined ? ' (no file changes since)' : '';
        const what = await ctx.pick(`Rewind to before "${oneLine(typed, 50)}":`, [
          { label: `Restore code and conversation${code}`, value: 'both' },
          { label: 'Restore conversation only', value: 'conversation' },
          { label: `Restore code only${code}`, value: 'code' },
        ]);
        if (!what) return;
        let restored: { lines: string[]; files: string[] } | undefined = { lines: [], files: [] };
        if (what !== 'conversation' && turn !== undefined) restored = await restoreCode(config, ctx, session.id, turn);
        if (!restored) return;
        if (what === 'code') {
          if (restored.files.length) ctx.addContext(restoredNote(typed, restored.files));
          return ctx.notice([`Code restored to before "${oneLine(typed, 50)}"; the conversation stays.`, ...restored.lines].join('\n'));
        }
        if (!session.rewindTo(point.index)) return ctx.notice('Could not rewind while a prompt runs.', 'warn');
        ctx.setInput(typed);
        const did = what === 'both' ? 'Code and conversation' : 'Conversation';
        ctx.notice([`${did} rewound to before "${oneLine(typed, 50)}" (the prompt is back in the input box).`, ...restored.lines].join('\n'));
      },
    },
    {
      name: 'undo',
      description: "restore the files the last prompt changed (and tell the model)",
      async run(ctx) {
        const { listUndoPoints } = await import('./undo/undo.ts');
        const session = sessionOf(ctx);
        const last = listUndoPoints(config, session.id).at(-1);
        if (!last) return ctx.notice('Nothing to undo: no tool has changed a file in this session.');
        const restored = await restoreCode(config, ctx, session.id, last.turn);
        if (!restored) return;
        if (restored.files.length) ctx.addContext(restoredNote(last.prompt, restored.files));
        ctx.notice([`Undid the file changes of "${oneLine(last.prompt, 50)}":`, ...restored.lines].join('\n'));
      },
    },
  ];
}
