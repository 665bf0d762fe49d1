// Search through a deny rule, end to end: the built `glm -p` with `Read(.env)` denied, and a model that searches the
// whole project (with the built-in search and, when installed, ripgrep). The secret must reach no request.
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

describe('Grep and Glob respect Read deny rules', () => {
  it.each([
    ['Grep over the project', { name: 'Grep', arguments: { pattern: 'TOKEN', output_mode: 'content' } }],
    ['Grep from a parent folder', { name: 'Grep', arguments: { pattern: 'TOKEN', path: '..', output_mode: 'content' } }],
    ['Glob', { name: 'Glob', arguments: { pattern: '**/.env*' } }],
  ])('%s never shows the denied file', async (_label, call) => {
    const sb = await makeSandbox({ '.env': 'TOKEN=sk-live-SECRET-VALUE\n', 'src/app.js': 'const TOKEN = process.env.TOKEN;\n' }, fake.url);
    symlinkSync('.env', path.join(sb.repo, 'env-link'));
    let told = '';
    fake.reply(toolCalls([call]), (body) => {
      told = body.messages.at(-1)?.content ?? '';
      return text('done');
    });
    const r = await runGlm(sb, ['-p', 'find the token', '--disallowedTools', 'Read(.env)', '--allowedTools', 'Read(//**)']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(told).toMatch(/hidden by deny rules/);
    expect(told).not.toContain('SECRET-VALUE');
    expect(told).not.toMatch(/(^|\/)(\.env|env-link)(:|$)/m);
    for (const req of fake.requests) expect(JSON.stringify(req)).not.toContain('SECRET-VALUE');
  });
});
