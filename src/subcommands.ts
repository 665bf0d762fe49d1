// Subcommands (`glm review`, `glm hook`, `glm commit`, `glm undo`, `glm doctor`, `glm sessions`): each
// registers its flags here and imports its implementation only when it runs, so `glm -p` never loads it.
import type { Command } from 'commander';

export function registerSubcommands(program: Command): void {
  void program;
}
