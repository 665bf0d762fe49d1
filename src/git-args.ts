// The argv of every git command glm runs itself (the prompt's `git status`, review, hook, commit): options that
// keep a repository's own config from running programs (fsmonitor, hooks, signature checks) and from taking
// locks behind the user's back. Imports nothing; every caller of git goes through gitArgv.

/**
 * `git` arguments for `args`. Hooks are off (core.hooksPath=/dev/null: `git add` alone can run post-index-change)
 * unless `userHooks`: for the user's own `git commit` that glm commit runs on purpose, and for questions about
 * where the hooks are (`rev-parse --git-path hooks`, `config core.hooksPath`), which the override would answer.
 */
export function gitArgv(args: readonly string[], o: { userHooks?: boolean } = {}): string[] {
  return [
    '-c', 'core.fsmonitor=false',
    '-c', 'log.showSignature=false',
    ...(o.userHooks ? [] : ['-c', 'core.hooksPath=/dev/null']),
    '--no-optional-locks',
    ...args,
  ]; // prettier-ignore
}
