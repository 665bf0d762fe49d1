// Bad --timeout and --output-format values on the subcommands that take them, and an --add-dir that is not a
// folder: one line naming the fix, exit 2, before any request (the sandbox's endpoint is never contacted).
import { describe, expect, it } from 'vitest';
import { makeSandbox, runGlm } from '../support/run-glm.ts';

describe('option values', () => {
  it.each([
    [['review', '--timeout', '0'], '--timeout must be a number of seconds above 0, not "0"'],
    [['review', '--output-format', 'xml'], '--output-format must be text or json, not "xml"'],
    [['commit', '--timeout', 'soon'], '--timeout must be a number of seconds above 0, not "soon"'],
    [['doctor', '--timeout', '-3'], '--timeout must be a number of seconds above 0, not "-3"'],
    [['doctor', '--output-format', 'yaml'], '--output-format must be text or json, not "yaml"'],
    [['-p', 'hi', '--add-dir', 'a.txt'], '--add-dir a.txt: '],
    [['-p', 'hi', '--add-dir', '.', '--add-dir', 'no-such-dir'], 'no-such-dir is not a folder: pass an existing folder'],
  ])('glm %j says what is wrong in one line and exits 2', async (args, message) => {
    const sb = await makeSandbox({ 'a.txt': 'a\n' }, 'http://127.0.0.1:1/v1');
    const r = await runGlm(sb, args);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr).trim().split('\n')).toEqual([expect.stringContaining(message)]);
  });
});
