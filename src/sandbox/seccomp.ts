// The seccomp filter bwrap loads (--seccomp FD) so a sandboxed command cannot open unix sockets: without it, any
// socket on the file system that the sandbox does not hide (a container daemon's, a desktop bus) is a way out.
// A fixed classic-BPF program, built here byte by byte: on the native architecture socket(AF_UNIX, …) and
// io_uring_setup (whose IORING_OP_SOCKET would make a socket without the socket call) fail with EPERM, any other
// architecture's calls (a 32-bit binary) kill the process, everything else is allowed. socketpair stays allowed:
// its sockets connect only to each other. x86_64 and aarch64 only. Imports node built-ins only.

// <linux/filter.h>, <linux/seccomp.h>, <linux/audit.h>
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
const RET_KILL_PROCESS = 0x80000000;
const EPERM = 1;
const AF_UNIX = 1;
/** Offsets in struct seccomp_data: nr, arch, then args[0] (its low half: both architectures are little-endian). */
const NR = 0;
const ARCH = 4;
const ARG0 = 16;

interface Arch {
  audit: number;
  socket: number;
  ioUringSetup: number;
  /** x86_64's x32 ABI sets this bit in the call number: such calls are refused whole. */
  x32Bit?: number;
}

export const ARCHES: Record<string, Arch> = {
  x64: { audit: 0xc000003e, socket: 41, ioUringSetup: 425, x32Bit: 0x40000000 },
  arm64: { audit: 0xc00000b7, socket: 198, ioUringSetup: 425 },
};

/** Where a conditional jump goes: the next instruction, or one of the three returns at the end. */
type Target = 'next' | 'allow' | 'deny' | 'kill';
type Step = { code: number; k: number; jt?: Target; jf?: Target };

/** The program for one architecture, as the bytes of its struct sock_filter array. */
export function unixSocketFilter(arch: Arch): Buffer {
  const steps: Step[] = [
    { code: LD_W_ABS, k: ARCH },
    { code: JEQ_K, k: arch.audit, jt: 'next', jf: 'kill' },
    { code: LD_W_ABS, k: NR },
    ...(arch.x32Bit ? [{ code: JGE_K, k: arch.x32Bit, jt: 'deny', jf: 'next' } as Step] : []),
    { code: JEQ_K, k: arch.ioUringSetup, jt: 'deny', jf: 'next' },
    { code: JEQ_K, k: arch.socket, jt: 'next', jf: 'allow' },
    { code: LD_W_ABS, k: ARG0 },
    { code: JEQ_K, k: AF_UNIX, jt: 'deny', jf: 'allow' },
  ];
  const at = { allow: steps.length, deny: steps.length + 1, kill: steps.length + 2 };
  steps.push({ code: RET_K, k: RET_ALLOW }, { code: RET_K, k: RET_ERRNO | EPERM }, { code: RET_K, k: RET_KILL_PROCESS });
  const skip = (i: number, t: Target | undefined) => (!t || t === 'next' ? 0 : at[t] - i - 1);
  const out = Buffer.alloc(steps.length * 8);
  steps.forEach((s, i) => {
    out.writeUInt16LE(s.code, i * 8);
    out.writeUInt8(skip(i, s.jt), i * 8 + 2);
    out.writeUInt8(skip(i, s.jf), i * 8 + 3);
    out.writeUInt32LE(s.k >>> 0, i * 8 + 4);
  });
  return out;
}

/** This machine's filter, or undefined where glm has none (then unix sockets stay reachable: glm doctor says so). */
export function nativeFilter(): Buffer | undefined {
  const arch = ARCHES[process.arch];
  return arch && unixSocketFilter(arch);
}
