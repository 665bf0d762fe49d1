// Drives a real terminal: a program runs in a detached tmux pane on a private tmux server; tests type keys
// and read the screen. Every session gets a unique name and is killed by the caller (kill()/killServer()).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class Tmux {
  private static count = 0;

  private constructor(
    readonly socket: string,
    readonly name: string,
  ) {}

  /** Starts `command` in a `cols`×`rows` pane; when it exits the pane shows `[exit N]` and stays open. */
  static start(o: { socket: string; command: string[]; cwd: string; env: Record<string, string>; cols?: number; rows?: number }): Tmux {
    const name = `glm-${process.pid}-${++Tmux.count}`;
    const env = Object.entries(o.env).map(([k, v]) => `${k}=${quote(v)}`);
    const shell = `env -i ${env.join(' ')} ${o.command.map(quote).join(' ')}; echo "[exit $?]"; sleep 600`;
    const t = new Tmux(o.socket, name);
    t.tmux('new-session', '-d', '-s', name, '-x', String(o.cols ?? 100), '-y', String(o.rows ?? 30), '-c', o.cwd, shell);
    return t;
  }

  static killServer(socket: string): void {
    try {
      execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // no server left
    }
    const dir = process.env.TMUX_TMPDIR ?? '/tmp';
    rmSync(path.join(dir, `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Types text literally (no key-name lookup). */
  type(text: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  /** Pastes text as a terminal does (a bracketed paste when the program asked for one), as when a file is dragged in. */
  paste(text: string): void {
    const buffer = `paste-${this.name}`;
    this.tmux('set-buffer', '-b', buffer, text);
    this.tmux('paste-buffer', '-p', '-d', '-b', buffer, '-t', this.name);
  }

  /** Presses keys by tmux name: Enter, Escape, Tab, BTab, C-c, C-d … */
  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  /** The visible screen. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  /** The screen and everything scrolled above it. */
  all(): string {
    return this.tmux('capture-pane', '-p', '-S', '-', '-t', this.name);
  }

  async waitFor(check: string | RegExp | ((screen: string) => boolean), o: { timeoutMs?: number; what?: string; scrollback?: boolean } = {}): Promise<string> {
    const test = typeof check === 'function' ? check : typeof check === 'string' ? (s: string) => s.includes(check) : (s: string) => check.test(s);
    const end = Date.now() + (o.timeoutMs ?? 15_000);
    for (;;) {
      const text = o.scrollback ? this.all() : this.screen();
      if (test(text)) return text;
      if (Date.now() > end) throw new Error(`timed out waiting for ${o.what ?? String(check)}; the screen shows:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(): void {
    try {
      this.tmux('kill-session', '-t', this.name);
    } catch {
      // already gone
    }
  }
}
