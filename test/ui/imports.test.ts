// The REPL only renders events and sends back submit/abort/approve: src/ui/ may use the shared types, limits,
// terminal-text escaping and the "did you mean" word match (closest-word.ts, imports nothing), never the loop, the
// session, config, tools or the model client.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const files = (dir: string): string[] =>
  readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    return statSync(path.join(root, rel)).isDirectory() ? files(rel) : /\.tsx?$/.test(name) ? [rel] : [];
  });

describe('src/ui imports', () => {
  it('reach outside src/ui only for shared types, limits, terminal-text, closest-word and prompt text', () => {
    // closest-word.ts imports nothing: "did you mean /model?" for a mistyped command or model.
    const allowed = new Set(['src/types.ts', 'src/limits.ts', 'src/terminal-text.ts', 'src/closest-word.ts', 'prompts/init.md']);
    const outside = files('src/ui').flatMap((file) =>
      [...readFileSync(path.join(root, file), 'utf8').matchAll(/(?:from|import\()\s*['"](\.[^'"]+)['"]/g)]
        .map((m) => path.normalize(path.join(path.dirname(file), m[1]!)))
        .filter((target) => !target.startsWith('src/ui/') && !allowed.has(target))
        .map((target) => `${file} imports ${target}`),
    );
    expect(outside).toEqual([]);
  });
});
