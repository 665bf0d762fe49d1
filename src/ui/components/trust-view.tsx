// The trust dialog shown before the first prompt when an untrusted project's .glm/settings.json would loosen
// permissions: lists what it would allow and sends y / n / Esc back through onAnswer. Ink only; no agent logic.
import { Box, Text, useInput } from 'ink';
import path from 'node:path';
import { useRef } from 'react';
import type { Config } from '../../types.ts';
import type { Theme } from '../theme.ts';

export type UntrustedProject = NonNullable<Config['untrustedProject']>;

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

/** y trusts; n or Esc does not; anything else is ignored. */
export function trustAnswer(input: string, key: { escape?: boolean }): boolean | undefined {
  if (key.escape) return false;
  const c = input.toLowerCase();
  return c === 'y' ? true : c === 'n' ? false : undefined;
}

export function TrustView({ project, cwd, theme, onAnswer, onCancel }: Props) {
  const answered = useRef(false);
  useInput((input, key) => {
    if (key.ctrl && input === 'c') return onCancel();
    const answer = trustAnswer(input, key);
    if (answer === undefined || answered.current) return;
    answered.current = true;
    onAnswer(answer);
  });
  return (
    <Box flexDirection="column" marginTop={1} borderStyle="round" borderColor={theme.warn} paddingX={1}>
      <Text bold>
        <Text color={theme.warn}>?</Text> This project's {path.relative(cwd, project.file) || project.file} would let glm run these without asking:
      </Text>
      {project.allow.map((rule) => (
        <Text key={rule} color={theme.accent}>
          {'  '}
          {rule}
        </Text>
      ))}
      {project.defaultMode && (
        <Text>
          {'  '}
          <Text color={theme.accent}>every edit of a file in the project</Text> (defaultMode {project.defaultMode})
        </Text>
      )}
      <Box marginTop={1}>
        <Text>
          Trust this project ({path.dirname(path.dirname(project.file))})? <Text bold color={theme.success}>y</Text> yes, remember  <Text bold color={theme.error}>n</Text> no, ask me each
          time  <Text bold>esc</Text> no
        </Text>
      </Box>
    </Box>
  );
}
