// Loads the Bash grammar (tree-sitter-bash, compiled to WASM) on the first command that needs a rule decision,
// so runs that never judge a command never pay for it. Imports only web-tree-sitter, lazily.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Node, Parser } from 'web-tree-sitter';

export type SyntaxNode = Node;

let loading: Promise<Parser> | undefined;

/** The grammar beside this module in dist/ (an installed glm), else from the tree-sitter-bash package (a clone's src). */
function grammarFile(): string {
  const beside = fileURLToPath(new URL('./tree-sitter-bash.wasm', import.meta.url));
  return existsSync(beside) ? beside : createRequire(import.meta.url).resolve('tree-sitter-bash/tree-sitter-bash.wasm');
}

function loadParser(): Promise<Parser> {
  return (loading ??= (async () => {
    const { Parser, Language } = await import('web-tree-sitter');
    await Parser.init();
    const bash = await Language.load(grammarFile());
    const parser = new Parser();
    parser.setLanguage(bash);
    return parser;
  })());
}

/** Runs `read` on the command's syntax tree (freed afterwards: it lives in WASM memory); undefined if the parser gives up. */
export async function withBashTree<T>(command: string, read: (root: SyntaxNode) => T): Promise<T | undefined> {
  const parser = await loadParser();
  const tree = parser.parse(command);
  if (!tree) return undefined;
  try {
    return read(tree.rootNode);
  } finally {
    tree.delete();
  }
}
