// Splits ANSI-styled text into lines that each carry their own styles: a style open at the end of a line is
// closed there and opened again on the next, as Ink's Output does by tokenizing every character, but with
// one regular-expression scan of the escape codes. Pure; imports nothing.

const SGR = /\x1b\[([\d;]*)m/g;

/** Which attribute an SGR parameter sets, and the parameter that turns it off. */
function attribute(p: number): { key: string; off: string } | undefined {
  if (p === 1) return { key: 'bold', off: '22' };
  if (p === 2) return { key: 'dim', off: '22' };
  if (p === 3) return { key: 'italic', off: '23' };
  if (p === 4) return { key: 'underline', off: '24' };
  if (p === 5) return { key: 'blink', off: '25' };
  if (p === 7) return { key: 'inverse', off: '27' };
  if (p === 8) return { key: 'hidden', off: '28' };
  if (p === 9) return { key: 'strike', off: '29' };
  if (p === 53) return { key: 'overline', off: '55' };
  if ((p >= 30 && p <= 38) || (p >= 90 && p <= 97)) return { key: 'fg', off: '39' };
  if ((p >= 40 && p <= 48) || (p >= 100 && p <= 107)) return { key: 'bg', off: '49' };
  return undefined;
}

/** What each "off" parameter turns off. */
const OFF: Record<string, string[]> = {
  '22': ['bold', 'dim'],
  '23': ['italic'],
  '24': ['underline'],
  '25': ['blink'],
  '27': ['inverse'],
  '28': ['hidden'],
  '29': ['strike'],
  '55': ['overline'],
  '39': ['fg'],
  '49': ['bg'],
};

/** Open attributes: key → the escape sequence that set it, and its "off" parameter. */
type State = Map<string, { open: string; off: string }>;

function apply(state: State, params: string): void {
  const parts = params === '' ? ['0'] : params.split(';');
  for (let i = 0; i < parts.length; i++) {
    const p = Number(parts[i]);
    if (p === 0) {
      state.clear();
      continue;
    }
    const off = OFF[parts[i]!];
    if (off) {
      for (const key of off) state.delete(key);
      continue;
    }
    const attr = attribute(p);
    if (!attr) continue;
    let open = String(p);
    if ((p === 38 || p === 48) && (parts[i + 1] === '5' || parts[i + 1] === '2')) {
      const n = parts[i + 1] === '5' ? 2 : 4;
      open = parts.slice(i, i + 1 + n).join(';');
      i += n;
    }
    state.set(attr.key, { open: `\x1b[${open}m`, off: attr.off });
  }
}

function opening(state: State): string {
  let s = '';
  for (const { open } of state.values()) s += open;
  return s;
}

function closing(state: State): string {
  const offs = new Set<string>();
  for (const { off } of state.values()) offs.add(off);
  return offs.size ? `\x1b[${[...offs].join(';')}m` : '';
}

/** `text` split at newlines, each line self-contained: it opens what is open at its start and closes what it leaves open. */
export function styledLines(text: string): string[] {
  const lines = text.split('\n');
  if (!text.includes('\x1b')) return lines;
  const state: State = new Map();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const prefix = state.size ? opening(state) : '';
    if (line.includes('\x1b')) for (const m of line.matchAll(SGR)) apply(state, m[1]!);
    const suffix = state.size ? closing(state) : '';
    if (prefix || suffix) lines[i] = prefix + line + suffix;
  }
  return lines;
}
