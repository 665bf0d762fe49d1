// Colours for the REPL: one palette that reads on dark and light backgrounds, none at all under NO_COLOR.
// Pure functions over the environment; imports nothing from ink/react.

export interface Theme {
  color: boolean;
  /** Ink colour names, or undefined (no colour). */
  accent?: string;
  user?: string;
  success?: string;
  error?: string;
  warn?: string;
  muted?: string;
  added?: string;
  removed?: string;
  hunk?: string;
}

/** NO_COLOR (any non-empty value) turns colour off; COLORFGBG tells light from dark backgrounds. */
export function themeFromEnv(env: NodeJS.ProcessEnv = process.env): Theme {
  if (env.NO_COLOR) return { color: false };
  const light = isLightBackground(env.COLORFGBG);
  return {
    color: true,
    accent: light ? 'blue' : 'cyan',
    user: light ? 'magenta' : 'magentaBright',
    success: 'green',
    error: 'red',
    warn: light ? 'yellow' : 'yellowBright',
    muted: 'gray',
    added: 'green',
    removed: 'red',
    hunk: light ? 'blue' : 'cyan',
  };
}

function isLightBackground(colorfgbg: string | undefined): boolean {
  const bg = Number(colorfgbg?.split(';').pop());
  return Number.isInteger(bg) && (bg === 7 || bg >= 9);
}

const COLOR_PARAM = /^(3[0-9]|4[0-9]|9[0-7]|10[0-7])$/;

/** Drops colour parameters from SGR sequences, keeping bold/italic/underline/dim/inverse. */
export function stripColors(text: string): string {
  return text.replace(/\x1b\[([\d;]*)m/g, (_, params: string) => {
    const out: string[] = [];
    const parts = params.split(';');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (p === '38' || p === '48') {
        i += parts[i + 1] === '5' ? 2 : 4; // 256-colour or truecolour arguments
        continue;
      }
      if (!COLOR_PARAM.test(p)) out.push(p);
    }
    return out.length ? `\x1b[${out.join(';')}m` : '';
  });
}
