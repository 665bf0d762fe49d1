// The POSIX sh hook scripts `glm hook install` writes: pre-commit (runs `glm review --staged`) and
// prepare-commit-msg (fills an empty message). Each runs the hook it replaced first, finds glm by the absolute
// paths recorded at install with a fallback to PATH, and never reads the terminal. Pure text; imports shell-quote.ts only.

import { shellQuote } from '../shell-quote.ts';

export type HookName = 'pre-commit' | 'prepare-commit-msg';
export const HOOK_NAMES: HookName[] = ['pre-commit', 'prepare-commit-msg'];

/** The marker that tells our hooks from anyone else's. */
export const markerFor = (name: HookName) => `# glm-hook: ${name}`;
export const chainedName = (name: HookName) => `${name}.glm-chained`;

export interface HookPaths {
  node: string;
  script: string;
}


function prelude(name: HookName, paths: HookPaths, what: string): string {
  return `#!/bin/sh
# ${what}
# Written by \`glm hook install\`; \`glm hook uninstall\` removes it and restores the hook it replaced.
${markerFor(name)}
hook_dir=$(dirname "$0")
if [ -x "$hook_dir/${chainedName(name)}" ]; then
  "$hook_dir/${chainedName(name)}" "$@" || exit $?
fi
GLM_NODE=${shellQuote(paths.node)}
GLM_SCRIPT=${shellQuote(paths.script)}
run_glm() {
  if [ -x "$GLM_NODE" ] && [ -f "$GLM_SCRIPT" ]; then
    "$GLM_NODE" "$GLM_SCRIPT" "$@" </dev/null
  elif command -v glm >/dev/null 2>&1; then
    glm "$@" </dev/null
  else
    echo "glm: not found at $GLM_SCRIPT or on PATH; reinstall the hook with: glm hook install" >&2
    return 127
  fi
}
`;
}

/** pre-commit: `glm review --staged` with the install options; GLM_SKIP_REVIEW=1 skips it (the old hook still runs). */
export function preCommitScript(paths: HookPaths, reviewArgs: string[], strict: boolean): string {
  return `${prelude('pre-commit', paths, 'glm-code pre-commit hook: reviews the staged change with `glm review --staged`.')}# glm-options: ${reviewArgs.join(' ')}
case "\${GLM_SKIP_REVIEW:-}" in
  ""|0) ;;
  *) echo "glm review: skipped (GLM_SKIP_REVIEW is set)" >&2; exit 0 ;;
esac
run_glm review --staged ${reviewArgs.map(shellQuote).join(' ')}
status=$?
if [ "$status" -eq 127 ]; then exit ${strict ? 4 : 0}; fi
exit "$status"
`;
}

/** prepare-commit-msg: only for a plain \`git commit\` whose message is still empty (not -m, -F, templates, merges or amends). */
export function prepareCommitMsgScript(paths: HookPaths): string {
  return `${prelude('prepare-commit-msg', paths, 'glm-code prepare-commit-msg hook: writes a message when you leave it empty.')}# glm-options:
[ -z "\${2:-}" ] || exit 0
if sed '/^# -* >8 -*$/,$d' "$1" | grep -v '^#' | grep -q '[^[:space:]]'; then exit 0; fi
msg=$(run_glm commit --dry-run) || exit 0
[ -n "$msg" ] || exit 0
{ printf '%s\\n' "$msg"; cat "$1"; } > "$1.glm-tmp" && mv "$1.glm-tmp" "$1"
exit 0
`;
}

/** The options a hook was installed with (from its `# glm-options:` line), or undefined for a foreign hook. */
export function parseInstalledOptions(name: HookName, text: string): string | undefined {
  if (!text.includes(markerFor(name))) return undefined;
  return /^# glm-options: ?(.*)$/m.exec(text)?.[1]?.trim() ?? '';
}
