// AGENTS.md must hold for anyone who clones the repository: every path it names exists in the clone, and its
// commands run the project's Node (node_modules/.bin/node), never the machine's bare `node`.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const text = readFileSync(path.join(root, 'AGENTS.md'), 'utf8');

it('names only paths a clone has', () => {
  const paths = [...text.matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1])
    .filter((p) => /^(\.\.?\/|src\/|test\/|tools\/|bin\/|prompts\/|bench\/|scripts\/|docs\/)/.test(p))
    .filter((p) => !/[<*]/.test(p)); // patterns such as tools/<name>.ts or prompts/*.md
  expect(paths.length).toBeGreaterThan(10);
  expect(paths.filter((p) => !existsSync(path.join(root, p)))).toEqual([]);
});

it('runs glm with the project\'s Node, not bare node', () => {
  expect(text.match(/(^|[\s"'`(])node bin\/[^\n]*/gm) ?? []).toEqual([]);
  expect(text).toContain('node_modules/.bin/node bin/glm.js');
});
