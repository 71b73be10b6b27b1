// Words for the speed events (src/core/speed.ts, events `phase` and `turn_stats`): the status line while a
// request runs and after each answer, and the /cost summary.
import type { AgentEvent } from '../core/events.js';
import type { Usage } from '../core/messages.js';
import type { SpeedSummary, TurnStats } from '../core/speed.js';

type Phase = Extract<AgentEvent, { type: 'phase' }>;

const num = (n: number): string => (n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : Math.round(n).toLocaleString('en-US'));
const rate = (n: number | undefined): string => (n === undefined ? '–' : n >= 100 ? `${Math.round(n).toLocaleString('en-US')}` : n.toFixed(1));
export const seconds = (ms: number): string => (ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : ms < 60_000 ? `${Math.round(ms / 1000)}s` : `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`);

/** `reading prompt 1,024/3,218 (5 cached)` or `generating 120 tokens · 28.1 tok/s`. */
export function formatPhase(phase: Phase): string {
  if (phase.phase === 'prompt') {
    if (phase.processed === undefined || !phase.total) return 'reading prompt';
    const pct = Math.round((phase.processed / phase.total) * 100);
    return `reading prompt ${num(phase.processed)}/${num(phase.total)} (${pct}%${phase.cached ? `, ${num(phase.cached)} cached` : ''})`;
  }
  return `generating${phase.tokens ? ` ~${num(phase.tokens)} tokens` : ''}${phase.tokensPerSecond ? ` · ${rate(phase.tokensPerSecond)} tok/s` : ''}`;
}

/** After an answer: `first token 2.8s · prefill 1,139 tok/s · decode 28.1 tok/s · 3,218 cached`. */
export function formatTurnStats(s: TurnStats): string {
  const parts: string[] = [];
  if (s.ttftMs !== undefined) parts.push(`first token ${seconds(s.ttftMs)}`);
  if (s.prefillTokensPerSecond !== undefined) parts.push(`prefill ${rate(s.prefillTokensPerSecond)} tok/s`);
  if (s.decodeTokensPerSecond !== undefined) parts.push(`decode ${rate(s.decodeTokensPerSecond)} tok/s`);
  if (s.cachedTokens !== undefined) parts.push(`${num(s.cachedTokens)} cached`);
  return parts.join(' · ');
}

/** /cost: the session's time and speed, and money only when prices are set. */
export function formatCostReport(opts: {
  usage: Usage;
  speed?: SpeedSummary;
  sessionMs: number;
  prices?: { input?: number; output?: number };
}): string {
  const { usage, speed, prices } = opts;
  const lines: string[] = [];
  const requests = speed ? ` · ${speed.requests} request${speed.requests === 1 ? '' : 's'} · waiting on the model ${seconds(speed.apiMs)}` : '';
  lines.push(`Session time:  ${seconds(opts.sessionMs)}${requests}`);
  const cached = usage.cache_read_input_tokens;
  const share = cached && usage.input_tokens ? ` (${num(cached)} from the server's cache, ${Math.round((cached / usage.input_tokens) * 100)}%)` : '';
  lines.push(`Tokens:        ${usage.input_tokens.toLocaleString('en-US')} input${share} · ${usage.output_tokens.toLocaleString('en-US')} output`);
  if (speed && speed.requests > 0) {
    const parts = [
      speed.avgTtftMs !== undefined ? `first token ${seconds(speed.avgTtftMs)} on average` : undefined,
      speed.prefillTokensPerSecond !== undefined ? `prefill ${rate(speed.prefillTokensPerSecond)} tok/s` : undefined,
      speed.decodeTokensPerSecond !== undefined ? `decode ${rate(speed.decodeTokensPerSecond)} tok/s` : undefined,
    ].filter(Boolean);
    if (parts.length) lines.push(`Speed:         ${parts.join(' · ')}`);
  }
  if (prices?.input || prices?.output) {
    const cost = (usage.input_tokens * (prices.input ?? 0) + usage.output_tokens * (prices.output ?? 0)) / 1_000_000;
    lines.push(`Cost:          $${cost.toFixed(4)}`);
  }
  return lines.join('\n');
}
