// The slash commands the REPL offers: built-in, the host's and custom ones (loaded in the background), then the
// live ones (MCP prompts) whose names are not taken. The same array while none changed, so completion can memoize.
// Imports no ink/react.
import { commandList, type SlashCommand } from './commands.ts';
import { glmCommandFolders, loadCustomCommands } from './custom-commands.ts';
import type { ReplHost } from './host.ts';

export class CommandCatalog {
  private fixed: SlashCommand[];
  private joined?: { fixed: SlashCommand[]; live: readonly SlashCommand[]; all: SlashCommand[] };

  constructor(private readonly host: ReplHost) {
    this.fixed = commandList([], host.commands);
  }

  /** Reads the custom commands; `changed` runs once they are in (a failure leaves the built-in ones). */
  loadCustom(changed: () => void): void {
    const { projectRoot, configDir } = this.host.config;
    void loadCustomCommands(this.host.commandFolders ?? glmCommandFolders(projectRoot, configDir))
      .then((custom) => {
        this.fixed = commandList(custom, this.host.commands);
        changed();
      })
      .catch(() => undefined);
  }

  get all(): SlashCommand[] {
    const fixed = this.fixed;
    const live = this.host.liveCommands?.() ?? [];
    if (this.joined?.fixed !== fixed || this.joined.live !== live) {
      const taken = new Set(fixed.map((c) => c.name));
      this.joined = { fixed, live, all: [...fixed, ...live.filter((c) => !taken.has(c.name))] };
    }
    return this.joined.all;
  }
}
