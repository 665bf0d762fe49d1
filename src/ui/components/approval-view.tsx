// The approval prompt: what the tool wants to do (command or diff), why it asks, and the keys that answer.
// Ink only; the answer goes back through the controller. What the tool will run is shown with its control
// characters escaped (terminal-text.ts): a command cannot hide its tail.
import { Box, Text } from 'ink';
import { safeLine, safeText } from '../../terminal-text.ts';
import type { UiState } from '../state.ts';
import type { Theme } from '../theme.ts';
import { DiffView } from './diff-view.tsx';

type Approval = NonNullable<UiState['approval']>;

function commandOf(input: unknown): string | undefined {
  if (input && typeof input === 'object' && 'command' in input && typeof input.command === 'string') return input.command;
  return undefined;
}

export function ApprovalView({ approval, theme }: { approval: Approval; theme: Theme }) {
  const { request, typing, feedback } = approval;
  const command = commandOf(request.input);
  return (
    <Box flexDirection="column" marginTop={1} borderStyle="round" borderColor={theme.warn} paddingX={1}>
      <Text bold>
        <Text color={theme.warn}>?</Text> {safeLine(request.title)}
      </Text>
      {request.reason && <Text dimColor>{safeText(request.reason)}</Text>}
      {command && !request.title.includes(command) && <Text color={theme.accent}>$ {safeText(command)}</Text>}
      {request.preview && (
        <Box marginTop={1}>
          <DiffView diff={request.preview} theme={theme} maxLines={30} />
        </Box>
      )}
      <Box marginTop={1}>
        {typing ? (
          <Text>
            Why not? <Text color={theme.accent}>{safeLine(feedback)}</Text>
            <Text inverse> </Text>
            <Text dimColor>  Enter deny · Esc deny without a reason</Text>
          </Text>
        ) : (
          <Text>
            <Text bold color={theme.success}>y</Text> allow once{'  '}
            {request.rule && (
              <>
                <Text bold color={theme.success}>a</Text> always allow <Text color={theme.accent}>{safeLine(request.rule)}</Text>{'  '}
              </>
            )}
            <Text bold color={theme.error}>n</Text> deny (say why)  <Text bold>esc</Text> deny
          </Text>
        )}
      </Box>
    </Box>
  );
}
