import React from 'react';
import { Box, Text } from 'ink';
import type { PermissionMode } from '../../permissions/types.js';
import { useTheme } from '../theme.js';
import { terminalSafe } from '../terminalSafe.js';

export const AUTO_COMPACT_AT = 0.85;
/** The hint appears this far (fraction of the window) before auto-compaction. */
const HINT_MARGIN = 0.15;

const MODE_LABEL: Record<PermissionMode, string> = {
  default: 'default',
  acceptEdits: '⏵⏵ accept edits on',
  plan: '⏸ plan mode on',
  bypassPermissions: '⚠ bypass permissions on',
};

interface Props {
  model: string;
  mode: PermissionMode;
  contextUsed: number;
  contextWindow: number;
  hint?: string;
  width: number;
  /** What the request is doing (reading the prompt, generating at n tok/s), or the last answer's speed. */
  speed?: string;
}

export function compactHint(used: number, window: number): string | undefined {
  if (window <= 0) return undefined;
  const frac = used / window;
  if (frac < AUTO_COMPACT_AT - HINT_MARGIN) return undefined;
  const left = Math.max(0, Math.round(((AUTO_COMPACT_AT - frac) / AUTO_COMPACT_AT) * 100));
  return `Context left until auto-compact: ${left}%`;
}

/** model · mode · context %, with the auto-compact hint or a transient hint (e.g. "Press Ctrl+C again to exit"). */
export function StatusLine({ model, mode, contextUsed, contextWindow, hint, width, speed }: Props) {
  const t = useTheme();
  const pct = contextWindow > 0 ? Math.round((contextUsed / contextWindow) * 100) : 0;
  const modeColor = mode === 'default' ? t.c('dim') : t.c(`mode.${mode}`);
  const compact = compactHint(contextUsed, contextWindow);
  const right = hint ?? compact;
  return (
    <Box width={width} flexDirection="column">
      <Text wrap="truncate-end">
        <Text color={t.c('dim')}>{terminalSafe(model)} · </Text>
        <Text color={modeColor}>{MODE_LABEL[mode]}</Text>
        {mode !== 'default' && <Text color={t.c('dim')}> (shift+tab to cycle)</Text>}
        <Text color={t.c('dim')}> · {pct}% context</Text>
        {speed && <Text color={t.c('dim')}> · {speed}</Text>}
      </Text>
      {right && <Text color={hint ? t.c('dim') : t.c('warning')} wrap="truncate-end">{right}</Text>}
    </Box>
  );
}
