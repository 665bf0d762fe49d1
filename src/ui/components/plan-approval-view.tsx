// The approval box of a plan (ExitPlanMode): the plan rendered as Markdown, then the three answers: go on in
// default mode, go on accepting edits, or keep planning with feedback for the model. Ink only; the plan is the
// model's text, escaped and rendered by markdown.ts.
import { Box, Text } from 'ink';
import { safeLine } from '../../terminal-text.ts';
import type { UiState } from '../state.ts';
import type { Theme } from '../theme.ts';
import { answerLines } from './finished-item.tsx';

type Approval = NonNullable<UiState['approval']>;

export function PlanApprovalView({ approval, theme, width, maxLines }: { approval: Approval; theme: Theme; width: number; maxLines: number }) {
  const { request, typing, feedback } = approval;
  const plan = String((request.input as { plan?: unknown } | undefined)?.plan ?? '');
  const lines = answerLines(plan, Math.max(20, width - 4), theme.color);
  const room = Math.max(3, maxLines);
  const shown = lines.length > room ? lines.slice(0, room - 1) : lines;
  return (
    <Box flexDirection="column" marginTop={1} borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold>Here is the plan:</Text>
      <Box marginTop={1} flexDirection="column">
        <Text>{shown.join('\n')}</Text>
        {shown.length < lines.length && <Text dimColor>… {lines.length - shown.length} more lines (a taller terminal shows them)</Text>}
      </Box>
      <Box marginTop={1} flexDirection="column">
        {typing ? (
          <Text>
            What should change? <Text color={theme.accent}>{safeLine(feedback)}</Text>
            <Text inverse> </Text>
            <Text dimColor>  Enter send · Esc keep planning</Text>
          </Text>
        ) : (
          <>
            <Text>Go ahead with this plan?</Text>
            <Text>
              <Text bold color={theme.success}>1</Text> yes, ask before edits{'  '}
              <Text bold color={theme.success}>2</Text> yes, accept edits{'  '}
              <Text bold color={theme.warn}>3</Text> no, keep planning (say what to change)
            </Text>
          </>
        )}
      </Box>
    </Box>
  );
}
