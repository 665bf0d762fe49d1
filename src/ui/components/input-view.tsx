// The prompt box: the text being typed with its cursor, the reverse-search line, and completions below.
// Ink only; editing happens in editor.ts. Completions (file names, custom command descriptions from the
// repository) and history matches are shown with their control characters escaped (terminal-text.ts).
import { Box, Text } from 'ink';
import { memo } from 'react';
import { safeLine } from '../../terminal-text.ts';
import type { Suggestion } from '../completion.ts';
import type { EditorState } from '../editor.ts';
import type { Theme } from '../theme.ts';

const MAX_VISIBLE_LINES = 12;

interface Props {
  editor: EditorState;
  history: readonly string[];
  suggestions: Suggestion[];
  busy: boolean;
  theme: Theme;
}

function CursorLine({ line, cursor }: { line: string; cursor?: number }) {
  if (cursor === undefined) return <Text>{line || ' '}</Text>;
  const at = line.codePointAt(cursor);
  const ch = at === undefined ? ' ' : String.fromCodePoint(at);
  return (
    <Text>
      {line.slice(0, cursor)}
      <Text inverse>{ch}</Text>
      {line.slice(cursor + ch.length)}
    </Text>
  );
}

function EditorLines({ editor, busy }: { editor: EditorState; busy: boolean }) {
  if (!editor.text) {
    // One row whatever the width: the hints are cut at the edge rather than wrapped under the prompt.
    return (
      <Text wrap="truncate-end">
        <Text inverse> </Text>
        <Text dimColor>{busy ? 'Type to queue a message for the next turn' : 'Ask anything · / commands · @ files · ! shell · Shift+Enter new line'}</Text>
      </Text>
    );
  }
  const lines = editor.text.split('\n');
  const before = editor.text.slice(0, editor.cursor).split('\n');
  const row = before.length - 1;
  const col = before.at(-1)!.length;
  const first = Math.max(0, Math.min(row - Math.floor(MAX_VISIBLE_LINES / 2), lines.length - MAX_VISIBLE_LINES));
  const shown = lines.slice(first, first + MAX_VISIBLE_LINES);
  return (
    <Box flexDirection="column">
      {first > 0 && <Text dimColor>… {first} lines above</Text>}
      {shown.map((line, i) => (
        <CursorLine key={first + i} line={line} cursor={first + i === row ? col : undefined} />
      ))}
      {first + shown.length < lines.length && <Text dimColor>… {lines.length - first - shown.length} lines below</Text>}
    </Box>
  );
}

function SearchLine({ editor, history, theme }: { editor: EditorState; history: readonly string[]; theme: Theme }) {
  const search = editor.search!;
  const match = search.match >= 0 ? history[history.length - 1 - search.match] : undefined;
  return (
    <Text wrap="truncate-end">
      <Text dimColor>(reverse-i-search)</Text>`<Text color={theme.accent}>{search.query}</Text>
      <Text inverse> </Text>': {match === undefined ? <Text dimColor>{search.query ? 'no match' : ''}</Text> : safeLine(match.replace(/\n/g, '⏎ '))}
    </Text>
  );
}

function Suggestions({ suggestions, selected, theme }: { suggestions: Suggestion[]; selected: number; theme: Theme }) {
  const labels = suggestions.map((s) => safeLine(s.label));
  const width = Math.max(...labels.map((l) => l.length)) + 2;
  return (
    <Box flexDirection="column" paddingLeft={2}>
      {suggestions.map((s, i) => (
        <Text key={s.label} wrap="truncate-end">
          <Text color={i === selected ? theme.accent : undefined} bold={i === selected}>
            {labels[i]!.padEnd(width)}
          </Text>
          {s.detail ? <Text dimColor>{safeLine(s.detail)}</Text> : null}
        </Text>
      ))}
    </Box>
  );
}

/** Memoised: it re-renders on typing, not on every streamed frame. */
export const InputView = memo(function InputView({ editor, history, suggestions, busy, theme }: Props) {
  return (
    <Box flexDirection="column" marginTop={1}>
      {/* No border box: the prompt is redrawn whenever lines above it move, so every byte here counts. */}
      <Box flexDirection="row">
        <Box width={2} flexShrink={0}>
          <Text color={theme.user} bold>
            ❯
          </Text>
        </Box>
        <Box flexGrow={1} flexShrink={1}>
          {editor.search ? <SearchLine editor={editor} history={history} theme={theme} /> : <EditorLines editor={editor} busy={busy} />}
        </Box>
      </Box>
      {suggestions.length > 0 && <Suggestions suggestions={suggestions} selected={editor.completion % suggestions.length} theme={theme} />}
    </Box>
  );
});
