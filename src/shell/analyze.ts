// What a Bash command would run and write, read off a real parse (tree-sitter-bash): every simple command with
// its decoded words (also those nested in substitutions, subshells, `bash -c '…'`), every redirection, and the
// reasons rules cannot vouch for it. Fails closed: syntax it does not know makes the command unproven.
// Imports the parser, word decoding and wrapper normalisation; never permissions, tools or UI.
import { MAX_JUDGED_COMMAND_CHARS } from '../limits.ts';
import { innerCommands } from './normalize.ts';
import { withBashTree, type SyntaxNode } from './parser.ts';
import { WORD_TYPES, decodeWord } from './words.ts';

export interface ShellCommand {
  /** Decoded words, the command name first; undefined where the shell computes a word when it runs. */
  words: (string | undefined)[];
  text: string;
  /** Inside a substitution, subshell, function, loop or `bash -c` string: found for deny rules, never allowed by one. */
  nested: boolean;
}

export interface ShellRedirect {
  /** The target path as the shell would open it (a leading `~/` still to expand); undefined when computed. */
  target?: string;
  access: 'write' | 'read';
  text: string;
}

export interface ShellAnalysis {
  command: string;
  commands: ShellCommand[];
  redirects: ShellRedirect[];
  /** Why rules cannot vouch for the command as a whole; empty when every part is plain words. */
  unproven: string[];
}

