// The skills as the Skill tool's description lists them, within a budget. Pure; imports the Skill type only.
import type { Skill } from './skills.ts';

/** The skills as the model first sees them: name and description within `budget` characters, the rest by name. */
export function skillListing(skills: readonly Skill[], budget: number): string {
  const lines: string[] = [];
  const rest: string[] = [];
  let used = 0;
  for (const s of skills) {
    const line = `- ${s.name}: ${s.description.replace(/\s+/g, ' ')}`;
    if (rest.length === 0 && used + line.length + 1 <= budget) {
      lines.push(line);
      used += line.length + 1;
    } else rest.push(s.name);
  }
  if (rest.length) lines.push(`- Also available (call Skill to read them): ${rest.join(', ')}`);
  return lines.join('\n');
}
