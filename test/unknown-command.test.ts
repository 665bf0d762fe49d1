import { describe, expect, it } from 'vitest';
import { unknownCommandError } from '../src/unknown-command.ts';

const commands = ['review', 'hook', 'commit', 'undo', 'sessions', 'doctor', 'trust'];

describe('unknownCommandError', () => {
  it('suggests the subcommand a bare word is a typo of', () => {
    expect(unknownCommandError('sesions', commands)).toBe(
      'unknown command "sesions"; did you mean "glm sessions"? (to send "sesions" to the model as a prompt, use glm -p sesions)',
    );
  });

  it('points verbs other tools have to what glm does instead', () => {
    expect(unknownCommandError('version', commands)).toMatch(/^unknown command "version"; did you mean "glm --version"\?/);
    expect(unknownCommandError('help', commands)).toMatch(/did you mean "glm --help"\?/);
    expect(unknownCommandError('config', commands)).toContain(
      'settings are JSON files: ~/.config/glm-code/settings.json, and .glm/settings.json (shared) or .glm/settings.local.json (yours alone) in the project',
    );
    expect(unknownCommandError('login', commands)).toMatch(/GLM_API_KEY/);
    expect(unknownCommandError('update', commands)).toBe(
      'unknown command "update"; glm\'s commands are review, hook, commit, undo, sessions, doctor, trust (glm --help); to send "update" to the model as a prompt, use glm -p update',
    );
  });

  it('catches typos of those verbs too, but only of the longer ones', () => {
    expect(unknownCommandError('updte', commands)).toMatch(/^unknown command "updte"; glm's commands are/);
    expect(unknownCommandError('upgrde', commands)).toMatch(/^unknown command "upgrde"/);
    expect(unknownCommandError('lint', commands)).toBeUndefined();
  });

  it('leaves prompts alone: other words, and anything with a space or punctuation', () => {
    for (const prompt of ['hi', 'fix', 'explain', 'refactor', 'update ', 'update the README', 'config?', 'sessions.ts']) {
      expect(unknownCommandError(prompt, commands), prompt).toBeUndefined();
    }
  });

  it('knows only the commands it is given: a registered command is never an unknown one', () => {
    expect(unknownCommandError('mcp', commands)).toMatch(/^unknown command "mcp"/);
    expect(unknownCommandError('mcpp', [...commands, 'mcp'])).toMatch(/did you mean "glm mcp"\?/);
  });
});
