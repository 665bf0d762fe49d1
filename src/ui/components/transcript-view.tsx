// The transcript view (Ctrl+O): the whole session in full, every tool output, reasoning and diff, scrolled with
// the arrow keys, on the terminal's alternate screen (use-keys.ts switches to it). Ink only; lines come from
// transcript-lines.ts, already escaped and wrapped.
import { Box, Text } from 'ink';
import type { LineTone, ViewLine } from '../transcript-lines.ts';
import type { Theme } from '../theme.ts';

interface Props {
  lines: readonly ViewLine[];
  /** Lines scrolled up from the end (clamped here). */
  scroll: number;
  rows: number;
  theme: Theme;
}

const toneColor = (tone: LineTone | undefined, theme: Theme): string | undefined => {
  switch (tone) {
    case 'user':
      return theme.user;
    case 'accent':
      return theme.accent;
    case 'error':
    case 'removed':
      return theme.error;
    case 'success':
    case 'added':
      return theme.success;
    case 'warn':
      return theme.warn;
    case 'hunk':
      return theme.hunk;
    default:
      return undefined;
  }
};

/** How many lines the view shows at once: the screen less its header and footer. */
export const transcriptHeight = (rows: number): number => Math.max(3, rows - 3);

export function TranscriptView({ lines, scroll, rows, theme }: Props) {
  const height = transcriptHeight(rows);
  const max = Math.max(0, lines.length - height);
  const offset = Math.min(Math.max(0, scroll), max);
  const start = max - offset;
  const shown = lines.slice(start, start + height);
  const where = lines.length <= height ? 'all' : offset === 0 ? 'end' : `${Math.round((start / max) * 100)}%`;
  return (
    <Box flexDirection="column">
      <Text bold>
        Transcript <Text dimColor>· ↑↓ PgUp PgDn Home End scroll · ctrl+o or esc to go back</Text>
      </Text>
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end" color={toneColor(line.tone, theme)} dimColor={line.tone === 'dim'} bold={line.tone === 'bold'}>
          {line.text || ' '}
        </Text>
      ))}
      <Text dimColor>
        {lines.length} lines · {where}
      </Text>
    </Box>
  );
}
