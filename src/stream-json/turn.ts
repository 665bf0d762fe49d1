// One turn of a stream-json session as the result line reports it: what the turn's events said (errors, denials,
// the model's stop reason, time spent waiting on the model) and, with a JSON schema, the answer parsed as JSON.
import type { AgentEvent, FinishReason } from '../types.ts';

export class TurnRecord {
  readonly started = Date.now();
  readonly errors: string[] = [];
  readonly denials: { tool_name: string; tool_use_id: string; tool_input: Record<string, unknown> }[] = [];
  stopReason: FinishReason | undefined;
  apiMs = 0;
  private requestStarted?: number;

  onEvent(event: AgentEvent): void {
    switch (event.type) {
      case 'turn_start':
        this.requestStarted = Date.now();
        return;
      case 'assistant_message':
        if (this.requestStarted !== undefined) this.apiMs += Date.now() - this.requestStarted;
        this.requestStarted = undefined;
        this.stopReason = event.interrupted ? undefined : event.finishReason;
        return;
      case 'error':
        this.errors.push(event.message);
        return;
      case 'subagent':
        // A subagent's denials are the turn's denials too (its other events stay inside its Task result).
        if (event.event.type === 'approval_result') this.onEvent(event.event);
        return;
      case 'approval_result':
        if (event.decision === 'deny') {
          const input = typeof event.input === 'object' && event.input !== null ? (event.input as Record<string, unknown>) : {};
          this.denials.push({ tool_name: event.name, tool_use_id: event.callId, tool_input: input });
        }
        return;
      default:
        return;
    }
  }
}

/** The instruction added to the system prompt when a JSON schema is given (--json-schema, initialize.jsonSchema). */
export const schemaInstruction = (schema: Record<string, unknown>): string =>
  `When you give your final answer, reply with only a JSON value that matches this JSON Schema: no prose before or after it, no code fences.\n${JSON.stringify(schema)}`;

/** The final answer as JSON (a ```json fence around it is tolerated), or undefined when it is not JSON. */
export function structuredAnswer(text: string): unknown {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  try {
    return JSON.parse(fenced ? fenced[1]! : text);
  } catch {
    return undefined;
  }
}
