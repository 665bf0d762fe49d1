// Read deny rules that are patterns (`Read(**/.env)`, `Read(./secrets/**)`, `Read(*.pem)`): the sandbox can only
// hide paths, so at each launch the project's folders are walked and every existing path a rule matches is hidden.
// Bounded: past MAX_ENTRIES looked at or MAX_MATCHES found, the launch is refused (fail closed: a secret could lie
// further on), with a line saying how to narrow the rule.
// Imports permissions.ts (rule syntax and matching) and node built-ins only.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { coversTool, parseRule, pathMatcher } from '../permissions.ts';
import { isWithin } from '../paths.ts';

/** Entries looked at per launch: a few milliseconds on an ordinary project. */
export const MAX_ENTRIES = 20_000;
/** Paths hidden: each is a mount for bwrap to make at every launch. */
export const MAX_MATCHES = 1_000;

/** Folders never walked: git's own (read-only inside anyway) and installed dependencies (not the user's files). */
const SKIPPED = new Set(['.git', 'node_modules']);

export interface DenyGlobs {
  hidden: { path: string; dir: boolean }[];
  /** Why commands cannot run: the walk hit its bound. */
  refused?: string;
}

/** A Read deny rule with a specifier: `path` its content without a trailing `/**` or `/`; `walked`: a pattern or a
 * bare name (which matches at any depth), found by walking the project, rather than one path. */
export interface ReadDenyRule {
  text: string;
  content: string;
  path: string;
  walked: boolean;
}

/** The Read deny rules that name files (bad rules and other tools' skipped). */
export function readDenyRules(rules: readonly string[]): ReadDenyRule[] {
  const out: ReadDenyRule[] = [];
  for (const text of rules) {
    let rule;
    try {
      rule = parseRule(text);
    } catch {
      continue;
    }
    if (rule.content === undefined || !coversTool(rule.tool, 'Read')) continue;
    const c = rule.content.replace(/\/\*\*$/, '').replace(/\/+$/, '');
    const anyDepth = !/^(\/|~|\.\.?\/)/.test(c) && !c.includes('/');
    out.push({ text, content: rule.content, path: c, walked: /[*?[\]{}!]/.test(c) || anyDepth });
  }
  return out;
}

/** The Read deny rules the sandbox enforces by walking: patterns, and bare names (which match at any depth). */
export function walkedRules(rules: readonly string[]): { text: string; content: string }[] {
  return readDenyRules(rules).filter((r) => r.walked);
}

/** Every existing path under `roots` (real paths, outermost first) that a walked rule matches; a matched folder whole. */
export function resolveDenyGlobs(rules: { text: string; content: string }[], roots: string[], projectRoot: string, home: string, max = MAX_ENTRIES, maxMatches = MAX_MATCHES): DenyGlobs {
  const hidden: DenyGlobs['hidden'] = [];
  if (!rules.length) return { hidden };
  const matchers = rules.map((r) => pathMatcher(r.content, projectRoot, home));
  const stack = roots.filter((r) => !roots.some((o) => o !== r && isWithin(o, r)));
  let seen = 0;
  while (stack.length) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable here: unreadable inside too
    }
    for (const e of entries) {
      if (++seen > max) {
        const names = rules.map((r) => r.text).join(', ');
        return { hidden, refused: `The sandbox cannot enforce ${names}: the project has more than ${max} files and folders to check (outside .git and node_modules). Anchor the rule to a folder, like Read(./config/**/.env), or list the files; until then no command runs sandboxed.` };
      }
      const abs = path.join(dir, e.name);
      if (matchers.some((m) => m(abs))) {
        const dir = e.isSymbolicLink() ? isDir(abs) : e.isDirectory(); // a link is hidden where it points
        if (dir !== undefined) hidden.push({ path: abs, dir });
        if (hidden.length > maxMatches) {
          return { hidden, refused: `The sandbox cannot enforce ${rules.map((r) => r.text).join(', ')}: it matches more than ${maxMatches} files and folders, each hidden by a mount at every command. Deny a folder that holds them instead, like Read(./secrets/**); until then no command runs sandboxed.` };
        }
      } else if (e.isDirectory() && !SKIPPED.has(e.name)) stack.push(abs);
    }
  }
  return { hidden };
}

/** Whether a link points to a folder; undefined when it points nowhere. */
function isDir(p: string): boolean | undefined {
  try {
    return statSync(p).isDirectory();
  } catch {
    return undefined;
  }
}