/** Builtins that run their arguments as code or change what later commands mean. */
const CODE_BUILTINS = new Set(['eval', 'exec', 'source', '.', 'command', 'builtin', 'trap', 'alias', 'enable', 'coproc', 'function', 'fc', 'hash']);
/** Builtins that set shell variables or options, which change what later commands run (PATH, aliases …). */
const SETTING_BUILTINS = new Set(['read', 'mapfile', 'readarray', 'unset', 'let', 'getopts', 'declare', 'typeset', 'local', 'export', 'readonly', 'shopt', 'set']);
/** Builtins that set a variable through an option (`printf -v`, `wait -p`) or evaluate a subscript (`test -v 'a[…]'`). */
const OPTION_SETTERS: Record<string, RegExp> = { printf: /^-v/, wait: /^-p/, test: /\[/, '[': /\[/ };
const STRUCTURE = new Set(['program', 'list', 'pipeline', 'negated_command']);
const HARMLESS_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr']);
const WRITE_OPS = new Set(['>', '>>', '>|', '&>', '&>>', '>&', '<>']);
const MAX_NESTING = 4;
/**
 * Syntax nested deeper than this (subshells, substitutions, blocks, not counting `&&` / `|` chains, which are
 * walked in a loop) is not judged: the walk recurses per level, and a command like `((((…))))` would otherwise
 * exhaust the stack. Real commands nest a few levels.
 */
export const MAX_SYNTAX_DEPTH = 200;

export async function analyzeCommand(command: string, depth = 0): Promise<ShellAnalysis> {
  const result: ShellAnalysis = { command, commands: [], redirects: [], unproven: [] };
  if (command.length > MAX_JUDGED_COMMAND_CHARS) {
    // Not parsed at all: one unknown command, so deny rules match it and no rule allows it.
    result.commands.push({ words: [undefined], text: command, nested: false });
    result.unproven.push(`a command longer than ${MAX_JUDGED_COMMAND_CHARS} characters, which glm does not parse`);
    return result;
  }
  const whole = wholeTextIssue(command);
  if (whole) result.unproven.push(whole);
  const read = await withBashTree(command, (root) => {
    if (nestsDeeper(root, MAX_SYNTAX_DEPTH)) {
      // Not walked: one unknown command, so deny rules match it and no rule allows it.
      result.commands.push({ words: [undefined], text: command, nested: false });
      result.unproven.push(`syntax nested more than ${MAX_SYNTAX_DEPTH} levels deep (subshells, substitutions, blocks), which glm does not judge`);
      return true;
    }
    new Walker(result).visit(root, false);
    if (root.hasError) result.unproven.push('syntax the shell parser could not read');
    return true;
  });
  if (!read) result.unproven.push('a command the shell parser gave up on');
  // Commands given to another shell as a string (`bash -c '…'`, `eval …`, `find -exec`, `xargs`) are found too,
  // so that deny rules see through them; they are never allowed by a rule.
  for (const cmd of [...result.commands]) {
    for (const inner of innerCommands(cmd.words)) {
      if (inner.kind === 'words') result.commands.push({ words: inner.words, text: cmd.text, nested: true });
      else if (inner.script === undefined) result.commands.push({ words: [undefined], text: cmd.text, nested: true });
      else if (inner.script === '') continue;
      else if (depth < MAX_NESTING) {
        const sub = await analyzeCommand(inner.script, depth + 1);
        result.commands.push(...sub.commands.map((c) => ({ ...c, nested: true })));
        result.redirects.push(...sub.redirects);
      } else result.unproven.push('shell strings nested too deeply to check');
    }
  }
  result.unproven = [...new Set(result.unproven)];
  return result;
}

/** Whether the tree nests deeper than `limit`, lists and pipelines not counted; read with a cursor, without recursion. */
function nestsDeeper(root: SyntaxNode, limit: number): boolean {
  const cursor = root.walk();
  try {
    const above: number[] = []; // the depth of each ancestor on the way down
    let parentDepth = 0;
    for (;;) {
      const depth = parentDepth + (STRUCTURE.has(cursor.nodeType) ? 0 : 1);
      if (depth > limit) return true;
      if (cursor.gotoFirstChild()) {
        above.push(parentDepth);
        parentDepth = depth;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return false;
        parentDepth = above.pop() ?? 0;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** Text-level reasons the parse cannot be trusted: line continuations and control characters parse differently. */
function wholeTextIssue(command: string): string | undefined {
  if (command.trim() === '') return 'an empty command';
  if (/\\\r?\n/.test(command)) return 'a line continuation (backslash-newline), which bash joins before it parses';
  if (/[\x00-\x08\x0b-\x1f\x7f]/.test(command)) return 'a control character';
  return undefined;
}

class Walker {
  private readonly out: ShellAnalysis;

  constructor(out: ShellAnalysis) {
    this.out = out;
  }

  unproven(why: string) {
    this.out.unproven.push(why);
  }

  visit(node: SyntaxNode, nested: boolean): void {
    if (node.isMissing) this.unproven('an incomplete command');
    if (STRUCTURE.has(node.type)) return this.structure(node, nested);
    if (node.type === 'redirected_statement') return this.redirected(node, nested);
    if (node.type === 'command') return void this.command(node, nested);
    if (node.type === 'file_redirect' || node.type === 'herestring_redirect') return void this.redirect(node);
    if (node.type === 'heredoc_redirect') return this.heredoc(node);
    if (node.type === 'variable_assignment') {
      if (!nested) this.unproven(describe(node));
      return this.assignment(node);
    }
    if (!node.isNamed || node.type === 'comment') {
      if (node.type === ';;') this.unproven('";;" outside a case statement');
      return;
    }
    // Inside something already unproven only the commands matter (deny rules look for them), not more reasons.
    if (!nested) this.unproven(describe(node));
    this.children(node, true);
  }

  /**
   * A program, list or pipeline, walked with a stack in source order: `a && b && …` nests one list per operator,
   * so a chain of thousands of commands would otherwise recurse thousands of levels deep.
   */
  private structure(node: SyntaxNode, nested: boolean) {
    const stack = [node];
    for (let n = stack.pop(); n; n = stack.pop()) {
      if (!STRUCTURE.has(n.type)) {
        this.visit(n, nested);
        continue;
      }
      if (n.isMissing) this.unproven('an incomplete command');
      const children = n.children;
      for (let i = children.length - 1; i >= 0; i--) if (children[i]) stack.push(children[i]!);
    }
  }

  /** BASH_ALIASES[x]=… and BASH_CMDS[x]=… rename commands: what runs after them is unknown to deny rules. */
  private assignment(node: SyntaxNode) {
    if (/^BASH_(ALIASES|CMDS)\b/.test(node.text)) this.out.commands.push({ words: [undefined], text: node.text, nested: true });
    this.children(node, true);
  }

  private children(node: SyntaxNode, nested: boolean) {
    for (const child of node.children) if (child) this.visit(child, nested);
  }

  /** A command with redirections after it: words the parser hung on a redirection go back to the command. */
  private redirected(node: SyntaxNode, nested: boolean) {
    let cmd: ShellCommand | undefined;
    let bodyEnd = -1;
    for (const child of node.children) {
      if (!child) continue;
      if (child.type === 'command') {
        cmd = this.command(child, nested);
        bodyEnd = child.endIndex;
      } else if (child.type === 'file_redirect' || child.type === 'herestring_redirect') {
        if (cmd && child.startIndex === bodyEnd) dropGluedDescriptor(cmd, child, this);
        const extra = this.redirect(child);
        if (cmd) cmd.words.push(...extra);
        else if (extra.length) this.unproven('words after a redirection, which glm does not vouch for');
      } else this.visit(child, nested);
    }
  }

  private command(node: SyntaxNode, nested: boolean): ShellCommand {
    const words: (string | undefined)[] = [];
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'file_redirect' || child.type === 'herestring_redirect') {
        words.push(...this.redirect(child));
      } else if (child.type === 'variable_assignment') {
        this.unproven('a variable set for the command (NAME=value), which can change what it runs');
        this.assignment(child);
      } else {
        // The name or an argument; an expansion in it decodes to undefined (and its commands are collected).
        const wordNode = child.type === 'command_name' ? child.firstNamedChild : child;
        words.push(wordNode ? this.word(wordNode) : undefined);
      }
    }
    if (words[0] === undefined) this.unproven('a command name that is only known when it runs');
    const name = words[0];
    if (name !== undefined && CODE_BUILTINS.has(name)) this.unproven(`${name}, which runs its arguments as shell code`);
    if (name !== undefined && SETTING_BUILTINS.has(name)) this.unproven(`${name}, which sets shell variables or options that change what later commands run`);
    const setter = name === undefined ? undefined : OPTION_SETTERS[name];
    if (setter && words.slice(1).some((w) => w === undefined || setter.test(w))) {
      this.unproven(`${name} setting a variable or evaluating a subscript (it can run commands)`);
    }
    const cmd = { words, text: node.text, nested };
    this.out.commands.push(cmd);
    return cmd;
  }

  /** A word's decoded value; when it has expansions, the commands inside them are collected as nested. */
  private word(node: SyntaxNode): string | undefined {
    const { value, issues } = decodeWord(node);
    if (value === undefined) {
      this.unproven(issues.find((i) => !i.startsWith('glob')) ?? 'a word glm cannot read exactly');
      this.children(node, true);
    }
    return value;
  }

  /**
   * One redirection. tree-sitter-bash hangs the words that follow a redirection (`git </dev/null push`) on the
   * redirection node; they are the command's arguments, so they are returned for the caller to add to its words.
   */
  private redirect(node: SyntaxNode): (string | undefined)[] {
    const op = node.children.find((c) => c && !c.isNamed)?.type ?? '';
    // Every named child but the descriptor is a word: a literal, or an expansion that decodes to unknown.
    const destinations = node.namedChildren.filter((c) => c !== null && c.type !== 'file_descriptor') as SyntaxNode[];
    const [targetNode, ...rest] = destinations;
    if (!targetNode) {
      this.unproven('a redirection without a target');
      return [];
    }
    const extra = rest.map((w) => this.word(w));
    if (rest.length) this.unproven('words after a redirection, which glm does not vouch for');
    if (node.type === 'herestring_redirect') {
      this.word(targetNode);
      return extra;
    }
    const decoded = decodeWord(targetNode);
    // A target is known when it is literal, or `~/…` (the tools' resolver expands it the same way bash does).
    const literal = decoded.value !== undefined && decoded.issues.every((i) => i === 'glob: a tilde') && !/^~[^/]/.test(decoded.value);
    const target = literal ? decoded.value : undefined;
    const duplicate = (op === '>&' || op === '<&') && (targetNode.type === 'number' || target === '-');
    if (duplicate) return extra;
    if (target === undefined) {
      // A glob in a target expands first; an expansion is computed: either way the file is not known.
      this.unproven('a redirection whose target is only known when it runs');
      this.children(targetNode, true);
      this.out.redirects.push({ access: WRITE_OPS.has(op) ? 'write' : 'read', text: node.text });
      return extra;
    }
    if (/^\/dev\/(tcp|udp)\//.test(target)) this.unproven('a network connection through /dev/tcp or /dev/udp');
    if (HARMLESS_TARGETS.has(target) || /^\/dev\/fd\/\d+$/.test(target)) return extra;
    this.out.redirects.push({ target, access: WRITE_OPS.has(op) ? 'write' : 'read', text: node.text });
    return extra;
  }

  /** `<<EOF` with a plain delimiter; an unquoted body must hold no expansion; nothing else may share its line. */
  private heredoc(node: SyntaxNode) {
    let delimiter: string | undefined;
    let quoted = false;
    for (const child of node.children) {
      if (!child) continue;
      if (child.type === '<<' || child.type === '<<-') continue;
      if (child.type === 'heredoc_start') {
        const m = /^(?:([\w.-]+)|'([\w.-]+)'|"([\w.-]+)")$/.exec(child.text);
        if (!m) this.unproven('a heredoc delimiter glm cannot read exactly');
        delimiter = m?.[1] ?? m?.[2] ?? m?.[3];
        quoted = !m?.[1];
      } else if (child.type === 'heredoc_body') {
        const expands = child.namedChildren.some((c) => c && c.type !== 'heredoc_content') || /[$`\\]/.test(child.text);
        if (!quoted && expands) {
          this.unproven('a heredoc whose body has expansions');
          this.children(child, true);
        }
      } else if (child.type === 'heredoc_end') {
        if (child.text !== delimiter) this.unproven('a heredoc whose end glm cannot find exactly');
      } else if (child.type === 'file_redirect') {
        if (this.redirect(child).length) this.unproven('words after a heredoc redirection');
      } else {
        this.unproven('more commands after a heredoc on its first line');
        this.visit(child, true);
      }
    }
  }
}

const DESCRIPTIONS: Record<string, string> = {
  subshell: 'a subshell ( … )',
  compound_statement: 'a command group { … }',
  function_definition: 'a function definition',
  variable_assignment: 'a variable assignment',
  declaration_command: 'a declaration (export, declare, local …), which can change what later commands run',
  unset_command: 'unset',
  test_command: 'a test [[ … ]], which can run commands through arithmetic',
  if_statement: 'an if statement',
  while_statement: 'a loop',
  for_statement: 'a loop',
  c_style_for_statement: 'a loop',
  case_statement: 'a case statement',
  command_substitution: 'a command substitution, which runs a command',
  process_substitution: 'a process substitution, which runs a command',
  arithmetic_expansion: 'an arithmetic expansion, which can run commands',
  ERROR: 'syntax the shell parser could not read',
};

function describe(node: SyntaxNode): string {
  return DESCRIPTIONS[node.type] ?? `shell syntax glm does not judge (${node.type})`;
}

/**
 * `sed -e 0</dev/null …`: bash reads `0<` as a redirection of descriptor 0, tree-sitter-bash as a word `0` then a
 * redirection. The digits are not an argument: drop them, and do not vouch for the command.
 */
function dropGluedDescriptor(cmd: ShellCommand, redirect: SyntaxNode, walker: { unproven(why: string): void }): void {
  const last = cmd.words.at(-1);
  if (last !== undefined && /^\d+$/.test(last) && cmd.words.length > 1 && cmd.text.endsWith(last) && !redirect.namedChildren.some((c) => c?.type === 'file_descriptor')) {
    cmd.words.pop();
    walker.unproven('a file descriptor number the parser read as a word');
  }
}
