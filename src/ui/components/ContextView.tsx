import React from 'react';
import { Box, Text } from 'ink';
import type { ContextBreakdown } from '../state/transcript.js';
import { formatTokens } from '../format.js';
import { useTheme, type ColorName } from '../theme.js';

const PARTS: Array<{ key: keyof Omit<ContextBreakdown, 'window'>; label: string; glyph: string; color: ColorName }> = [
  { key: 'system', label: 'System prompt', glyph: '█', color: 'accent' },
  { key: 'tools', label: 'Tools', glyph: '▓', color: 'code' },
  { key: 'memory', label: 'Memory files', glyph: '▒', color: 'mode.acceptEdits' },
  { key: 'messages', label: 'Messages', glyph: '░', color: 'success' },
  { key: 'free', label: 'Free space', glyph: '·', color: 'dim' },
];

/** Cells per part, rounded so that the bar is exactly `cells` wide and no non-empty part vanishes. */
export function barCells(b: ContextBreakdown, cells: number): number[] {
  const total = Math.max(1, b.window);
  const raw = PARTS.map((p) => (Math.max(0, b[p.key]) / total) * cells);
  const out = raw.map((r) => (r > 0 && r < 1 ? 1 : Math.floor(r)));
  let diff = cells - out.reduce((a, n) => a + n, 0);
  // Give or take the rounding remainder on the free part (last), else the largest.
  const freeIdx = PARTS.length - 1;
  while (diff !== 0) {
    const idx = diff < 0 && out[freeIdx]! <= 0 ? out.indexOf(Math.max(...out)) : freeIdx;
    out[idx] = out[idx]! + Math.sign(diff);
    diff -= Math.sign(diff);
  }
  return out;
}

/** `/context`: a bar of what fills the window, then the numbers. */
export function ContextView({ breakdown, width }: { breakdown: ContextBreakdown; width: number }) {
  const t = useTheme();
  const cells = Math.max(20, Math.min(60, width - 4));
  const counts = barCells(breakdown, cells);
  const used = breakdown.window - breakdown.free;
  const pct = (n: number) => `${((n / Math.max(1, breakdown.window)) * 100).toFixed(1)}%`;
  return (
    <Box flexDirection="column">
      <Text bold>Context usage: {formatTokens(used)} / {formatTokens(breakdown.window)} tokens ({pct(used)})</Text>
      <Text>
        {PARTS.map((p, i) => (
          <Text key={p.key} color={t.c(p.color)}>{p.glyph.repeat(counts[i] ?? 0)}</Text>
        ))}
      </Text>
      {PARTS.map((p) => (
        <Text key={p.key}>
          <Text color={t.c(p.color)}>{p.glyph}</Text> {p.label.padEnd(14)} {formatTokens(breakdown[p.key]).padStart(7)} ({pct(breakdown[p.key])})
        </Text>
      ))}
    </Box>
  );
}
