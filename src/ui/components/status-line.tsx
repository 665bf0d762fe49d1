// The status line under the prompt: permission mode, "sandboxed", MCP servers up ("MCP 2/3"), model (and the vision
// model that describes images for a text-only one), provider, context used, session tokens and the cost when it is
// known; a transient hint replaces it ("Press Ctrl+C again to exit"). Ink only. Model and provider names (which a
// project's settings may set) are shown with control characters escaped.
import { Box, Text } from 'ink';
import { safeLine } from '../../terminal-text.ts';
import { memo } from 'react';
import { formatCost, formatTokens, type UiState } from '../state.ts';
import type { Theme } from '../theme.ts';
import type { PermissionMode } from '../../types.ts';

type Props = Pick<UiState, 'model' | 'provider' | 'mode' | 'sandboxed' | 'mcp' | 'contextTokens' | 'usage' | 'hint' | 'thinking'> & {
  contextWindow: number;
  /** The vision model describing images for a text-only model (vision routing), shown after the model. */
  vision?: string;
  theme: Theme;
};

function modeLabel(mode: PermissionMode, theme: Theme): { text: string; color?: string } {
  switch (mode) {
    case 'acceptEdits':
      return { text: '⏵⏵ accept edits', color: theme.success };
    case 'plan':
      return { text: '⏸ plan mode', color: theme.accent };
    case 'bypassPermissions':
      return { text: '⚠ bypass permissions', color: theme.error };
    default:
      return { text: 'default mode' };
  }
}

export const StatusLine = memo(function StatusLine(p: Props) {
  if (p.hint) {
    return (
      <Box paddingLeft={2}>
        <Text color={p.theme.warn}>{p.hint}</Text>
      </Box>
    );
  }
  const mode = modeLabel(p.mode, p.theme);
  const pct = p.contextWindow ? ` (${Math.round((p.contextTokens / p.contextWindow) * 100)}%)` : '';
  const total = p.usage.inputTokens + p.usage.outputTokens;
  // No price known: no cost at all (never a $0 that only looks known).
  const cost = p.usage.cost === undefined ? '' : ` · ${formatCost(p.usage.cost)}`;
  return (
    <Box paddingLeft={2}>
      <Text wrap="truncate-end">
        <Text color={mode.color} dimColor={!mode.color}>
          {mode.text}
        </Text>
        <Text dimColor> (shift+tab){p.sandboxed ? ' · sandboxed' : ''}{p.mcp ? ` · MCP ${p.mcp.up}/${p.mcp.total}` : ''} · {safeLine(p.model)}{p.thinking ? '' : ' (thinking off)'}{p.vision ? ` (images: ${safeLine(p.vision)})` : ''} · {safeLine(p.provider)} · ctx {formatTokens(p.contextTokens)}{pct} · {formatTokens(total)} tokens{cost}</Text>
      </Text>
    </Box>
  );
});
