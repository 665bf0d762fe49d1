// One finished item of the conversation (a prompt, a block of an answer, a tool call, a notice), rendered
// once into the scrollback (scrollback.tsx). Ink only; Markdown comes pre-rendered from markdown.ts. Text from the
// model, tools and files is shown with its control characters escaped (terminal-text.ts).
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { safeLine, safeText } from '../../terminal-text.ts';
import { renderMarkdown } from '../markdown.ts';
import type { FinishedItem } from '../state.ts';
import type { Theme } from '../theme.ts';
import { wrapColumns, wrapLines } from '../wrap.ts';
import { DiffView } from './diff-view.tsx';

interface Props {
  item: FinishedItem;
  width: number;
  theme: Theme;
}

/** An answer's Markdown rendered and wrapped to fit beside a two-column marker in `width` columns. */
export const answerLines = (markdown: string, width: number, color: boolean, highlight = true): string[] =>
  wrapLines(renderMarkdown(markdown, width - 2, color, highlight), Math.max(10, width - 2));

/**
 * Lines under a two-column marker as ONE text node, indented by two spaces, so Ink lays out a single node
 * (cheaper per frame than a row of boxes). The lines must already fit (answerLines).
 */
export function MarkedLines({ marker, color, lines }: { marker: string; color?: string; lines: string[] }) {
  return (
    <Text>
      <Text color={color}>{marker}</Text> {lines.join('\n  ')}
    </Text>
  );
}

/** A two-column row: a marker, then text that wraps under itself. */
export function Gutter({ marker, color, dim, children }: { marker: string; color?: string; dim?: boolean; children: ReactNode }) {
  return (
    <Box flexDirection="row">
      <Box width={2} flexShrink={0}>
        <Text color={color} dimColor={dim}>
          {marker}
        </Text>
      </Box>
      <Box flexDirection="column" flexGrow={1} flexShrink={1}>
        {children}
      </Box>
    </Box>
  );
}

const toneColor = (tone: string, theme: Theme) =>
  tone === 'error' ? theme.error : tone === 'warn' ? theme.warn : undefined;

export function FinishedView({ item, width, theme }: Props) {
  switch (item.kind) {
    case 'user':
      return (
        <Box marginTop={1}>
          <Gutter marker="›" color={theme.user}>
            <Text bold>{safeText(item.text)}</Text>
          </Gutter>
        </Box>
      );
    case 'answer':
      return (
        <Box marginTop={1}>
          <MarkedLines marker={item.first ? '●' : ' '} color={theme.accent} lines={answerLines(item.markdown, width, theme.color)} />
        </Box>
      );
    case 'reasoning':
      return (
        <Box marginTop={1} flexDirection="column">
          <Text dimColor italic>
            ✻ Reasoning · {item.words} word{item.words === 1 ? '' : 's'}
            {item.text ? '' : ' (ctrl+t to show)'}
          </Text>
          {item.text && (
            <Box paddingLeft={2}>
              <Text dimColor>{wrapLines(safeText(item.text), Math.max(10, width - 2)).join('\n')}</Text>
            </Box>
          )}
        </Box>
      );
    case 'tool':
      return (
        <Box marginTop={1} flexDirection="column">
          <Gutter marker="●" color={item.isError ? theme.error : theme.success}>
            <Text bold>{safeLine(item.title)}</Text>
          </Gutter>
          {item.summary && (
            <Gutter marker=" ">
              <Text color={item.isError ? theme.error : undefined} dimColor={!item.isError}>
                ⎿ {safeText(item.summary)}
              </Text>
            </Gutter>
          )}
          {item.detail && (
            <Box paddingLeft={item.summary ? 4 : 2}>
              <Text color={item.summary ? undefined : theme.error} dimColor={Boolean(item.summary)}>
                {item.summary ? '' : '⎿ '}
                {safeText(item.detail)}
              </Text>
            </Box>
          )}
          {item.diff && (
            <Box paddingLeft={4}>
              <DiffView diff={item.diff} theme={theme} />
            </Box>
          )}
          {item.nested && (
            <Box paddingLeft={4}>
              <Text dimColor>{safeText(item.nested.join('\n'))}</Text>
            </Box>
          )}
        </Box>
      );
    case 'notice':
      return (
        <Box marginTop={1}>
          <Text color={toneColor(item.tone, theme)} dimColor={item.tone === 'dim'}>
            {wrapColumns(safeText(item.text), width)}
          </Text>
        </Box>
      );
  }
}
