// Which parts of the status line fit the terminal: a narrow terminal drops the least needed parts first (the
// shift+tab hint, the vision model, the provider …) so the tokens and the cost, which a user watches, stay in view.
// Pure: no ink.

export interface StatusPart {
  text: string;
  /** Higher stays longer; parts of equal priority go right to left. */
  priority: number;
  /** Joined to the part before with a space instead of " · ". */
  attached?: boolean;
}

const SEPARATOR = ' · ';

function widthOf(parts: readonly StatusPart[]): number {
  return parts.reduce((w, p, i) => w + [...p.text].length + (i === 0 ? 0 : p.attached ? 1 : SEPARATOR.length), 0);
}

/** The parts, in order, without those that do not fit `width` columns (the first part always stays). */
export function fitStatus(parts: readonly StatusPart[], width: number): StatusPart[] {
  const kept = [...parts];
  while (kept.length > 1 && widthOf(kept) > width) {
    let drop = 1;
    for (let i = 1; i < kept.length; i++) if (kept[i]!.priority <= kept[drop]!.priority) drop = i;
    kept.splice(drop, 1);
  }
  return kept;
}

/** The status line as text, parts joined as they are shown. */
export function joinStatus(parts: readonly StatusPart[]): string {
  return parts.map((p, i) => (i === 0 ? p.text : `${p.attached ? ' ' : SEPARATOR}${p.text}`)).join('');
}
