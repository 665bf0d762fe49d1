// Implements the REPL's host seam (src/ui/host.ts) over the real Session, and starts the REPL.
// Loaded only for interactive runs (cli.ts imports it dynamically), so headless never loads the UI.
import { createModelClientFromConfig } from './model/client.ts';
import { lookupModel } from './providers.ts';
import { Session } from './session.ts';
import { listSessions, projectSessionsDir } from './transcript.ts';
import type { ReplHost, ReplSession } from './ui/host.ts';
import { runRepl } from './ui/run-repl.tsx';
import { builtinTools } from '../tools/index.ts';
import type { Approver, Config } from './types.ts';

class ReplSessionAdapter implements ReplSession {
  private config: Config;

  constructor(private readonly session: Session, config: Config) {
    this.config = config;
  }

  get id() {
    return this.session.id;
  }
  subscribe(listener: Parameters<Session['subscribe']>[0]) {
    return this.session.subscribe(listener);
  }
  async run(prompt: string) {
    await this.session.run(prompt);
  }
  abort() {
    this.session.abort();
  }
  get permissionMode() {
    return this.session.permissionMode;
  }
  set permissionMode(mode) {
    this.session.permissionMode = mode;
  }
  /** Rules added with "always allow" in this session: those not in the configuration. */
  get sessionRules() {
    return this.session.rules.allow.filter((r) => !this.config.allowRules.includes(r));
  }
  removeRule(rule: string) {
    const allow = this.session.rules.allow;
    const i = allow.indexOf(rule);
    if (i >= 0) allow.splice(i, 1);
  }
  get model() {
    return this.config.model;
  }
  set model(model: string) {
    this.reconfigure({ model, modelInfo: lookupModel(model) });
  }
  get thinking() {
    return this.config.thinking;
  }
  set thinking(thinking: boolean) {
    this.reconfigure({ thinking });
  }
  get contextTokens() {
    return this.session.contextTokens;
  }
  get usage() {
    return this.session.usage;
  }
  close() {
    return this.session.close();
  }

  private reconfigure(change: Partial<Config>) {
    this.config = Object.freeze({ ...this.config, ...change });
    this.session.setClient(createModelClientFromConfig(this.config));
  }
}

export async function startRepl(config: Config, opts: { resume?: string; prompt?: string }): Promise<number> {
  const host: ReplHost = {
    config,
    resumeId: opts.resume,
    initialPrompt: opts.prompt,
    async openSession({ approver, resumeId }: { approver: Approver; resumeId?: string }) {
      const session = await Session.open({ config, client: createModelClientFromConfig(config), tools: builtinTools, approver, resume: resumeId });
      return new ReplSessionAdapter(session, config);
    },
    async listSessions() {
      return listSessions(projectSessionsDir(config.dataDir, config.projectRoot));
    },
  };
  return runRepl(host);
}
