// The tool contract: what a tool file in tools/ exports, and what the loop hands it when it runs.
// Imports only types.ts and zod. Tools never import the loop, the session or any front end.
import type { z } from 'zod';
import type { ImageData, ToolDisplay, ToolSchema, Usage } from './types.ts';

/**
 * Permission decisions start from the kind: read and search are safe; edit, execute, mcp (a server's tool) and
 * web (WebFetch, WebSearch) ask.
 */
export type ToolKind = 'read' | 'search' | 'edit' | 'execute' | 'meta' | 'mcp' | 'web';

export interface TodoItem {
  content: string;
  status: 'pending' | 'in_progress' | 'completed';
  activeForm: string;
}

/** A shell started with `run_in_background`, polled with BashOutput and stopped with KillShell. */
export interface BackgroundShell {
  id: string;
  command: string;
  status: 'running' | 'completed' | 'failed' | 'killed';
  exitCode?: number;
  /** Output produced since the last call (stdout and stderr interleaved). */
  readNew(): string;
  kill(): void;
}

/** State a session keeps for its tools across calls. */
export interface ToolState {
  /** Absolute path → mtimeMs when the file was last read (or written) in this session. */
  readFiles: Map<string, number>;
  todos: TodoItem[];
  shells: Map<string, BackgroundShell>;
}

export const createToolState = (): ToolState => ({ readFiles: new Map(), todos: [], shells: new Map() });

export interface ToolContext {
  /** Relative paths resolve against this directory. */
  cwd: string;
  signal: AbortSignal;
  state: ToolState;
  /** Live output for the UI (Bash streams here while it runs). */
  onOutput?: (chunk: string) => void;
  /** Called with an absolute path before a tool changes that file (undo snapshots hook in here). */
  beforeWrite?: (absolutePath: string) => Promise<void>;
  /**
   * True when a Read deny rule covers this absolute path or its real path; set by the session from the permission
   * rules. Grep, Glob and LS leave such paths out of what they search and list (and say how many they hid).
   */
  readDenied?: (absolutePath: string) => boolean;
  /**
   * The whole environment for processes a tool starts (Bash, background shells): the session passes glm's own
   * without the provider keys (src/command-env.ts). Undefined only in tests that build a context by hand.
   */
  env?: NodeJS.ProcessEnv;
  /** The command sandbox (src/sandbox/): how Bash starts each process. Undefined: no sandbox (tests by hand). */
  sandbox?: ToolSandbox;
  /** WebFetch may fetch private and loopback addresses (user setting "webFetch.allowPrivateNetwork", GLM_WEBFETCH_ALLOW_PRIVATE=1). */
  allowPrivateNetwork?: boolean;
  /**
   * WebSearch's backend (src/web-search.ts): titles, URLs and snippets, or a search MCP server's own text. Undefined
   * when there is none (then the session does not offer WebSearch). Throws an Error whose message is one line for the model.
   */
  webSearch?: (query: string, signal: AbortSignal) => Promise<{ title: string; url: string; snippet: string; date?: string }[] | string>;
  /** The id of the call being run (a subagent tags its events with it). */
  callId?: string;
  /**
   * The editor's text files (ACP fs/read_text_file and fs/write_text_file): Write, Edit and MultiEdit read the
   * current text from it (unsaved changes included) and write through it instead of to disk. Undefined: the disk.
   */
  textFiles?: TextFiles;
}

/** Files as an editor holds them; paths are absolute, the ones permissions judged. */
export interface TextFiles {
  /** The editor's text of the file, or undefined when it cannot give one (then the disk's text is used). */
  read(absolutePath: string): Promise<string | undefined>;
  /** Hands the whole new text to the editor; throws an Error with one line for the model when it refuses. */
  write(absolutePath: string, text: string): Promise<void>;
}

/** A process to start: its argv and whole environment. */
export interface Launch {
  argv: string[];
  env: NodeJS.ProcessEnv;
}

/** Turns a process's argv and environment into the ones that start it sandboxed (unchanged when it is off). */
export type Wrap = (argv: string[], cwd: string, env: NodeJS.ProcessEnv) => Launch;

export interface ToolSandbox {
  /** The wrap for the next process, or why no command may run (the sandbox is required and cannot start). */
  prepare(): Promise<{ wrap: Wrap } | { refused: string }>;
  /** For a failed command that ran sandboxed: one line when its output shows the sandbox stopped it. */
  explain(output: string): string | undefined;
  /** A foreground process it wrapped has ended: what a command may have planted for git is put back now. */
  ended?(): void;
}

export interface ToolResult {
  /** What the model reads. */
  output: string;
  /** What a human sees. */
  display?: ToolDisplay;
  isError?: boolean;
  /** The run ends after this call, with this text as its result (headless plan mode: the plan). */
  endRun?: string;
  /**
   * Images the call returned (Read of a PNG): the loop sends them in one user message right after the turn's
   * tool results, since many servers reject image parts in tool messages.
   */
  images?: ImageData[];
  /** Tokens the tool itself spent on the model (a subagent's): they count in the run's usage. */
  usage?: Usage;
}

export interface ToolDef<S extends z.ZodType = z.ZodType> {
  name: string;
  kind: ToolKind;
  /** The text the model reads (tools/<name>.md, placeholders filled). */
  description: string;
  schema: S;
  /** Which end of a long output the loop keeps when it truncates: head for reads, tail for commands. */
  keep: 'head' | 'tail';
  /**
   * Calls of such tools that follow each other in one message run at the same time (Task; the read-only Read, Grep,
   * Glob and LS): results go in in the calls' order, and their gate decisions (approvals, hooks) come one at a time.
   */
  parallel?: boolean;
  /** One line for humans: `Read src/a.ts`, `Bash npm test`. */
  title(args: z.infer<S>): string;
  /**
   * The value permission rules match against: the command for Bash, the path for file tools,
   * undefined when rules can only name the tool.
   */
  target?(args: z.infer<S>): string | undefined;
  /**
   * For edits, computed without writing: the unified diff an approval prompt shows, or the error the call would
   * fail with (then nobody is asked to approve a change that cannot happen; the model gets the error at once).
   */
  preview?(args: z.infer<S>, ctx: Pick<ToolContext, 'cwd' | 'state' | 'textFiles'>): Promise<Preview>;
  execute(args: z.infer<S>, ctx: ToolContext): Promise<ToolResult>;
}

export type Preview = { diff: string } | { error: string };

/** A ToolDef with its argument type erased, for lists of tools. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyToolDef = ToolDef<any>;

/**
 * The tools a session offers: names and JSON schemas up front (what the first request needs), the
 * definitions (zod, execute) loaded when the model first calls one. Built-in tools ship their schemas
 * precomputed (tools/catalog.ts), so a run that never calls a tool never loads them.
 */
export interface ToolSet {
  names: string[];
  schemas: ToolSchema[];
  load(): Promise<AnyToolDef[]>;
}

/** Typed identity helper so each tool file gets its argument types inferred from its schema. */
export const defineTool = <S extends z.ZodType>(def: ToolDef<S>): ToolDef<S> => def;
