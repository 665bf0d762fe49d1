// A Connection (client.ts's contract) over an early session (early-session.ts): its tools are the session's, and
// the SDK's Client (client.ts, with the SDK and zod) loads and attaches at the first thing only it does (a call,
// resources, prompts). A run that never calls an MCP tool never loads the SDK; the first call that does pays the
// load once (~200 ms on a slow core). Closing ends the process the same graceful way either way.
import type { Connection, ConnectOptions } from './client.ts';
import type { EarlySession, Opened } from './early-session.ts';
import { endProcess } from './spawn.ts';

export function earlyConnection(session: EarlySession, opened: Opened, o: Pick<ConnectOptions, 'onToolsChanged' | 'onClosed'>): Connection {
  let closing = false;
  let client: Promise<Connection> | undefined;
  const sdk = () =>
    (client ??= import('./client.ts').then((m) =>
      m.attachClient(session, opened, {
        onToolsChanged: (tools) => {
          conn.tools = tools;
          o.onToolsChanged(tools);
        },
        onClosed: () => {},
      }),
    ));
  // Until the Client attaches (and for a re-list the session started before), the session follows list_changed.
  session.onToolsChanged = (tools) => {
    if (closing) return;
    conn.tools = tools;
    o.onToolsChanged(tools);
  };
  void session.process.closed.then(() => !closing && o.onClosed());
  const caps = opened.init.capabilities;
  const conn: Connection = {
    tools: opened.tools,
    offers: { resources: Boolean(caps.resources), prompts: Boolean(caps.prompts) },
    call: async (tool, args, signal) => (await sdk()).call(tool, args, signal),
    resources: async (signal) => (caps.resources ? (await sdk()).resources(signal) : []),
    readResource: async (uri, signal) => (await sdk()).readResource(uri, signal),
    prompts: async (signal) => (caps.prompts ? (await sdk()).prompts(signal) : []),
    getPrompt: async (name, args, signal) => (await sdk()).getPrompt(name, args, signal),
    close: async () => {
      closing = true;
      const attached = client && (await client.catch(() => undefined));
      await (attached ? attached.close() : endProcess(session.process));
    },
  };
  return conn;
}
