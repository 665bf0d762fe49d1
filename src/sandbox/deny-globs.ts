// The Read deny rules the sandbox enforces: those naming one path (hidden as they are) and those that are patterns
// (`Read(**/.env)`, `Read(./secrets/**)`, `Read(*.pem)`): the sandbox can only hide paths, so before each command
// the project's folders are walked (project-walk.ts) and every existing path a pattern matches is hidden.
// Imports permissions.ts (rule syntax) only.
import { coversTool, parseRule } from '../permissions.ts';

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
