// Turns one Bash word (a syntax node from tree-sitter-bash) into the string the shell would pass, or says why
// it cannot be known before it runs. Strict on purpose: anything unexpected is "computed", never guessed.
// Imports only the parser's node type.
import type { SyntaxNode } from './parser.ts';

export interface DecodedWord {
  /** The word after quote removal; undefined when the shell computes it at run time. */
  value?: string;
  /** Why the value is unknown or not literal (an expansion, a glob, …); empty for a plain literal word. */
  issues: string[];
}

/** Node types whose text is a word of a command (its name, an argument, a redirection target). */
export const WORD_TYPES = new Set(['word', 'raw_string', 'string', 'ansi_c_string', 'translated_string', 'number', 'concatenation']);

const EXPANSIONS: Record<string, string> = {
  simple_expansion: 'a variable ($NAME) whose value is only known when it runs',
  expansion: 'a parameter expansion (${…}) whose value is only known when it runs',
  command_substitution: 'a command substitution, which runs a command',
  process_substitution: 'a process substitution, which runs a command',
  arithmetic_expansion: 'an arithmetic expansion, which can run commands through array subscripts',
  brace_expression: 'a brace expansion, which turns one word into several',
};

export function decodeWord(node: SyntaxNode): DecodedWord {
  const issues: string[] = [];
  const value = decode(node, issues, node.startIndex);
  // `-e*` can expand to a file named -exec, `--pr*` to --pre=sh: a glob in an option-like word is not vouched for.
  if (value?.startsWith('-') && issues.some((i) => i === 'glob')) issues.push('a glob in an option, which can expand to a file named like another option');
  // `~user`, `~+` and `~-` expand to other folders; only `~` and `~/…` are the home folder.
  if (value !== undefined && /^~[^/]/.test(value) && issues.includes('glob: a tilde')) issues.push('a tilde that names another user or folder (~user, ~+, ~-)');
  return { value: issues.some((i) => !i.startsWith('glob')) ? undefined : value, issues };
}

/** `wordStart`: where the enclosing word begins (a tilde or glob only matters there), passed down rather than
 * read from node.parent, which tree-sitter finds by walking down from the root (quadratic over many words). */
function decode(node: SyntaxNode, issues: string[], wordStart: number): string | undefined {
  switch (node.type) {
    case 'word':
    case 'number':
      return unquoted(node.text, issues, node.startIndex === wordStart);
    case 'raw_string':
      return node.text.length >= 2 && node.text.endsWith("'") ? node.text.slice(1, -1) : fail(issues, 'an unterminated quote');
    case 'ansi_c_string':
      return ansiC(node.text, issues);
    case 'string':
      return doubleQuoted(node, 1, issues);
    case 'translated_string':
      return doubleQuoted(node, 2, issues);
    case 'concatenation':
      return concatenation(node, issues);
    case 'command_substitution':
      return quotedHeredocCat(node) ?? fail(issues, EXPANSIONS.command_substitution);
    default:
      return fail(issues, EXPANSIONS[node.type] ?? `shell syntax (${node.type}) whose value glm cannot work out`);
  }
}

/**
 * `$(cat <<'EOF' … EOF)`, the usual way to pass a commit message, is data: with a quoted delimiter the body is
 * literal, and the substitution drops its trailing newlines.
 */
function quotedHeredocCat(node: SyntaxNode): string | undefined {
  const inner = node.namedChildren;
  const statement = inner.length === 1 ? inner[0] : undefined;
  if (statement?.type !== 'redirected_statement' || statement.namedChildren.length !== 2) return undefined;
  const [command, heredoc] = statement.namedChildren;
  if (command?.type !== 'command' || command.text !== 'cat' || heredoc?.type !== 'heredoc_redirect') return undefined;
  const parts = heredoc.children.map((c) => c?.type);
  if (parts.join(' ') !== '<< heredoc_start heredoc_body heredoc_end') return undefined;
  const m = /^'([\w.-]+)'$/.exec(heredoc.children[1]!.text);
  if (!m || heredoc.children[3]!.text !== m[1]) return undefined;
  if (!/^\$\(\s*cat\s+<<'[\w.-]+'\n[\s\S]*\n[\w.-]+\n?\s*\)$/.test(node.text)) return undefined;
  return heredoc.children[2]!.text.replace(/\n+$/, '');
}

function fail(issues: string[], why: string): undefined {
  issues.push(why);
  return undefined;
}

function concatenation(node: SyntaxNode, issues: string[]): string | undefined {
  let out = '';
  let at = node.startIndex;
  for (const child of node.children) {
    if (child.startIndex !== at) return fail(issues, 'a word glm cannot read exactly');
    at = child.endIndex;
    const part = decode(child, issues, node.startIndex);
    if (part === undefined) return undefined;
    out += part;
  }
  return at === node.endIndex ? out : fail(issues, 'a word glm cannot read exactly');
}

