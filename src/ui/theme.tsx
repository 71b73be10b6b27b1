import React, { createContext, useContext } from 'react';

// Colours go through the theme so NO_COLOR can drop them while keeping bold/dim/inverse
// (chalk ignores NO_COLOR, and NO_COLOR is about colour, not emphasis).
export type ColorName =
  | 'accent' | 'user' | 'tool' | 'success' | 'error' | 'warning' | 'dim' | 'code' | 'link' | 'heading'
  | 'added' | 'removed' | 'addedBg' | 'removedBg' | 'mode.acceptEdits' | 'mode.plan' | 'mode.bypassPermissions';

const PALETTE: Record<ColorName, string> = {
  accent: '#d77757',
  user: 'gray',
  tool: 'green',
  success: 'green',
  error: 'red',
  warning: 'yellow',
  dim: 'gray',
  code: 'cyan',
  link: 'blue',
  heading: 'white',
  added: 'green',
  removed: 'red',
  // 256-colour codes: truecolor values collapse to the same grey on 256-colour terminals.
  addedBg: 'ansi256(22)',
  removedBg: 'ansi256(52)',
  'mode.acceptEdits': 'magenta',
  'mode.plan': 'cyan',
  'mode.bypassPermissions': 'red',
};

export interface Theme {
  color: boolean;
  /** Colour value for Ink's `color`/`backgroundColor`, or undefined when colours are off. */
  c(name: ColorName): string | undefined;
}

export function makeTheme(color: boolean): Theme {
  return { color, c: (name) => (color ? PALETTE[name] : undefined) };
}

/** NO_COLOR (any value, per no-color.org) or a dumb terminal turns colours off. */
export function colorFromEnv(env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}

const ThemeContext = createContext<Theme>(makeTheme(true));

export function ThemeProvider({ theme, children }: { theme: Theme; children?: React.ReactNode }) {
  return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
