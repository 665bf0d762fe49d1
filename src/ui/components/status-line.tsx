// The status line under the prompt: permission mode, "sandboxed", MCP servers up ("MCP 2/3"), model (and the vision
// model that describes images for a text-only one), provider, context used, session tokens and the cost when it is
// known; a transient hint replaces it ("Press Ctrl+C again to exit"). Ink only. Model and provider names (which a
// project's settings may set) are shown with control characters escaped. A narrow terminal drops the least needed
// parts first (status-fit.ts), so tokens and cost stay in view.
import { Box, Text } from 'ink';
import { safeLine } from '../../terminal-text.ts';
import { memo } from 'react';
import { formatCost, formatTokens, type UiState } from '../state.ts';
import { fitStatus, joinStatus, type StatusPart } from '../status-fit.ts';
import type { Theme } from '../theme.ts';
import type { PermissionMode } from '../../types.ts';

type Props = Pick<UiState, 'model' | 'provider' | 'mode' | 'sandboxed' | 'mcp' | 'contextTokens' | 'usage' | 'hint' | 'thinking'> & {
  contextWindow: number;
  /** The vision model describing images for a text-only model (vision routing), shown after the model. */
  vision?: string;
  /** The terminal's width: parts that do not fit are left out. */
  width?: number;
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
  const parts: StatusPart[] = [
    { text: mode.text, priority: 9 },
    { text: '(shift+tab)', priority: 0, attached: true },
    ...(p.sandboxed ? [{ text: 'sandboxed', priority: 4 }] : []),
    ...(p.mcp ? [{ text: `MCP ${p.mcp.up}/${p.mcp.total}`, priority: 3 }] : []),
    { text: `${safeLine(p.model)}${p.thinking ? '' : ' (thinking off)'}`, priority: 6 },
    ...(p.vision ? [{ text: `(images: ${safeLine(p.vision)})`, priority: 1, attached: true }] : []),
    { text: safeLine(p.provider), priority: 2 },
    { text: `ctx ${formatTokens(p.contextTokens)}${pct}`, priority: 5 },
    { text: `${formatTokens(total)} tokens${cost}`, priority: 8 },
  ];
  // paddingLeft 2 and one column spare (a terminal's last column wraps in some emulators).
  const [first, ...rest] = fitStatus(parts, p.width ? p.width - 3 : Infinity);
  return (
    <Box paddingLeft={2}>
      <Text wrap="truncate-end">
        <Text color={mode.color} dimColor={!mode.color}>
          {first!.text}
        </Text>
        <Text dimColor>{rest.length ? joinStatus([{ text: '', priority: 0 }, ...rest]) : ''}</Text>
      </Text>
    </Box>
  );
});
