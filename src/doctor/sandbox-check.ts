// The doctor's sandbox line: whether commands run sandboxed here and, when not, why (no bwrap, user namespaces
// disabled, not Linux) and how to fix it. Imports the sandbox and the Check shape; no network.
import os from 'node:os';
import { sandboxFor } from '../sandbox/sandbox.ts';
import { writableShown } from '../sandbox/policy.ts';
import { nativeFilter } from '../sandbox/seccomp.ts';
import type { Config } from '../types.ts';
import type { Check } from './checks.ts';

export async function sandboxCheck(config: Config): Promise<Check> {
  const label = 'Sandbox';
  const mode = config.sandbox?.mode ?? 'off';
  if (mode === 'off') return { id: 'sandbox', label, status: 'skip', detail: 'off (setting "sandbox": false or --sandbox off): commands run unsandboxed' };
  const sandbox = sandboxFor(config);
  try {
    const state = await sandbox.state();
    if (state.refused) return { id: 'sandbox', label, status: 'fail', detail: state.refused, fix: 'install bubblewrap (see the README, "Sandbox"), or set "sandbox": "auto"' };
    if (!state.active) return { id: 'sandbox', label, status: 'warn', detail: state.notice ?? 'not available', fix: 'install bubblewrap (see the README, "Sandbox")' };
    const policy = sandbox.policy();
    const home = os.homedir();
    const short = (p: string) => (p.startsWith(home + '/') ? `~${p.slice(home.length)}` : p);
    const writes = writableShown(policy.writable).map(short).join(', ');
    const domains = config.sandbox?.allowedDomains ?? [];
    const net = domains.length ? `network only to ${domains.join(', ')}` : 'no network';
    const sockets = unixSockets(config);
    const detail = `bubblewrap works: commands write only ${writes} and a private /tmp, ${net}, ${sockets}; ${policy.hidden.length} ${policy.hidden.length === 1 ? 'path' : 'paths'} hidden`;
    if (state.notice || policy.unenforced.length) {
      return { id: 'sandbox', label, status: 'warn', detail: [detail, state.notice, ...policy.unenforced].filter(Boolean).join('; ') };
    }
    return { id: 'sandbox', label, status: 'pass', detail };
  } finally {
    await sandbox.close();
  }
}

/** Whether the seccomp filter refuses unix sockets here (sandbox/seccomp.ts), and why not. */
function unixSockets(config: Config): string {
  if (config.sandbox?.allowUnixSockets) return 'unix sockets allowed (sandbox.allowUnixSockets)';
  if (config.sandbox?.allowedDomains.length) return 'unix sockets reachable (the network proxy needs them; known daemon sockets hidden)';
  if (!nativeFilter()) return `unix sockets reachable (no seccomp filter for ${process.arch}; known daemon sockets hidden)`;
  return 'no unix sockets';
}
