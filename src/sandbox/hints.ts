// The one line a sandboxed command's failed result gets when its output looks like the sandbox stopped it (a write
// to a read-only place, no network, a refused connection or unix socket): what was blocked and how to proceed. Pure.

const CAUSES: [RegExp, string][] = [
  [/glm sandbox: .*(not in sandbox\.network\.allowedDomains|resolves to this machine)/, 'the sandbox proxy refused a host'],
  [/Read-only file system|EROFS/, 'a write outside the folders it may write'],
  [/Device or resource busy|EBUSY/, 'a write to a file that stays read-only, like .git/config'],
  [/Network is unreachable|ENETUNREACH|Could not resolve host|Temporary failure in name resolution|EAI_AGAIN|Name or service not known|getaddrinfo/i, 'no network'],
  [/\b(socket|connect)\b.*\b(EPERM|Operation not permitted)|\b(EPERM|Operation not permitted)\b.*\b(socket|connect)|docker daemon/i, 'a unix socket (the sandbox refuses them)'],
  [/Connection refused|ECONNREFUSED/, 'a refused connection (nothing on this machine is reachable from the sandbox)'],
];

export interface HintContext {
  /** The folders commands may write, besides their private /tmp. */
  writable: string[];
  allowedDomains: readonly string[];
}

/** The hint for a failed sandboxed command, or undefined when its output shows no sign of the sandbox. */
export function sandboxHint(output: string, c: HintContext): string | undefined {
  const cause = CAUSES.find(([re]) => re.test(output))?.[1];
  if (!cause) return undefined;
  const net = c.allowedDomains.length ? `network only to ${c.allowedDomains.join(', ')}` : 'no network';
  return (
    `[sandbox] This looks like the sandbox blocked it (${cause}): commands may write only ${c.writable.join(', ')} and /tmp (private to this session), with ${net}. ` +
    'Do not work around it. If the command really needs this, run it again with dangerouslyDisableSandbox: true (the user will be asked), ' +
    'or tell the user which setting would allow it (sandbox.allowWrite, sandbox.network.allowedDomains, sandbox.allowUnixSockets).'
  );
}
