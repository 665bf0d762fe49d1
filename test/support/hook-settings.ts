// Lifecycle hooks written where a user writes them, for end-to-end tests: the user's own settings file (hooks
// there run without trust), with `type: "command"` filled in where a spec leaves it out.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Sandbox } from './run-glm.ts';

export type HookSpec = {
  type?: string;
  command?: string;
  url?: string;
  headers?: Record<string, string>;
  allowedEnvVars?: string[];
  prompt?: string;
  model?: string;
  timeout?: number;
  failClosed?: boolean;
};
export type Hooks = Record<string, { matcher?: string; hooks: HookSpec[] }[]>;

/** The hooks as a settings file holds them: each spec a `command` hook unless it says otherwise. */
export const withType = (hooks: Hooks) =>
  Object.fromEntries(Object.entries(hooks).map(([event, groups]) => [event, groups.map((g) => ({ ...g, hooks: g.hooks.map((h) => ({ type: 'command', ...h })) }))]));

/** Writes the user's settings file: `hooks`, and any other settings beside them. */
export function userHooks(sb: Sandbox, hooks: Hooks, settings: Record<string, unknown> = {}): void {
  const dir = path.join(sb.home, '.config', 'glm-code');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ ...settings, hooks: withType(hooks) }));
}
