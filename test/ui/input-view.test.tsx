// The prompt box on its own with ink-testing-library: what an empty prompt shows in a narrow terminal.
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InputView } from '../../src/ui/components/input-view.tsx';
import { emptyEditor } from '../../src/ui/editor.ts';
import { themeFromEnv } from '../../src/ui/theme.ts';

const theme = themeFromEnv({ NO_COLOR: '1' });

describe('the empty prompt', () => {
  it('keeps its hints on one row in a narrow terminal, cut at the edge', () => {
    const ink = render(
      <Box width={40}>
        <InputView editor={emptyEditor()} history={[]} suggestions={[]} busy={false} theme={theme} />
      </Box>,
    );
    const rows = stripVTControlCharacters(ink.lastFrame() ?? '').split('\n').filter((r) => r.trim());
    ink.unmount();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^❯ {2}Ask anything · \/ commands · @ files …?/);
    expect(rows[0]!.length).toBeLessThanOrEqual(40);
  });
});
