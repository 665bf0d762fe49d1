// The trust dialog shown before the first prompt when an untrusted project's .glm/settings.json would loosen
// what glm does: lists it (trust.ts words it) and sends y / n / Esc back through onAnswer. Ink only; no agent logic.
// Rules and paths come from the repository: shown with their control characters escaped (terminal-text.ts).
import { Box, Text, useInput } from 'ink';
import path from 'node:path';
import { useRef, useState } from 'react';
import { safeLine } from '../../terminal-text.ts';
import type { Theme } from '../theme.ts';

/** What the dialog shows: the project's settings file and what it would loosen, worded by src/trust.ts (looseningGroups). */
export interface UntrustedProject {
  file: string;
  /** The files it comes from, as the user should read them: `.glm/settings.json`, `.mcp.json`, or both. */
  source?: string;
  groups: { heading: string; lines: string[] }[];
}

interface Props {
  project: UntrustedProject;
  /** Where glm runs: the settings file is shown relative to it. */
  cwd: string;
  theme: Theme;
  /** true: trust and remember; false: leave the rules out for this session. Called once. */
  onAnswer: (trust: boolean) => void;
  /** Ctrl+C: leave glm without answering. */
  onCancel: () => void;
}

/**
 * y or n picks, Enter confirms what is picked (a lone y typed ahead while glm starts must not grant lasting trust);
 * Esc answers no at once. Returns the new pick, or an answer to send.
 */
export function trustKey(input: string, key: { escape?: boolean; return?: boolean }, picked: boolean | undefined): { pick?: boolean; answer?: boolean } {
  if (key.escape) return { answer: false };
  if (key.return) return picked === undefined ? {} : { answer: picked };
  const c = input.toLowerCase();
  return c === 'y' ? { pick: true } : c === 'n' ? { pick: false } : {};
}

export function TrustView({ project, cwd, theme, onAnswer, onCancel }: Props) {
  const answered = useRef(false);
  // A ref as well as state: "n" and Enter can arrive before React renders the pick (or in one chunk, "n\r").
  const pickedRef = useRef<boolean | undefined>(undefined);
  const [picked, setPicked] = useState<boolean | undefined>(undefined);
  useInput((input, key) => {
    if (key.ctrl && input === 'c') return onCancel();
    const presses = key.escape || key.return ? [{ input, key }] : [...input].map((ch) => (ch === '\r' ? { input: '', key: { return: true } } : { input: ch, key: {} }));
    for (const p of presses) {
      if (answered.current) return;
      const r = trustKey(p.input, p.key, pickedRef.current);
      if (r.pick !== undefined) setPicked((pickedRef.current = r.pick));
      if (r.answer === undefined) continue;
      answered.current = true;
      onAnswer(r.answer);
    }
  });
  return (
    <Box flexDirection="column" marginTop={1} borderStyle="round" borderColor={theme.warn} paddingX={1}>
      <Text bold>
        <Text color={theme.warn}>?</Text> This project's {safeLine(project.source ?? (path.relative(cwd, project.file) || project.file))} would let glm:
      </Text>
      {project.groups.map((group) => (
        <Box key={group.heading} flexDirection="column">
          <Text>
            {'  '}
            {safeLine(group.heading)}
          </Text>
          {group.lines.map((line) => (
            <Text key={line} color={theme.accent}>
              {'    '}
              {safeLine(line)}
            </Text>
          ))}
        </Box>
      ))}
      <Box marginTop={1}>
        <Text>
          Trust this project ({safeLine(path.dirname(path.dirname(project.file)))})? <Text bold color={theme.success}>y</Text> yes, remember  <Text bold color={theme.error}>n</Text> no, ask me each
          time, then <Text bold>enter</Text>  <Text bold>esc</Text> no
        </Text>
      </Box>
      {picked !== undefined && (
        <Text>
          <Text color={picked ? theme.success : theme.error}>› {picked ? 'yes, trust it and remember' : 'no, not in this session'}</Text>
          <Text dimColor> · enter to confirm</Text>
        </Text>
      )}
    </Box>
  );
}
