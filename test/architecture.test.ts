// The import rules of AGENTS.md, read from the source: they keep the core free of UI and SDK details.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx)$/.test(name) ? [rel] : [];
  });
}

const importsOf = (file: string): string[] =>
  [...readFileSync(path.join(root, file), 'utf8').matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2],
  );

const files = [...sourceFiles('src'), ...sourceFiles('tools')];
const offenders = (filter: (file: string) => boolean, bad: (spec: string, file: string) => boolean) =>
  files.filter(filter).flatMap((file) => importsOf(file).filter((spec) => bad(spec, file)).map((spec) => `${file} imports ${spec}`));

const resolved = (spec: string, file: string) => path.normalize(path.join(path.dirname(file), spec));

describe('architecture', () => {
  it('only src/model/ imports openai', () => {
    expect(offenders((f) => !f.startsWith('src/model/'), (s) => s === 'openai' || s.startsWith('openai/'))).toEqual([]);
  });

  it('only src/mcp/client.ts imports the MCP SDK', () => {
    expect(offenders((f) => f !== 'src/mcp/client.ts', (s) => s.startsWith('@modelcontextprotocol/'))).toEqual([]);
  });

  it('only src/acp/agent.ts imports the ACP SDK, and no source imports the Claude Agent SDK (tests drive glm with it)', () => {
    expect(offenders((f) => f !== 'src/acp/agent.ts', (s) => s.startsWith('@agentclientprotocol/'))).toEqual([]);
    expect(offenders(() => true, (s) => s.startsWith('@anthropic-ai/'))).toEqual([]);
  });

  it('only src/ui/ imports ink or react', () => {
    expect(offenders((f) => !f.startsWith('src/ui/'), (s) => /^(ink|react)(\/|$)|^ink-/.test(s))).toEqual([]);
  });

  it('tools never import the loop, session, permissions or a front end', () => {
    const allowed = ['src/paths.ts', 'src/process-temp.ts', 'src/tool.ts', 'src/types.ts', 'src/limits.ts', 'src/template.ts', 'src/truncate.ts', 'src/image.ts'];
    expect(offenders((f) => f.startsWith('tools/'), (s, f) => s.startsWith('.') && resolved(s, f).startsWith('src/') && !allowed.includes(resolved(s, f)))).toEqual([]);
  });

  it('the loop, session and model client import no front end', () => {
    const core = (f: string) => ['src/agent.ts', 'src/session.ts', 'src/gate.ts', 'src/transcript.ts', 'src/prompt.ts'].includes(f) || /^src\/(model\/|session-)/.test(f);
    const frontEnd = (s: string, f: string) => s.startsWith('.') && /^src\/(ui|review|headless|cli)/.test(resolved(s, f));
    expect(offenders(core, frontEnd)).toEqual([]);
  });

  it('types.ts imports nothing', () => {
    expect(importsOf('src/types.ts')).toEqual([]);
  });
});