// Characters an unquoted word may hold as themselves. Anything else is shell syntax the parser should not
// have left inside a word, or an expansion: both are refused rather than guessed.
const LITERAL = /[\p{L}\p{N}\p{M}\-_./:=@%+,^#!]/u;

/** An unquoted word: backslash escapes removed; globs and a leading tilde noted (they expand to other text). */
function unquoted(text: string, issues: string[], atWordStart: boolean): string | undefined {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined || next === '\n') return fail(issues, 'a line continuation inside a word');
      out += next;
      i++;
      continue;
    }
    if (c === '*' || c === '?' || c === '[' || c === ']') {
      // A glob that starts the word can match a file named like an option (-rf, --output=…).
      if (atWordStart && i === 0) return fail(issues, 'a glob at the start of a word, which can expand to a file name that reads as an option');
      issues.push('glob');
      out += c;
      continue;
    }
    if (c === '~' && i === 0 && atWordStart) {
      issues.push('glob: a tilde');
      out += c;
      continue;
    }
    if (c === '~' && i > 0) {
      out += c;
      continue;
    }
    if (!LITERAL.test(c)) return fail(issues, `the character ${JSON.stringify(c)} unquoted`);
    out += c;
  }
  return out;
}

/** "…" (offset 1) or $"…" (offset 2): literal only when every part is string content. */
function doubleQuoted(node: SyntaxNode, open: number, issues: string[]): string | undefined {
  const text = node.text;
  if (text.length < open + 1 || !text.endsWith('"')) return fail(issues, 'an unterminated quote');
  let out = '';
  let at = node.startIndex + open;
  for (const child of node.children) {
    if (child.type === '"' || child.type === '$"') continue;
    if (child.startIndex !== at) {
      // Text between parts that the parser did not label: read it ourselves, strictly.
      const gap = sliceOf(node, at, child.startIndex);
      const part = stringContent(gap, issues);
      if (part === undefined) return undefined;
      out += part;
    }
    const data = child.type === 'command_substitution' ? quotedHeredocCat(child) : undefined;
    if (child.type !== 'string_content' && data === undefined) {
      return fail(issues, EXPANSIONS[child.type] ?? `shell syntax (${child.type}) inside double quotes`);
    }
    const part = data ?? stringContent(child.text, issues);
    if (part === undefined) return undefined;
    out += part;
    at = child.endIndex;
  }
  const tail = sliceOf(node, at, node.endIndex - 1);
  const part = stringContent(tail, issues);
  return part === undefined ? undefined : out + part;
}

/** Node indices count UTF-16 units, as JavaScript strings do. */
const sliceOf = (node: SyntaxNode, from: number, to: number) => node.text.slice(from - node.startIndex, to - node.startIndex);

/** Text inside double quotes: `\` escapes only $ ` " \ and newline; `$` or a backquote means an expansion. */
function stringContent(text: string, issues: string[]): string | undefined {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && '$`"\\\n'.includes(text[i + 1] ?? '')) {
      if (text[i + 1] === '\n') return fail(issues, 'a line continuation inside a string');
      out += text[++i];
      continue;
    }
    if (c === '$' || c === '`') return fail(issues, c === '$' ? EXPANSIONS.simple_expansion : EXPANSIONS.command_substitution);
    out += c;
  }
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?',
}; // prettier-ignore

const NUMERIC_ESCAPE = /(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|c(.))/y;

/** $'…' as bash decodes it. A quote the parser ended in the wrong place makes the word unknown. */
function ansiC(text: string, issues: string[]): string | undefined {
  if (!text.startsWith("$'") || text.length < 3 || !text.endsWith("'")) return fail(issues, 'an unterminated quote');
  const body = text.slice(2, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "'") return fail(issues, "a $'…' string glm cannot read exactly");
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return fail(issues, "a $'…' string glm cannot read exactly");
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      continue;
    }
    NUMERIC_ESCAPE.lastIndex = i; // sticky: matched in place, not on a copy of the rest (linear over many escapes)
    const m = NUMERIC_ESCAPE.exec(body);
    if (!m) {
      out += '\\' + e;
      continue;
    }
    i += m[0].length - 1;
    // bash keeps only the low 8 bits of an octal escape: $'\400' is NUL, which ends the word.
    const code = m[1] ? parseInt(m[1], 8) & 0xff : m[2] ? parseInt(m[2], 16) : m[3] ? parseInt(m[3], 16) : m[4] ? parseInt(m[4], 16) : m[5].charCodeAt(0) & 31;
    if (code === 0 || code > 0x10ffff) return fail(issues, "a $'…' string glm cannot read exactly");
    out += String.fromCodePoint(code);
  }
  return out;
}
