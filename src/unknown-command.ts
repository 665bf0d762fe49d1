// A lone bare word where a prompt goes (`glm sesions`, `glm update`) is far more often a mistyped or imagined
// subcommand than a one-word prompt: it gets "unknown command" and exit 2 before any request or session.
// The subcommands come from what is registered with commander (the caller passes them). Imports closest-word only.
import { closestWord } from './closest-word.ts';

const SETTINGS = 'settings are JSON files: ~/.config/glm-code/settings.json, and .glm/settings.json (shared) or .glm/settings.local.json (yours alone) in the project';
const KEY = 'glm reads its API key from GLM_API_KEY (or the provider\'s own variable); glm doctor checks it';

/** Verbs other command-line tools have and glm does not: what to run instead, or where glm does that. */
const OTHER_TOOLS_VERBS: Record<string, { mean?: string; hint?: string }> = {
  help: { mean: 'glm --help' },
  version: { mean: 'glm --version' },
  continue: { mean: 'glm --continue' },
  resume: { mean: 'glm --resume <id>' },
  chat: { mean: 'glm' },
  start: { mean: 'glm' },
  status: { mean: 'glm doctor' },
  list: { mean: 'glm sessions' },
  ls: { mean: 'glm sessions' },
  history: { mean: 'glm sessions' },
  config: { hint: SETTINGS },
  configure: { hint: SETTINGS },
  settings: { hint: SETTINGS },
  setup: { hint: SETTINGS },
  init: { hint: SETTINGS },
  login: { hint: KEY },
  logout: { hint: KEY },
  auth: { hint: KEY },
  install: {},
  uninstall: {},
  update: {},
  upgrade: {},
  mcp: {},
  models: {},
};

/**
 * The one-line error for a prompt argument that looks like a command, or undefined when it is a prompt. Only a
 * single bare word counts: a prompt with a space (`glm "update "`) or passed with -p is always a prompt.
 */
export function unknownCommandError(promptArg: string, commands: string[]): string | undefined {
  if (!/^[A-Za-z][A-Za-z-]*$/.test(promptArg)) return undefined;
  const word = promptArg.toLowerCase();
  const close = closestWord(word, commands);
  // Short verbs only as typed: `lint` is a prompt, not a typo of `list`.
  const verbName = Object.hasOwn(OTHER_TOOLS_VERBS, word) ? word : closestWord(word, Object.keys(OTHER_TOOLS_VERBS).filter((v) => v.length >= 5));
  if (!close && !verbName) return undefined;
  const asPrompt = `to send "${promptArg}" to the model as a prompt, use glm -p ${promptArg}`;
  const verb = (!close && verbName && OTHER_TOOLS_VERBS[verbName]) || {};
  const instead = close ? `glm ${close}` : verb.mean;
  if (instead) return `unknown command "${promptArg}"; did you mean "${instead}"? (${asPrompt})`;
  const where = verb.hint ?? `glm's commands are ${commands.join(', ')} (glm --help)`;
  return `unknown command "${promptArg}"; ${where}; ${asPrompt}`;
}
