// The seam between the REPL and the rest of glm-code: what the UI needs from a session and from the host.
// cli.ts implements it over the real Session; tests implement it with scripted events. Types only:
// imports nothing but types (src/types.ts, ./commands.ts): no ink, no react, no agent code.
import type { AgentEvent, Approver, Config, ImageData, PermissionMode, SessionEndReason, Usage } from '../types.ts';
import type { SlashCommand } from './commands.ts';

/** What a custom command changes for the one turn it starts (its `allowed-tools` and `model` front matter). */
export interface TurnOptions {
  /** Permission rules allowed without asking during this turn only. */
  allow?: string[];
  /** The rules come from the project's own files: used only once the user has trusted the project. */
  fromProject?: boolean;
  /** The model for this turn only. */
  model?: string;
  /** The permission mode for this turn only (`/review --fix` asks before each change, whatever the mode). */
  mode?: PermissionMode;
  /** Images sent with the prompt (a pasted or dragged path, an `@shot.png` mention, Ctrl+V), as `--image` sends them. */
  images?: ImageData[];
}

export interface ReplSession {
  readonly id: string;
  subscribe(listener: (event: AgentEvent) => void): () => void;
  /** One user turn until the `done` event. Never throws (a bad rule in `turn` ends the turn with an error notice first). */
  run(prompt: string, turn?: TurnOptions): Promise<void>;
  /** Esc: aborts the request and running tools at once. */
  abort(): void;
  /** Shift+Tab cycles default → acceptEdits → plan. */
  permissionMode: PermissionMode;
  /** Rules added with "always allow" during this session. */
  readonly sessionRules: string[];
  removeRule(rule: string): void;
  /** /model and /thinking change these for the next request. */
  model: string;
  thinking: boolean;
  /** Prompt tokens of the last request (how full the context is). */
  readonly contextTokens: number;
  /** Session totals; `usage.cost` (USD) only when the cost of every request is known. */
  readonly usage: Usage;
  /** The configuration the next request uses (/model and /thinking change it); the host's when absent. */
  readonly config?: Config;
  /** Commands run in the OS sandbox (the status line says "sandboxed"); known once the sandbox was probed. */
  readonly sandboxed?: boolean;
  /** Probes the sandbox in the background (not at start-up); the outcome arrives as a `sandbox` event. */
  startSandbox?(): void;
  /** Lines to show once when the session opens (a memory file left out, and why). */
  readonly notices?: readonly string[];
  /** A resumed session: the events of its transcript, oldest first (what the REPL shows of it again). */
  earlierEvents?(): AgentEvent[];
  /** Ends the session; `reason` is SessionEnd's (clear, resume, prompt_input_exit, other). */
  close(reason?: SessionEndReason): Promise<void>;
}

/** A resource of a connected MCP server, offered after '@' as `@<server>:<uri>`. */
export interface ResourceRef {
  server: string;
  uri: string;
  /** Its title or name, shown beside it. */
  name?: string;
}

/** MCP resources for `@<server>:<uri>` mentions in prompts. */
export interface ReplResources {
  /** The names of the REPL's MCP servers: `@<name>:<uri>` in a prompt is a resource mention. */
  servers(): readonly string[];
  /** The resources of the connected servers, for completion; the same array while nothing changed. */
  list(): readonly ResourceRef[];
  /** The contents as the model reads them (as ReadMcpResource returns them); throws with a line for the user. */
  read(server: string, uri: string, signal: AbortSignal): Promise<string>;
}

export interface SessionSummary {
  id: string;
  /** ISO timestamp. */
  updatedAt: string;
  firstPrompt: string;
  turns: number;
}

export interface ReplHost {
  /**
   * Frozen: model, provider, modelInfo.contextWindow, cwd, projectRoot, dataDir, configDir … The controller
   * replaces it with the session's after /model and /thinking, so the status line shows the new window and
   * sessions opened later (/clear, /resume) keep the choice.
   */
  config: Config;
  openSession(opts: { approver: Approver; resumeId?: string }): Promise<ReplSession>;
  /** Past sessions of this project, any order (the UI sorts newest first). */
  listSessions(): Promise<SessionSummary[]>;
  /**
   * Files of the project for @-completion, relative to config.cwd. Optional: without it the UI lists
   * them itself (tinyglobby + .gitignore via `ignore`).
   */
  projectFiles?(): Promise<string[]>;
  /** The model ids glm knows (its model table): `/model` suggests the one a mistyped id is closest to. */
  knownModels?: readonly string[];
  /** A session to resume right away (`glm --resume <id>` / `--continue`), opened instead of a new one. */
  resumeId?: string;
  /** A prompt given on the command line (`glm "fix the tests"`): submitted as soon as the REPL is ready. */
  initialPrompt?: string;
  /**
   * More slash commands (`/compact`, `/undo`, `/review`, `/memory` …), one entry each; they appear in
   * completion and /help after the built-ins. See SlashCommand and CommandContext in ./commands.ts.
   */
  commands?: SlashCommand[];
  /** Where custom command files (`<name>.md`) are read, lowest precedence first; without it, glm's own two folders. */
  commandFolders?: readonly { dir: string; source: 'project' | 'user' }[];
  /**
   * Commands that come and go while the REPL runs (an MCP server's prompts, once it connects): read at each use;
   * return the same array while nothing changed.
   */
  liveCommands?(): readonly SlashCommand[];
  /**
   * The command menu opened, or a `/name` matched no command: read again what may have changed on disk (skills).
   * Resolves true when liveCommands changed. Cheap to call often (the host may answer from a recent read).
   */
  refreshCommands?(): Promise<boolean>;
  /**
   * `!command`: runs a command the user typed in the project, as the user (no permission prompt, no model call).
   * Output is stdout and stderr interleaved, colour sequences removed; `status` reads like `exit 0 · 3 lines`.
   */
  runShell?(command: string, signal: AbortSignal): Promise<{ output: string; status: string; failed: boolean }>;
  /**
   * MCP resources the user can mention. The user typed the mention, so it is read without a permission prompt,
   * like an @file attachment (ReadMcpResource, the model's way, asks unless a rule allows it).
   */
  resources?: ReplResources;
  /** How many MCP servers are connected, of how many: now (once known) and at each change, to `update`. */
  watchMcpServers?(update: (up: number, total: number) => void): void;
  /** Lines to show as they happen, outside any turn (an MCP server that failed to connect): each goes to `show`. */
  watchNotices?(show: (text: string) => void): void;
  /**
   * An image file (a pasted or dragged path, an `@shot.png` mention) as a prompt carries it: scaled, with its size.
   * Rejects with a one-line Error (not an image, unreadable). Without it the REPL attaches no images.
   */
  imageFromFile?(file: string): Promise<ImageData>;
  /** Whether a Read deny rule hides this absolute path: an `@path` mention of it attaches nothing. */
  readDenied?(abs: string): boolean;
  /** Ctrl+V: the clipboard's image, a file path it holds (`text`), or one line saying why there is none. */
  clipboardImage?(): Promise<{ image: ImageData } | { text: string } | { notice: string }>;
}
