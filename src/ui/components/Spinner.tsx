import React, { useEffect, useState } from 'react';
import { Text } from 'ink';
import { useTheme } from '../theme.js';
import { formatTokens } from '../format.js';

const FRAMES = ['·', '✢', '✳', '✶', '✻', '✽', '✻', '✶', '✳', '✢'];

interface Props {
  startedAt: number;
  tokens: number;
  label: string;
  /** Frame interval; the spinner is the only thing that re-renders on its own. */
  intervalMs?: number;
}

/** `✻ Working… (12s · ↓ 340 tokens · esc to interrupt)` */
export function Spinner({ startedAt, tokens, label, intervalMs = 120 }: Props) {
  const t = useTheme();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setTick((n) => n + 1), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  const seconds = Math.floor((Date.now() - startedAt) / 1000);
  return (
    <Text>
      <Text color={t.c('accent')}>{FRAMES[tick % FRAMES.length]} </Text>
      <Text color={t.c('accent')}>{label}… </Text>
      <Text color={t.c('dim')}>
        ({seconds}s{tokens > 0 ? ` · ↓ ${formatTokens(tokens)} tokens` : ''} · esc to interrupt)
      </Text>
    </Text>
  );
}
