// A session's token counts: its totals (a resumed session's go on from where it stopped), counted from the events
// of turns, subagents and prompt hooks as they pass; prompt hooks' tokens also join the next run's `done` event.
// Imports no front end.
import { subagentSpent, subagentUsage } from './transcript.ts';
import { addUsage, emptyUsage, type AgentEvent, type Usage } from './types.ts';

export class SessionUsage {
  /** Totals for the whole session. */
  readonly total: Usage = emptyUsage();
  /** Prompt hooks' tokens not yet in a run's done event. */
  private hookSpent?: Usage;

  /** Counts what `event` spent, before it is recorded: a run's `done` gets the prompt hooks' tokens since the last one. */
  count(event: AgentEvent): void {
    // The prompt hooks' tokens since the last run ended join this run's usage (the session's has them already).
    if (event.type === 'done' && this.hookSpent) {
      event.usage = addUsage({ ...(event.usage ?? emptyUsage()) }, this.hookSpent);
      this.hookSpent = undefined;
    }
    // A prompt hook's tokens count in the session's usage and the next run's, under the model that answered.
    if (event.type === 'hook_response' && event.usage) {
      addUsage(this.total, event.usage);
      this.hookSpent = addUsage(this.hookSpent ?? emptyUsage(), event.usage);
    }
    if (event.type === 'turn_end' && event.usage) addUsage(this.total, event.usage);
    // A subagent's requests count in the session's totals (its turn_end and compaction events arrive wrapped).
    const spentBySubagent = event.type === 'subagent' ? subagentSpent(event.event) : undefined;
    if (spentBySubagent) addUsage(this.total, subagentUsage(event.type === 'subagent' ? event.model : undefined, spentBySubagent));
  }

  /** The prompt hooks' tokens that no run's `done` event carried, once. */
  takeHookUsage(): Usage | undefined {
    const late = this.hookSpent;
    this.hookSpent = undefined;
    return late;
  }
}
