// A stand-in for cli-highlight in the REPL bundle (scripts/highlight-plugin.mjs aliases it, for marked-terminal
// and markdown.ts alike). cli-highlight renders highlight.js's token tree to HTML and parses that HTML back with
// parse5 to colour it: the parse was ~10 ms of the REPL's CPU in an answer with a dozen code blocks. This walks
// the token tree highlight.js already built and colours it as cli-highlight's default theme does, byte for byte
// (test/ui/highlight.test.ts compares the two in every language). It reads the token tree from highlight.js 10's
// result (`emitter.root`), so highlight.js is pinned to 10 in package.json, the version cli-highlight uses.
// Imports highlight.js only.
import hljs from 'highlight.js';

type Code = [open: number, close: number];
const BLUE: Code = [34, 39];
const CYAN: Code = [36, 39];
const GREEN: Code = [32, 39];
const RED: Code = [31, 39];
const YELLOW: Code = [33, 39];
const GREY: Code = [90, 39];
const DIM: Code = [2, 22];

/** cli-highlight's DEFAULT_THEME (chalk styles by highlight.js class); classes not listed stay plain. */
const THEME = new Map<string, Code[]>(Object.entries({
  keyword: [BLUE],
  built_in: [CYAN],
  type: [CYAN, DIM],
  literal: [BLUE],
  number: [GREEN],
  regexp: [RED],
  string: [RED],
  class: [BLUE],
  function: [YELLOW],
  comment: [GREEN],
  doctag: [GREEN],
  meta: [GREY],
  tag: [GREY],
  name: [BLUE],
  attr: [CYAN],
  emphasis: [[3, 23]],
  strong: [[1, 22]],
  link: [[4, 24]],
  addition: [GREEN],
  deletion: [RED],
} satisfies Record<string, Code[]>)); // a Map: a class named "constructor" (ReasonML) must not find Object's

interface TokenNode {
  kind?: string;
  sublanguage?: boolean;
  children: (string | TokenNode)[];
}

const sgr = (n: number) => `\x1b[${n}m`;

/** What chalk 4 does for a chain of styles: re-open them after any inner close, and close and re-open them around line breaks. */
function paint(codes: Code[], text: string): string {
  if (!text) return text;
  const openAll = codes.map(([open]) => sgr(open)).join('');
  const closeAll = codes.map(([, close]) => sgr(close)).reverse().join('');
  if (text.includes('\x1b')) for (const [open, close] of [...codes].reverse()) text = text.replaceAll(sgr(close), sgr(close) + sgr(open));
  if (text.includes('\n')) text = text.replaceAll('\n', `${closeAll}\n${openAll}`);
  return openAll + text + closeAll;
}

function render(node: string | TokenNode): string {
  // cli-highlight's HTML parse turns CR LF and lone CRs into LF.
  if (typeof node === 'string') return node.includes('\r') ? node.replace(/\r\n?/g, '\n') : node;
  const inner = node.children.map(render).join('');
  // cli-highlight reads the class with /hljs-(\w+)/: "meta-keyword" is styled as "meta"; sub-languages are not styled.
  const codes = node.kind && !node.sublanguage ? THEME.get(/^\w+/.exec(node.kind)?.[0] ?? '') : undefined;
  return codes ? paint(codes, inner) : inner;
}

export function highlight(code: string, options: { language?: string; ignoreIllegals?: boolean; languageSubset?: string[] } = {}): string {
  const result = options.language
    ? hljs.highlight(code, { language: options.language, ignoreIllegals: options.ignoreIllegals })
    : hljs.highlightAuto(code, options.languageSubset);
  // Code highlight.js gave up on (an illegal token, or an error it survived) comes back as plain text, as
  // cli-highlight returns it: the token tree would hold only what came before.
  if (result.illegal || (result as { errorRaised?: unknown }).errorRaised) return code.replace(/\r\n?/g, '\n');
  return render((result as unknown as { emitter: { root: TokenNode } }).emitter.root);
}

export function supportsLanguage(name: string): boolean {
  return Boolean(hljs.getLanguage(name));
}

export function listLanguages(): string[] {
  return hljs.listLanguages();
}

export default highlight;
