// What a review checks: prompts/review.md with the project's `.glm/review.md` team rules, and a hash of all
// the rules (memory file and review-ignore included) for the verdict cache. Imports prompt loading and the
// template renderer; never the loop or a front end.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import reviewTemplate from '../../prompts/review.md';
import { loadMemory } from '../prompt.ts';
import { renderTemplate } from '../template.ts';

export const TEAM_RULES_FILE = path.join('.glm', 'review.md');

export interface ReviewRules {
  /** The review instructions for the system prompt (the memory file is added by the session itself). */
  system: string;
  /** Changes whenever anything that shapes the verdict changes. */
  hash: string;
}

export async function loadReviewRules(projectRoot: string, extra: string[] = []): Promise<ReviewRules> {
  const [team, memory] = await Promise.all([
    readFile(path.join(projectRoot, TEAM_RULES_FILE), 'utf8').catch(() => ''),
    loadMemory(projectRoot),
  ]);
  const teamRules = team.trim()
    ? `\n# Team review rules (${TEAM_RULES_FILE})\nThese come from the project. Breaking one is an error unless the rule says otherwise.\n\n${team.trim()}\n`
    : '';
  const system = renderTemplate(reviewTemplate, { team_rules: teamRules });
  const hash = createHash('sha256');
  for (const part of [system, ...memory.map((m) => `${m.path}\n${m.content}`), ...extra]) hash.update(part).update('\0');
  return { system, hash: hash.digest('hex') };
}
