// A key in a settings file that nothing reads (`"modle"`) is a warning naming the file, the key and the closest
// known key; the rest of the file still applies. The known keys are the ones config-layers.ts reads.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { fileLayer } from '../src/config-layers.ts';

function settings(data: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'glm-keys-'));
  const file = path.join(dir, 'settings.json');
  writeFileSync(file, JSON.stringify(data));
  return file;
}

describe('unknown settings keys', () => {
  it('warn once each, naming the file, the key and the closest known key', () => {
    const file = settings({ modle: 'glm-4.7', maxTurns: 5, permissions: { alow: ['Read'] } });
    const layer = fileLayer(file, 'user')!;
    expect(layer.warnings).toEqual([
      `unknown key "modle" in ${file} is ignored (did you mean "model"?)`,
      `unknown key "permissions.alow" in ${file} is ignored (did you mean "permissions.allow"?)`,
    ]);
    expect(layer.values.maxTurns).toBe(5);
  });

  it('list the known keys when none is close', () => {
    const [warning] = fileLayer(settings({ colour: 'blue' }), 'user')!.warnings!;
    expect(warning).toMatch(/^unknown key "colour" in .* is ignored \(known keys: provider, model, .*permissions.*, prices, hooks, claudeCompat\)$/);
  });

  it('leave every key the code reads alone, and $schema', () => {
    const file = settings({
      $schema: 'https://example.com/schema.json',
      provider: 'zai', model: 'glm-4.7', baseUrl: 'http://127.0.0.1:1/v1', thinking: true, reasoningEffort: 'high',
      maxTokens: 1000, maxTurns: 3, temperature: 0.5, apiKey: 'k', concurrency: 2, idleTimeoutMs: 1000, responseTimeoutMs: 9000, savedOutputsMaxMB: 100, maxRetries: 1,
      contextWindow: 32768, compactThreshold: 0.8, autoCompact: false, passEnvToCommands: ['X'],
      prices: { 'glm-4.7': { input: 1, output: 2 } }, hooks: {}, claudeCompat: { hooks: true },
      permissions: { defaultMode: 'default', allow: [], deny: [], ask: [], additionalDirectories: [] },
    }); // prettier-ignore
    expect(fileLayer(file, 'user')!.warnings).toBeUndefined();
  });

  it('reach the Config, for the front ends to print, from the user and the project file', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'glm-keys-'));
    const home = path.join(root, 'home');
    const project = path.join(root, 'proj');
    mkdirSync(path.join(home, '.config', 'glm-code'), { recursive: true });
    mkdirSync(path.join(project, '.git'), { recursive: true });
    mkdirSync(path.join(project, '.glm'), { recursive: true });
    writeFileSync(path.join(home, '.config', 'glm-code', 'settings.json'), JSON.stringify({ modle: 'x' }));
    writeFileSync(path.join(project, '.glm', 'settings.json'), JSON.stringify({ maxTurn: 4 }));
    const config = loadConfig({}, { HOME: home, GLM_API_KEY: 'k' }, project);
    expect(config.warnings).toEqual([
      expect.stringMatching(/^unknown key "modle" in .*home.* \(did you mean "model"\?\)$/),
      expect.stringMatching(/^unknown key "maxTurn" in .*proj.* \(did you mean "maxTurns"\?\)$/),
    ]);
  });

  it('say so when a project file sets a key only the user file is read for', () => {
    const file = settings({ passEnvToCommands: ['GLM_API_KEY'], webFetch: { allowPrivateNetwork: true }, mcpServers: {}, model: 'glm-4.7' });
    expect(fileLayer(file, 'project')!.warnings).toEqual([
      `"passEnvToCommands" in ${file} is ignored: only your user settings can pass variables to commands`,
      `"webFetch" in ${file} is ignored: only your user settings can set it`,
      `"mcpServers" in ${file} is ignored: a project's servers go in .mcp.json (glm mcp add --scope project)`,
    ]);
    expect(fileLayer(file, 'user')!.warnings).toBeUndefined();
  });

  it('escape control characters in a key', () => {
    const [warning] = fileLayer(settings({ 'a\u001b[2Jb': 1 }), 'user')!.warnings!;
    expect(warning).toContain('"a\\e[2Jb"');
  });
});
