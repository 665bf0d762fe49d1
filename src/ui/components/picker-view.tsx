// A list to choose from (/resume, /permissions): arrows or a digit, Enter to choose, Esc to dismiss. Ink only.
// Labels (earlier prompts, rules) are shown with their control characters escaped (terminal-text.ts).
import { Box, Text } from 'ink';
import { safeLine } from '../../terminal-text.ts';
import type { UiState } from '../state.ts';
import type { Theme } from '../theme.ts';

type Picker = NonNullable<UiState['picker']>;

export function PickerView({ picker, theme }: { picker: Picker; theme: Theme }) {
  const start = Math.max(0, Math.min(picker.index - 4, picker.options.length - 9));
  const shown = picker.options.slice(start, start + 9);
  return (
    <Box flexDirection="column" marginTop={1} borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold>{safeLine(picker.title)}</Text>
      {shown.map((o, i) => {
        const index = start + i;
        const selected = index === picker.index;
        return (
          <Text key={o.value} wrap="truncate-end">
            <Text color={selected ? theme.accent : undefined}>{selected ? '› ' : '  '}</Text>
            <Text dimColor>{index < 9 ? `${index + 1}. ` : '   '}</Text>
            <Text bold={selected}>{safeLine(o.label)}</Text>
            {o.hint ? <Text dimColor>  {safeLine(o.hint)}</Text> : null}
          </Text>
        );
      })}
      <Text dimColor>↑↓ move · Enter choose · Esc cancel</Text>
    </Box>
  );
}
