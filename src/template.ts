// Fills {{placeholders}} in prompt and tool-description Markdown. Imports nothing.
// Unknown or missing placeholders throw, so the text can never drift from the values the code uses.

export function renderTemplate(template: string, values: Record<string, string | number>): string {
  const used = new Set<string>();
  const text = template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`template placeholder {{${key}}} has no value`);
    used.add(key);
    return String(values[key]);
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length) throw new Error(`template has no placeholder for: ${unused.join(', ')}`);
  return text;
}
