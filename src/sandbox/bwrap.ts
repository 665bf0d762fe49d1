// bubblewrap: finding it, checking once per process that it can build a sandbox here, and the argv that runs a
// command under a SandboxPolicy: the whole file system read-only, the policy's folders writable, its hidden paths
// empty, a fresh /dev and /proc in an own PID namespace (no glm processes to read), no network, no capabilities.
// Imports node built-ins, on-path.ts, paths.ts and ./policy.ts only.
import { execFile } from 'node:child_process';
import { findOnPath } from '../on-path.ts';
import { isWithin } from '../paths.ts';
import { underTmp, type SandboxPolicy } from './policy.ts';


/** Namespaces and limits every sandboxed process gets. --die-with-parent: it dies when glm does. */
const ISOLATION = [
  '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net', '--unshare-cgroup-try',
  '--die-with-parent', '--new-session', '--cap-drop', 'ALL',
]; // prettier-ignore

/**
 * bwrap's arguments (before `--` and the command) for a policy, starting in `cwd`. With a private /tmp, a path in
 * the real /tmp exists inside only when bound back (bwrap binds from the real root, so this works after the
 * /tmp mount); read-only or hidden places there that nothing binds back are skipped: they are out of sight already.
 */
export function bwrapArgs(policy: SandboxPolicy, cwd: string): string[] {
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
  const back = [...(policy.readable ?? []), ...policy.writable];
  const seen = (p: string) => !policy.tmp || !underTmp(p) || back.some((b) => isWithin(b, p));
  const hiddenDirs = policy.hidden.filter((h) => h.dir && seen(h.path));
  // A shown file is bound inside the hidden folder that holds it; in the real /tmp otherwise, it is bound back.
  const shown = policy.shown ?? [];
  const inTmp = shown.filter((f) => !hiddenDirs.some((h) => isWithin(h.path, f)) && policy.tmp && underTmp(f));
  if (policy.tmp) args.push('--bind', policy.tmp, '/tmp');
  for (const p of [...(policy.readable ?? []), ...inTmp]) args.push('--ro-bind', p, p);
  for (const dir of policy.writable) args.push('--bind', dir, dir);
  for (const p of policy.readOnly.filter(seen)) args.push('--ro-bind', p, p);
  for (const h of policy.hidden.filter((h) => seen(h.path))) {
    if (!h.dir) {
      args.push('--ro-bind', '/dev/null', h.path);
      continue;
    }
    // The folders it keeps are bound back into the empty tmpfs before it turns read-only (not recursively).
    args.push('--tmpfs', h.path);
    for (const k of h.keep ?? []) args.push('--bind', k, k);
    for (const f of shown.filter((f) => isWithin(h.path, f))) args.push('--ro-bind', f, f);
    args.push('--remount-ro', h.path);
  }
  args.push(...ISOLATION, '--chdir', cwd);
  return args;
}

export type Probe = { ok: true; bwrap: string } | { ok: false; reason: string };

const INSTALL = 'install bubblewrap (Debian/Ubuntu: apt install bubblewrap; Fedora: dnf install bubblewrap; Arch: pacman -S bubblewrap)';

const probes = new Map<string, Promise<Probe>>();

/** Whether bwrap can start a sandbox here (once per PATH per process): it is installed and namespaces work. */
export function probeBwrap(env: NodeJS.ProcessEnv = process.env): Promise<Probe> {
  const key = env.PATH ?? '';
  let p = probes.get(key);
  if (!p) probes.set(key, (p = runProbe(env)));
  return p;
}

async function runProbe(env: NodeJS.ProcessEnv): Promise<Probe> {
  if (process.platform !== 'linux') return { ok: false, reason: `no sandbox for ${process.platform} yet (Linux only, with bubblewrap)` };
  const bwrap = findOnPath('bwrap', env);
  if (!bwrap) return { ok: false, reason: `bwrap is not installed: ${INSTALL}` };
  const empty: SandboxPolicy = { writable: [], readOnly: [], hidden: [], unenforced: [] };
  const argv = [...bwrapArgs(empty, '/'), '--', 'true'];
  return new Promise((resolve) => {
    execFile(bwrap, argv, { timeout: 10_000, killSignal: 'SIGKILL', env: { PATH: env.PATH ?? '/usr/bin:/bin' } }, (err, _out, stderr) => {
      if (!err) return resolve({ ok: true, bwrap });
      const said = String(stderr).trim().split('\n')[0] || err.message;
      resolve({ ok: false, reason: `bwrap cannot create a sandbox here (${said}): ${namespaceAdvice(said)}` });
    });
  });
}

function namespaceAdvice(said: string): string {
  if (/setting up uid map|No permissions to creat|Operation not permitted|user namespace/i.test(said)) {
    return 'unprivileged user namespaces are disabled (sysctl kernel.unprivileged_userns_clone=1, or on Ubuntu an AppArmor profile for bwrap / kernel.apparmor_restrict_unprivileged_userns=0), or this is a container that forbids them';
  }
  return 'see `bwrap --ro-bind / / true` for details';
}
