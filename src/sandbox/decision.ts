// How the sandbox changes a Bash permission decision: a call with dangerouslyDisableSandbox always asks (allowed
// without asking only in bypassPermissions; headless has nobody to ask, so it is denied), and with the sandbox on,
// acceptEdits also runs commands no rule asks about, since the sandbox bounds them (no network, writes only inside
// the project). Deny rules and every other mode decide as before. Pure; imports types only.
import type { Decision } from '../permissions.ts';
import type { PermissionMode } from '../types.ts';
import type { SandboxState } from './sandbox.ts';

export function sandboxDecision(d: Decision, toolName: string, args: unknown, mode: PermissionMode, state: SandboxState): Decision {
  if (toolName !== 'Bash' || d.action === 'deny') return d;
  const leaves = typeof args === 'object' && args !== null && (args as { dangerouslyDisableSandbox?: unknown }).dangerouslyDisableSandbox === true;
  if (leaves) {
    if (mode === 'bypassPermissions' || !(state.active || state.refused)) return d;
    return { action: 'ask', reason: 'it asks to run outside the sandbox (dangerouslyDisableSandbox): with full access to files and network', final: true };
  }
  if (state.active && mode === 'acceptEdits' && d.action === 'ask' && !d.rule && !d.final) {
    return { action: 'allow', reason: 'acceptEdits runs commands inside the sandbox without asking' };
  }
  return d;
}
