// The folders outside the project the user adds (--add-dir, "permissions.additionalDirectories"): where each one
// really is, and what happens when it is not a folder (an error for the flag, a warning for a settings file).
// Imports node built-ins, config-layers.ts and terminal-text.ts only (config.ts imports this).
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Layer } from './config-layers.ts';
import { safeLine } from './terminal-text.ts';

/**
 * A folder as typed, made absolute: `~` and `~/…` from the home folder, anything else relative to `base`; its real
 * path (symbolic links resolved) when it exists, so a link inside the project is shown and granted as its target.
 */
export function resolveFolder(text: string, base: string, home: string): { path: string; isFolder: boolean } {
  const expanded = text === '~' ? home : text.startsWith('~/') ? path.join(home, text.slice(2)) : text;
  const absolute = path.resolve(base, expanded);
  try {
    const real = realpathSync(absolute);
    return { path: real, isFolder: statSync(real).isDirectory() };
  } catch {
    return { path: absolute, isFolder: false };
  }
}

/**
 * Every level's added folders, user file → project file → flags, without repeats: flags are relative to the
 * working directory, settings files to the project root. A flag naming no folder is an error; a settings
 * file's is left out with a line in `warnings`.
 */
export function addedFolders(layers: Layer[], where: { cwd: string; projectRoot: string; home: string }, warnings: string[]): string[] {
  const out: string[] = [];
  for (const layer of [...layers].reverse()) {
    const base = layer.level === 'flags' ? where.cwd : where.projectRoot;
    for (const text of layer.values.additionalDirectories ?? []) {
      const folder = resolveFolder(text, base, where.home);
      if (folder.isFolder) {
        if (!out.includes(folder.path)) out.push(folder.path);
        continue;
      }
      const what = `${safeLine(folder.path)} is not a folder`;
      if (layer.level === 'flags') throw new ConfigError(`--add-dir ${safeLine(text)}: ${what}: pass an existing folder`);
      warnings.push(`ignoring "${safeLine(text)}" in ${layer.where('additionalDirectories')}: ${what}`);
    }
  }
  return out;
}
