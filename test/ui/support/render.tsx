// Renders the REPL app with ink-testing-library over a FakeHost, with helpers to type keys and wait for text.
import { render } from 'ink-testing-library';
import { stripVTControlCharacters } from 'node:util';
import { App } from '../../../src/ui/app.tsx';
import { ReplController } from '../../../src/ui/controller.ts';
import { PromptHistory } from '../../../src/ui/history.ts';
import { themeFromEnv } from '../../../src/ui/theme.ts';
import { FakeHost } from './fake-host.ts';
import path from 'node:path';

export const KEY = {
  enter: '\r',
  esc: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  left: '\x1b[D',
  right: '\x1b[C',
  tab: '\t',
  shiftTab: '\x1b[Z',
  backspace: '\x7f',
  ctrl: (c: string) => String.fromCharCode(c.toLowerCase().charCodeAt(0) - 96),
};

export async function renderRepl(host = new FakeHost(), o: { color?: boolean; waitForSession?: boolean } = {}) {
  const controller = new ReplController(host, {
    history: new PromptHistory(path.join(host.config.dataDir, 'history.jsonl')).load(),
    frameMs: 5,
  });
  const theme = themeFromEnv(o.color ? {} : { NO_COLOR: '1' });
  const ink = render(<App controller={controller} theme={theme} />);
  const started = controller.start();
  if (o.waitForSession !== false) await started;
  const screen = {
    host,
    controller,
    ink,
    /** Everything written so far (static items included), without escape codes. */
    all: () => stripVTControlCharacters(ink.frames.join('\n')),
    /** The last frame (in debug mode: static output since the last flush + the live region). */
    last: () => stripVTControlCharacters(ink.lastFrame() ?? ''),
    /** Writes keys one event at a time, letting Ink and React process each. */
    async press(...keys: string[]) {
      for (const k of keys) {
        ink.stdin.write(k);
        await tick(k === KEY.esc ? 60 : 5);
      }
    },
    /** Types `text` as one quick burst (as a fast typist or tmux would). */
    async type(text: string) {
      await screen.press(text);
    },
    async waitFor(check: string | RegExp | (() => boolean), what = 'the expected output', timeoutMs = 3000) {
      const ok = () => (typeof check === 'function' ? check() : typeof check === 'string' ? screen.all().includes(check) : check.test(screen.all()));
      const start = Date.now();
      while (!ok()) {
        if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${typeof check === 'function' ? what : String(check)}\n--- last frame ---\n${screen.last()}`);
        await tick(10);
      }
    },
    /** Waits until everything pending has rendered. */
    async settle() {
      await tick(30);
    },
    unmount() {
      ink.unmount();
    },
  };
  return screen;
}

export const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
