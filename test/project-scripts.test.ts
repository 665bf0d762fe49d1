// Which project files a hook command or Bash rule runs (src/project-scripts.ts): the command word when it is a
// path, an interpreter's script, `sh -c`'s; never the files a command only writes or reads.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashRuleCommands, namedProjectFiles, scriptEntries } from '../src/project-scripts.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'glm-scripts-'));
mkdirSync(path.join(root, '.glm', 'hooks'), { recursive: true });
writeFileSync(path.join(root, '.glm', 'hooks', 'check.sh'), 'echo ok\n');
mkdirSync(path.join(root, 'tools', 'mod'), { recursive: true });
writeFileSync(path.join(root, 'tools', 'mod', '__main__.py'), 'print(1)\n');
writeFileSync(path.join(root, 'tools', 'mod', '__init__.py'), '');
writeFileSync(path.join(root, 'tools', 'lint'), 'print(1)\n');
mkdirSync(path.join(root, 'srv', 'lib'), { recursive: true });
writeFileSync(path.join(root, 'srv', 'package.json'), '{"main":"lib/start.js"}');
writeFileSync(path.join(root, 'srv', 'lib', 'start.js'), '');

describe('namedProjectFiles', () => {
  it.each([
    ['bash .glm/hooks/check.sh', ['.glm/hooks/check.sh']],
    ['./scripts/x.sh --fast', ['scripts/x.sh']],
    ['"$CLAUDE_PROJECT_DIR"/.claude/hooks/a.py', ['.claude/hooks/a.py']],
    ['python3 -u ${GLM_PROJECT_DIR}/tools/b.py arg', ['tools/b.py']],
    ['cat >/dev/null; FOO=1 node hooks/c.js 2>&1 | tee out.log', ['hooks/c.js']],
    ["sh -c 'cd sub && ./run.sh'", ['run.sh']],
    ['env A=1 timeout 5 deno run d.ts', ['d.ts']],
    ['bun run e.ts', ['e.ts']],
    ['echo "$(./inner.sh)" > scripts/out.sh', ['inner.sh']],
    // Spellings a hostile hook could hide its script behind (test/security/project-script-spellings.test.ts end to end).
    ['bash -o errexit .glm/hooks/check.sh', ['.glm/hooks/check.sh']],
    ['cat .glm/hooks/check.sh | bash', ['.glm/hooks/check.sh']],
    ['bash < .glm/hooks/check.sh', ['.glm/hooks/check.sh']],
    ['if true; then busybox sh x.sh; fi', ['x.sh']],
    ['python3 -W ignore tools/gen.py', ['tools/gen.py']],
    ['python3 -O tools/lint', ['tools/lint']],
    ['node -r ./pre.js main.js', ['main.js', 'pre.js']],
    ['bash "${CLAUDE_PROJECT_DIR:-.}/a.sh" "$PWD/b.sh"', ['a.sh', 'b.sh']],
    ['python3 -m tools.mod', ['tools/mod/__init__.py', 'tools/mod/__main__.py']],
    ['python3 tools/mod', ['tools/mod/__main__.py']],
    ['node srv', ['srv/lib/start.js', 'srv/package.json']],
  ])('%s', (command, files) => {
    expect(namedProjectFiles(command, root)).toEqual(files);
  });

  it.each(['touch PWNED', 'cat >/dev/null; touch "$HOME/x"', 'jq .tool_input >> .glm/log.txt', '/usr/bin/true', 'python3 -c "print(1)"', 'bash ../outside.sh', 'sh ~/x.sh', 'sh $X/y.sh', 'npx -y @scope/docs-mcp', 'bun run build', 'uv run pytest', 'deno run npm:cowsay https://x.dev/a.ts', 'node server', 'python3 -m pytest -q', 'python -m http.server'])(
    'names no project file: %s',
    (command) => {
      expect(namedProjectFiles(command, root)).toEqual([]);
    },
  );

  it('hashes each named file, and a missing one counts as missing', () => {
    const entries = scriptEntries(['bash .glm/hooks/check.sh', './gone.sh', 'bash .glm/hooks'], root).map((e) => e.value);
    expect(entries).toEqual([expect.stringMatching(/^\.glm\/hooks\/check\.sh \(sha256:[0-9a-f]{16}\)$/), 'gone.sh (missing)']);
  });

  it('reads the fixed command of Bash rules', () => {
    expect(bashRuleCommands(['Bash(sh tools/setup.sh:*)', 'Read', 'Bash(./x.sh *)', 'Bash(npm test)'])).toEqual(['sh tools/setup.sh', './x.sh', 'npm test']);
  });
});
