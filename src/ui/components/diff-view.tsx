// A unified diff, coloured: additions, removals, hunk headers; long diffs are cut with a count of the rest.
// File contents are shown with their control characters escaped (terminal-text.ts). Ink only; no state.
import { Box, Text } from 'ink';
import { safeText } from '../../terminal-text.ts';
import type { Theme } from '../theme.ts';

const MAX_LINES = 40;

export function DiffView({ diff, theme, maxLines = MAX_LINES }: { diff: string; theme: Theme; maxLines?: number }) {
  const lines = safeText(diff)
    .replace(/\n$/, '')
    .split('\n')
    .filter((l) => !/^(---|\+\+\+|Index: |={5,}|diff --git)/.test(l));
  const shown = lines.slice(0, maxLines);
  return (
    <Box flexDirection="column">
      {shown.map((line, i) => (
        <DiffLine key={i} line={line} theme={theme} />
      ))}
      {lines.length > shown.length && <Text dimColor>… {lines.length - shown.length} more lines</Text>}
    </Box>
  );
}

function DiffLine({ line, theme }: { line: string; theme: Theme }) {
  if (line.startsWith('@@')) return <Text color={theme.hunk} dimColor={!theme.color}>{line}</Text>;
  if (line.startsWith('+')) return <Text color={theme.added}>{line}</Text>;
  if (line.startsWith('-')) return <Text color={theme.removed}>{line}</Text>;
  return <Text dimColor>{line || ' '}</Text>;
}
