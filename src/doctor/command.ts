// `glm doctor`: probes the configured endpoint with two small requests in parallel (thinking on, no tools; thinking
// off, one trivial tool), checks the command sandbox, and prints a checklist, as text or JSON, within a 10-second budget. Exit 0 when nothing
// failed, 1 otherwise, 2 on configuration errors. Never prints the API key. Imports no UI and no loop.

import type { CommonOptions } from '../cli-options.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { isSelfHosted } from '../providers.ts';
import type { Config, ModelRequest } from '../types.ts';
import { evaluate, unconfigured, type Check, type Probes } from './checks.ts';
import { listModels, probe, type Observation } from './probe.ts';
import { sandboxCheck } from './sandbox-check.ts';
import { visionCheck, webSearchCheck } from './images-web-check.ts';
import { formatError, timeoutMs } from '../option-values.ts';

export interface DoctorOptions extends CommonOptions {
  outputFormat?: string;
  /** Time limit for the probes, in seconds (default 9). */
  timeout?: string;
}

interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const DOCTOR_EXIT = { ok: 0, problems: 1, config: 2 } as const;
const BUDGET_MS = 9_000;

const TEXT_PROBE: ModelRequest = {
  system: '',
  messages: [{ role: 'user', content: 'Think briefly, then reply with just the word OK.' }],
  tools: [],
};

const TOOL_PROBE: ModelRequest = {
  system: '',
  messages: [{ role: 'user', content: 'What is the weather in Paris right now? Use the get_weather tool.' }],
  tools: [
    {
      name: 'get_weather',
      description: 'Current weather for a city.',
      parameters: { type: 'object', properties: { city: { type: 'string', description: 'City name' } }, required: ['city'] },
    },
  ],
};

/** The text probe has seen enough once reasoning and some answer (or the end) arrived. */
const textSeen = (o: Observation): boolean =>
  o.finishReason !== undefined || (o.reasoningFields.size > 0 && o.content.trim() !== '') || /<\/think>[\s\S]*\S/.test(o.content);

async function runProbes(config: Config, budgetMs: number): Promise<Probes> {
  const signal = AbortSignal.timeout(budgetMs);
  const canThink = config.modelInfo.thinking !== 'none';
  const [text, tool, served] = await Promise.all([
    probe(config, { request: TEXT_PROBE, thinking: canThink, maxTokens: 1024, enough: textSeen }, signal),
    probe(config, { request: TOOL_PROBE, thinking: false, maxTokens: 1024 }, signal),
    isSelfHosted(config.dialect) ? listModels(config, signal) : Promise.resolve(undefined),
  ]);
  return served ? { text, tool, served } : { text, tool };
}

const MARK: Record<Check['status'], string> = { pass: '✓', warn: '!', fail: '✗', skip: '-' };

/** What the checklist is about: the endpoint, or no endpoint when the settings name none that works. */
type Subject = Pick<Config, 'provider' | 'dialect' | 'baseURL' | 'model'> | undefined;

function renderText(config: Subject, checks: Check[], ms: number): string {
  const width = Math.max(...checks.map((c) => c.label.length)) + 2;
  const title = config ? `${config.provider} · ${config.model} · ${config.baseURL}` : 'no endpoint to check (see below)';
  const lines = [`glm doctor: ${title}`, ''];
  for (const c of checks) {
    lines.push(`  ${MARK[c.status]} ${c.label.padEnd(width)}${c.detail}`);
    if (c.fix && (c.status === 'fail' || c.status === 'warn')) lines.push(`    ${' '.repeat(width)}fix: ${c.fix}`);
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  const seconds = (ms / 1000).toFixed(1);
  lines.push('', failed === 0 ? `All checks passed (${seconds} s).` : `${failed} ${failed === 1 ? 'check' : 'checks'} failed (${seconds} s).`);
  return lines.join('\n') + '\n';
}

function renderJson(config: Subject, checks: Check[], ms: number): string {
  const result = {
    ok: checks.every((c) => c.status !== 'fail'),
    provider: config?.provider ?? null,
    dialect: config?.dialect ?? null,
    baseURL: config?.baseURL ?? null,
    model: config?.model ?? null,
    durationMs: ms,
    checks,
  };
  return JSON.stringify(result) + '\n';
}

/** Runs the probes and prints the checklist; returns the exit code. */
export async function runDoctor(opts: DoctorOptions, out: Output): Promise<number> {
  const started = Date.now();
  const format = opts.outputFormat ?? 'text';
  const badFormat = formatError(format, ['text', 'json']);
  const timeout = opts.timeout === undefined ? { ms: BUDGET_MS } : timeoutMs(opts.timeout);
  if (badFormat !== undefined || timeout.error !== undefined) {
    out.stderr(`glm: ${badFormat ?? timeout.error}\n`);
    return DOCTOR_EXIT.config;
  }
  let config: Config;
  try {
    config = loadConfig({ provider: opts.provider, model: opts.model, baseUrl: opts.baseUrl, thinking: opts.thinking as 'on' | 'off' | undefined });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    if (!err.concerns) {
      out.stderr(`glm: ${err.message}\n`);
      return DOCTOR_EXIT.config;
    }
    // No key or no usable base URL is what the doctor is for: the checklist shows it as the failed check.
    return report(format, undefined, unconfigured(err.concerns, err.message), started, out);
  }
  const [probes, sandbox, agents] = await Promise.all([runProbes(config, timeout.ms), sandboxCheck(config), agentsCheck(config)]);
  return report(format, config, [...evaluate(config, probes), sandbox, agents, visionCheck(config), webSearchCheck(config)], started, out);
}

/** The custom agents and skills this project's runs load, and each file skipped with why (a warning, never a failure). */
async function agentsCheck(config: Config): Promise<Check> {
  const { loadCatalog } = await import('../agents/catalog.ts');
  const c = await loadCatalog(config);
  const custom = c.agents.filter((a) => a.source !== 'built-in').length;
  const counts = `${custom} custom agent${custom === 1 ? '' : 's'}, ${c.skills.length} skill${c.skills.length === 1 ? '' : 's'}`;
  const untrusted = config.untrustedProject?.entries.some((e) => e.kind === 'agent' || e.kind === 'skill') ? "; this project's are not loaded until you trust it (glm trust)" : '';
  if (!c.warnings.length) return { id: 'agents', label: 'Agents & skills', status: 'pass', detail: `${counts}${untrusted}` };
  return { id: 'agents', label: 'Agents & skills', status: 'warn', detail: `${counts}${untrusted}; ${c.warnings.join('; ')}`, fix: 'correct the front matter of the files named (name, description; see the README)' };
}

function report(format: string, config: Subject, checks: Check[], started: number, out: Output): number {
  const ms = Date.now() - started;
  out.stdout(format === 'json' ? renderJson(config, checks, ms) : renderText(config, checks, ms));
  return checks.some((c) => c.status === 'fail') ? DOCTOR_EXIT.problems : DOCTOR_EXIT.ok;
}
