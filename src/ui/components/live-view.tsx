// The live region: reasoning and answer text in flight, running tools with their output tail, finished calls waiting for the model's next move, the working
// line and queued messages. Kept a few lines tall (finished blocks move to the scrollback). Ink only. Text from the
// model and tools is shown with its control characters escaped (terminal-text.ts).
import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { safeLine, safeText } from '../../terminal-text.ts';
import { endsInFence } from '../blocks.ts';
import type { LiveTool, UiState } from '../state.ts';
import type { Theme } from '../theme.ts';
import { settleOutput } from '../terminal-output.ts';
import { wrapLines } from '../wrap.ts';
import { answerLines, FinishedView, Gutter, MarkedLines } from './finished-item.tsx';
import { SPINNER, SPINNER_MS } from './spinner.ts';

interface Props {
  state: Pick<UiState, 'live' | 'busy' | 'busySince' | 'status' | 'queue' | 'showReasoning' | 'approval'>;
  width: number;
  /** Lines the live text may take before it is cut to its tail. */
  maxLines: number;
  now: number;
  theme: Theme;
}

/**
 * The last `n` lines of `text` once wrapped to `width`, and how many were cut. Only the end of the text is
 * wrapped (enough for `n` lines): this runs every frame on reasoning and output that may be many KB long.
 */
export function tailLines(text: string, width: number, n: number): { text: string; hidden: boolean } {
  const w = Math.max(10, width);
  const budget = (n + 1) * w * 2;
  let start = 0;
  if (text.length > budget) {
    const nl = text.lastIndexOf('\n', text.length - budget);
    start = nl >= 0 ? nl + 1 : text.length - budget;
  }
  const lines = wrapLines(text.slice(start), w);
  if (lines.length <= n) return { text: lines.join('\n'), hidden: start > 0 };
  return { text: lines.slice(-n).join('\n'), hidden: true };
}

function Reasoning({ text, width, lines }: { text: string; width: number; lines: number }) {
  const tail = tailLines(safeText(text.trim()), width - 2, lines);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text dimColor italic>
        ✻ Reasoning…{tail.hidden ? ' (showing the end)' : ''}
      </Text>
      <Box paddingLeft={2}>
        <Text dimColor>{tail.text}</Text>
      </Box>
    </Box>
  );
}

const AnswerTail = memo(function AnswerTail({ text, width, lines, first, theme }: { text: string; width: number; lines: number; first: boolean; theme: Theme }) {
  // Wrapped once here; the lines then fit, so Ink does not wrap them again.
  const wrapped = useMemo(() => answerLines(text, width, theme.color, !endsInFence(text)), [text, width, theme.color]);
  const hidden = Math.max(0, wrapped.length - lines);
  return (
    <Box marginTop={1} flexDirection="column">
      {hidden > 0 && <Text dimColor>  … {hidden} lines above, shown in full when finished</Text>}
      <MarkedLines marker={first ? '●' : ' '} color={theme.accent} lines={hidden ? wrapped.slice(hidden) : wrapped} />
    </Box>
  );
});

function ToolRow({ tool, frame, width, theme }: { tool: LiveTool; frame: string; width: number; theme: Theme }) {
  // Colour and cursor sequences are dropped, carriage returns overwrite their line; any other control character is shown escaped.
  const output = settleOutput(tool.tail).replace(/\s+$/, '');
  const tail = output ? tailLines(safeText(output), width - 6, 5) : undefined;
  return (
    <Box marginTop={1} flexDirection="column">
      <Gutter marker={frame} color={theme.accent}>
        <Text>
          <Text bold>{safeLine(tool.title)}</Text>
          {tool.nested && <Text dimColor>{` · ${tool.nested.length} tool call${tool.nested.length === 1 ? '' : 's'}`}</Text>}
        </Text>
      </Gutter>
      {tail && (
        <Box paddingLeft={4}>
          <Text dimColor>{tail.text}</Text>
        </Box>
      )}
    </Box>
  );
}

function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

export function LiveView({ state, width, maxLines, now, theme }: Props) {
  const { live } = state;
  const frame = SPINNER[Math.floor(now / SPINNER_MS) % SPINNER.length]!;
  const reasoningLines = state.showReasoning ? Math.max(3, maxLines) : Math.min(5, maxLines);
  return (
    <Box flexDirection="column">
      {live.held.map((h, i) => (
        // Finished calls waiting for the model's next move (state.ts HeldTool), drawn as they will be written.
        <FinishedView key={`held-${i}`} item={{ ...h.item, id: -1 - i }} width={width} theme={theme} />
      ))}
      {live.reasoning && <Reasoning text={live.reasoning} width={width} lines={reasoningLines} />}
      {live.text.trim() && <AnswerTail text={live.text} width={width} lines={maxLines} first={!live.answerStarted} theme={theme} />}
      {live.tools.map((t) => (
        <ToolRow key={t.callId} tool={t} frame={frame} width={width} theme={theme} />
      ))}
      {state.busy && !state.approval && (
        <Box marginTop={1}>
          <Text color={theme.accent}>{frame}</Text>
          <Text dimColor>
            {' '}
            {state.status !== undefined ? safeLine(state.status) : (live.reasoning ? 'Thinking' : 'Working')}… {state.busySince ? `${elapsed(now - state.busySince)} · ` : ''}esc to interrupt
          </Text>
        </Box>
      )}
      {state.queue.length > 0 && (
        <Box flexDirection="column" marginTop={state.busy ? 0 : 1}>
          {state.queue.slice(-3).map((q, i) => (
            <Text key={i} dimColor wrap="truncate-end">
              ⧗ queued: {safeLine(q.replace(/\s+/g, ' '))}
            </Text>
          ))}
        </Box>
      )}
    </Box>
  );
}
