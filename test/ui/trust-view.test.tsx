// The project trust dialog with ink-testing-library: what it lists, which keys answer (once), and, inside the
// App, that the REPL's prompt only appears (and takes keys) after the answer.
import { render } from 'ink-testing-library';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.tsx';
import { TrustView, type UntrustedProject } from '../../src/ui/components/trust-view.tsx';
import { looseningGroups, sourceFiles, type LooseningEntry } from '../../src/trust.ts';
import { ReplController } from '../../src/ui/controller.ts';
import { PromptHistory } from '../../src/ui/history.ts';
import { themeFromEnv } from '../../src/ui/theme.ts';
import { FakeHost } from './support/fake-host.ts';
import { KEY, tick } from './support/render.tsx';

const theme = themeFromEnv({ NO_COLOR: '1' });
const CWD = '/work/proj';
/** What the REPL host hands the dialog for these entries. */
const shown = (entries: LooseningEntry[]): UntrustedProject => {
  const file = path.join(CWD, '.glm', 'settings.json');
  return { file, source: sourceFiles({ entries, file }, CWD), groups: looseningGroups({ entries }) };
};
const project = shown([
  { kind: 'allow', value: 'Bash(npm test:*)' },
  { kind: 'allow', value: 'Edit(src/**)' },
  { kind: 'defaultMode', value: 'acceptEdits' },
]);

type Ink = ReturnType<typeof render>;
let mounted: Ink[] = [];
afterEach(() => {
  for (const m of mounted) m.unmount();
  mounted = [];
});

it('names .mcp.json, not the settings file, when only its servers need trust', () => {
  const { screen } = dialog(shown([{ kind: 'mcpServer', value: 'docs: npx -y docs-mcp' }]));
  expect(screen()).toContain("This project's .mcp.json would let glm:");
});

function dialog(p: UntrustedProject = project) {
  const answers: boolean[] = [];
  let cancels = 0;
  const ink = render(<TrustView project={p} cwd={CWD} theme={theme} onAnswer={(a) => answers.push(a)} onCancel={() => cancels++} />);
  mounted.push(ink);
  return { ink, answers, cancels: () => cancels, screen: () => stripVTControlCharacters(ink.lastFrame() ?? '') };
}

async function press(ink: Ink, ...keys: string[]) {
  for (const k of keys) {
    ink.stdin.write(k);
    await tick(k === KEY.esc ? 60 : 10);
  }
}

describe('TrustView', () => {
  it('lists what the project file would allow and the keys that answer', async () => {
    const d = dialog();
    await tick(10);
    const screen = d.screen();
    expect(screen).toContain("This project's .glm/settings.json would let glm:");
    expect(screen).toContain('run these without asking:');
    expect(screen).toContain('Bash(npm test:*)');
    expect(screen).toContain('Edit(src/**)');
    expect(screen).toContain('every edit of a file inside the project (defaultMode acceptEdits)');
    expect(screen).toContain(`Trust this project (${CWD})?`);
    expect(screen).toMatch(/\)\? y yes, remember {2}n no, ask me each\s+time, then enter {2}esc no/);
  });

  it('leaves out the mode line when only rules are held back', async () => {
    const d = dialog(shown([{ kind: 'allow', value: 'Read' }]));
    await tick(10);
    expect(d.screen()).toContain('Read');
    expect(d.screen()).not.toContain('defaultMode');
  });

  it('names the server and folders a project would use', async () => {
    const d = dialog(
      shown([
        { kind: 'provider', value: 'openai-compatible' },
        { kind: 'baseUrl', value: 'http://127.0.0.1:9/v1' },
        { kind: 'additionalDirectory', value: '/srv/shared' },
      ]),
    );
    await tick(10);
    const screen = d.screen();
    expect(screen).toContain('send the session (your code, files and command output) to a server it names:');
    expect(screen).toContain('baseUrl http://127.0.0.1:9/v1');
    expect(screen).toContain('read files outside the project without asking, in:');
    expect(screen).toContain('/srv/shared');
    expect(screen).not.toContain('run these without asking');
  });

  it('answers yes with y then Enter (once); a y alone, other keys and Enter alone answer nothing', async () => {
    const d = dialog();
    await press(d.ink, 'x', KEY.enter, 'Y');
    expect(d.answers).toEqual([]);
    expect(d.screen()).toContain('› yes, trust it and remember · enter to confirm');
    await press(d.ink, KEY.enter, 'n', KEY.enter);
    expect(d.answers).toEqual([true]);
    // A pick and Enter in one chunk (fast typing, tmux) count as two keys.
    const chunk = dialog();
    await press(chunk.ink, 'y\r');
    expect(chunk.answers).toEqual([true]);
  });

  it('answers no with n then Enter or with Esc, takes back a y with n, and Ctrl+C cancels', async () => {
    const n = dialog();
    await press(n.ink, 'y', 'n', KEY.enter);
    expect(n.answers).toEqual([false]);
    const esc = dialog();
    await press(esc.ink, KEY.esc);
    expect(esc.answers).toEqual([false]);
    const c = dialog();
    await press(c.ink, KEY.ctrl('c'));
    expect(c.answers).toEqual([]);
    expect(c.cancels()).toBe(1);
  });
});

describe('App with a trust question', () => {
  it('shows only the dialog until answered, then the prompt; keys of the dialog never reach the prompt', async () => {
    const host = new FakeHost();
    const controller = new ReplController(host, { history: new PromptHistory(path.join(host.config.dataDir, 'history.jsonl')).load(), frameMs: 5 });
    const answers: boolean[] = [];
    const ink = render(<App controller={controller} theme={theme} trust={{ project: { ...project, file: path.join(host.config.cwd, '.glm/settings.json') }, answer: (a) => answers.push(a) }} />);
    mounted.push(ink);
    await tick(20);
    const frame = () => stripVTControlCharacters(ink.lastFrame() ?? '');
    expect(frame()).toContain('Trust this project (');
    expect(frame()).not.toContain('Ask anything');
    await press(ink, 'q', 'y', KEY.enter);
    expect(answers).toEqual([true]);
    await controller.start();
    await tick(30);
    expect(frame()).not.toContain('Trust this project (');
    expect(frame()).toContain('Ask anything');
    await press(ink, 'hi', KEY.enter);
    for (let i = 0; i < 300 && host.session.prompts.length === 0; i++) await tick(10);
    // Not "qhi": the q pressed at the dialog went nowhere.
    expect(host.session.prompts).toEqual(['hi']);
  });
});
