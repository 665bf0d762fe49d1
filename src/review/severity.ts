// Review finding severities, most serious first. Imports nothing, so the cached-verdict path of the
// pre-commit hook can check --fail-on without loading zod or the review tool.
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
