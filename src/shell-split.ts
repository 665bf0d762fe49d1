// Splits a shell command into the simple commands it would run, so permission rules can judge each one.
// Quote-aware (single and double quotes, escapes); descends into $(…), `…`, ( … ), <(…) and heredoc bodies.
// Imports nothing. When unsure it reports `complete: false` so callers fall back to asking.

export interface SplitResult {
  /** Each simple command, whitespace collapsed, harmless redirections (`2>&1`, `>/dev/null`) removed. */
  parts: string[];
  /** False when the text uses syntax this splitter does not follow (case, functions, unterminated quotes). */
  complete: boolean;
}

interface Heredoc {
  delimiter: string;
  expand: boolean;
  stripTabs: boolean;
}

const LEADING_WORDS = new Set(['!', '{', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', 'time']);
const CLOSING_WORDS = new Set(['}', 'done', 'fi']);
const OPAQUE_WORDS = new Set(['case', 'esac', 'function', 'coproc']);
const HARMLESS_REDIRECT = /^(?:>&\d+|>&-|<&\d+|<&-|>>?[ \t]*\/dev\/null(?=[\s;&|)]|$))/;

export function splitShellCommand(command: string): SplitResult {
  const splitter = new Splitter(command, []);
  splitter.sequence();
  return { parts: splitter.parts, complete: splitter.complete };
}

class Splitter {
  pos = 0;
  complete = true;
  private pending: Heredoc[] = [];
  private readonly src: string;
  readonly parts: string[];

  constructor(src: string, parts: string[]) {
    this.src = src;
    this.parts = parts;
  }

  /** Reads commands until `close` (consumed) or the end of the text. */
  sequence(close?: ')' | '`'): void {
    let cur = '';
    const flush = () => {
      this.push(cur);
      cur = '';
    };
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === close) {
        this.pos++;
        flush();
        return;
      }
      if (c === ')') {
        // A closer with nothing open: bash would reject the line. Keep going, but do not vouch for it.
        this.complete = false;
        this.pos++;
        flush();
        continue;
      }
      const step = this.separator(cur);
      if (step !== undefined) {
        flush();
        this.pos += step;
        if (c === '\n' && step === 1) this.readHeredocBodies();
        continue;
      }
      cur = this.word(cur);
    }
    if (close) this.complete = false;
    flush();
  }

  /** Length of the command separator at pos (`;`, newline, `&&`, `||`, `|`, `|&`, `&`), or undefined. */
  private separator(cur: string): number | undefined {
    const c = this.src[this.pos];
    const next = this.src[this.pos + 1];
    if (c === ';' || c === '\n') return c === ';' && next === ';' ? 2 : 1;
    if (c === '|') {
      if (cur.endsWith('>')) return undefined; // `>|` clobber redirection
      return next === '|' || next === '&' ? 2 : 1;
    }
    if (c === '&') {
      if (next === '&') return 2;
      if (next === '>' || cur.endsWith('>') || cur.endsWith('<')) return undefined; // `&>`, `2>&1`
      return 1;
    }
    return undefined;
  }

  /** Consumes one unit of ordinary text (a quote, an expansion, a character) and returns the grown part. */
  private word(cur: string): string {
    const src = this.src;
    const c = src[this.pos];
    const start = this.pos;
    const atWordStart = cur === '' || cur.endsWith(' ');
    if (c === ' ' || c === '\t') {
      this.pos++;
      return atWordStart ? cur : cur + ' ';
    }
    if (c === '#' && atWordStart) {
      while (this.pos < src.length && src[this.pos] !== '\n') this.pos++;
      return cur;
    }
    if (c === "'") return cur + this.singleQuoted();
    if (c === '"') return cur + this.doubleQuoted();
    if (c === '\\') {
      if (src[this.pos + 1] === '\n') {
        this.pos += 2;
        return cur;
      }
      this.pos += 2;
      return cur + src.slice(start, this.pos);
    }
    if (c === '$' && src[this.pos + 1] === '(') {
      this.substitution();
      return cur + src.slice(start, this.pos);
    }
    if (c === '`') {
      this.pos++;
      this.sequence('`');
      return cur + src.slice(start, this.pos);
    }
    if (c === '(' && src[this.pos + 1] === '(' && atWordStart && cur.trim() === '') {
      // `(( … ))` arithmetic: `<<` inside is a shift, not a heredoc.
      this.arithmetic();
      return cur + src.slice(start, this.pos);
    }
    if (c === '(') {
      // A subshell at command start runs its contents; elsewhere (`<(…)`, `a=(…)`) the contents still run or
      // are at least checked as commands.
      this.pos++;
      this.sequence(')');
      return atWordStart && cur.trim() === '' ? cur : cur + src.slice(start, this.pos);
    }
    if (src.startsWith('<<<', this.pos)) {
      this.pos += 3;
      return cur + '<<<';
    }
    if (src.startsWith('<<', this.pos)) {
      this.heredocStart();
      return cur + src.slice(start, this.pos);
    }
    if (c === '>' || c === '<' || (c === '&' && src[this.pos + 1] === '>')) return this.redirection(cur);
    this.pos++;
    return cur + c;
  }

  /** Drops redirections that cannot write a file (`2>&1`, `>/dev/null`), keeps the rest as text. */
  private redirection(cur: string): string {
    const rest = this.src.slice(this.pos);
    const fd = /(?:^| )(\d*)$/.exec(cur);
    const and = rest.startsWith('&>') ? 1 : 0;
    const m = HARMLESS_REDIRECT.exec(rest.slice(and));
    if (!m || (and && !m[0].includes('/dev/null'))) {
      this.pos++;
      return cur + this.src[this.pos - 1];
    }
    this.pos += and + m[0].length;
    return fd && fd[1] ? cur.slice(0, cur.length - fd[1].length) : cur;
  }

  private singleQuoted(): string {
    const start = this.pos;
    const end = this.src.indexOf("'", start + 1);
    if (end < 0) {
      this.complete = false;
      this.pos = this.src.length;
    } else {
      this.pos = end + 1;
    }
    return this.src.slice(start, this.pos);
  }

  private doubleQuoted(): string {
    const src = this.src;
    const start = this.pos++;
    while (this.pos < src.length) {
      const c = src[this.pos];
      if (c === '"') {
        this.pos++;
        return src.slice(start, this.pos);
      }
      if (c === '\\') this.pos += 2;
      else if (c === '$' && src[this.pos + 1] === '(') this.substitution();
      else if (c === '`') {
        this.pos++;
        this.sequence('`');
      } else this.pos++;
    }
    this.complete = false;
    return src.slice(start);
  }

  /** At `$(`: arithmetic `$((…))` is skipped, a command substitution is split into parts. */
  private substitution(): void {
    this.pos++;
    if (this.src.startsWith('((', this.pos)) return this.arithmetic();
    this.pos++;
    this.sequence(')');
  }

  /** At `((`: skips to the matching `))`. */
  private arithmetic(): void {
    let depth = 0;
    for (; this.pos < this.src.length; this.pos++) {
      const c = this.src[this.pos];
      if (c === '(') depth++;
      if (c === ')' && --depth === 0) {
        this.pos++;
        return;
      }
    }
    this.complete = false;
  }

  /** At `<<` or `<<-`: reads the delimiter word; the body is read at the next newline. */
  private heredocStart(): void {
    const src = this.src;
    this.pos += 2;
    const stripTabs = src[this.pos] === '-';
    if (stripTabs) this.pos++;
    while (src[this.pos] === ' ' || src[this.pos] === '\t') this.pos++;
    const m = /^[^\s;&|<>()]+/.exec(src.slice(this.pos));
    if (!m) {
      this.complete = false;
      return;
    }
    this.pos += m[0].length;
    const delimiter = m[0].replace(/['"\\]/g, '');
    this.pending.push({ delimiter, expand: delimiter === m[0], stripTabs });
  }

  /** Just after a newline: skips pending heredoc bodies, splitting `$(…)` inside unquoted ones. */
  private readHeredocBodies(): void {
    const src = this.src;
    for (const doc of this.pending.splice(0)) {
      const bodyStart = this.pos;
      let bodyEnd = src.length;
      while (this.pos < src.length) {
        const nl = src.indexOf('\n', this.pos);
        const lineEnd = nl < 0 ? src.length : nl;
        let line = src.slice(this.pos, lineEnd);
        if (doc.stripTabs) line = line.replace(/^\t+/, '');
        const lineStart = this.pos;
        this.pos = nl < 0 ? src.length : nl + 1;
        if (line === doc.delimiter) {
          bodyEnd = lineStart;
          break;
        }
      }
      if (doc.expand) this.expansionsIn(src.slice(bodyStart, bodyEnd));
    }
  }

  private expansionsIn(body: string): void {
    const sub = new Splitter(body, this.parts);
    while (sub.pos < body.length) {
      const c = body[sub.pos];
      if (c === '\\') sub.pos += 2;
      else if (c === '$' && body[sub.pos + 1] === '(') sub.substitution();
      else if (c === '`') {
        sub.pos++;
        sub.sequence('`');
      } else sub.pos++;
    }
    if (!sub.complete) this.complete = false;
  }

  private push(raw: string): void {
    const words = raw.trim().split(' ');
    while (words.length > 1 && LEADING_WORDS.has(words[0])) words.shift();
    if (OPAQUE_WORDS.has(words[0])) this.complete = false;
    const part = words.join(' ');
    if (part === '' || LEADING_WORDS.has(part) || CLOSING_WORDS.has(part)) return;
    // `cat <<'EOF'` only prints its heredoc (the usual way to pass a commit message); it is not a command to judge.
    if (/^cat <<-?\S+$/.test(part)) return;
    this.parts.push(part);
  }
}
