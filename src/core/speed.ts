// Time and speed of model requests: per answer (time to first token, prefill and decode rates, cached prompt
// tokens) and per session (the /cost summary). llama.cpp reports its own `timings`; otherwise claw's clock.
import type { ServerTimings } from '../backend/types.js';

export interface TurnStats {
  /** Request sent → first streamed token (text, reasoning or tool call). */
  ttftMs?: number;
  promptTokens: number;
  /** Prompt tokens the server took from its cache (llama.cpp cache_n / prompt_tokens_details.cached_tokens). */
  cachedTokens?: number;
  prefillTokensPerSecond?: number;
  completionTokens: number;
  decodeTokensPerSecond?: number;
  durationMs: number;
  /** Where the rates come from: the server's own timings, or claw's clock around the stream. */
  source: 'server' | 'clock';
}

export interface TurnClock {
  startedAt: number;
  firstTokenAt?: number;
  endedAt: number;
}

const rate = (tokens: number | undefined, ms: number | undefined): number | undefined =>
  tokens !== undefined && ms !== undefined && tokens > 0 && ms > 0 ? (tokens * 1000) / ms : undefined;

export function turnStats(
  clock: TurnClock,
  usage: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number } | undefined,
  timings: ServerTimings | undefined,
  estimates: { promptTokens: number; completionTokens: number },
): TurnStats {
  const ttftMs = clock.firstTokenAt !== undefined ? clock.firstTokenAt - clock.startedAt : undefined;
  const promptTokens = usage?.prompt_tokens ?? estimates.promptTokens;
  const completionTokens = usage?.completion_tokens ?? estimates.completionTokens;
  const cachedTokens = timings?.cache_n ?? usage?.cached_tokens;
  const base = { ttftMs, promptTokens, cachedTokens, completionTokens, durationMs: clock.endedAt - clock.startedAt };
  if (timings && (timings.prompt_ms !== undefined || timings.predicted_ms !== undefined)) {
    return {
      ...base,
      prefillTokensPerSecond: timings.prompt_per_second ?? rate(timings.prompt_n, timings.prompt_ms),
      decodeTokensPerSecond: timings.predicted_per_second ?? rate(timings.predicted_n, timings.predicted_ms),
      source: 'server',
    };
  }
  // From the clock: prefill is the uncached prompt over the time to first token (it includes the network and
  // queueing, so it errs low); decode is the completion over the time after the first token.
  const decodeMs = clock.firstTokenAt !== undefined ? clock.endedAt - clock.firstTokenAt : undefined;
  return {
    ...base,
    prefillTokensPerSecond: rate(promptTokens - (cachedTokens ?? 0), ttftMs),
    decodeTokensPerSecond: completionTokens > 1 ? rate(completionTokens - 1, decodeMs) : undefined,
    source: 'clock',
  };
}

export interface SpeedSummary {
  requests: number;
  apiMs: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  avgTtftMs?: number;
  prefillTokensPerSecond?: number;
  decodeTokensPerSecond?: number;
}

/** The session's running totals; rates are token-weighted over the answers that had one. */
export class SessionSpeed {
  private s = { requests: 0, apiMs: 0, prompt: 0, cached: 0, completion: 0, ttftSum: 0, ttftN: 0, prefillTok: 0, prefillMs: 0, decodeTok: 0, decodeMs: 0 };

  add(t: TurnStats): void {
    const s = this.s;
    s.requests += 1;
    s.apiMs += t.durationMs;
    s.prompt += t.promptTokens;
    s.cached += t.cachedTokens ?? 0;
    s.completion += t.completionTokens;
    if (t.ttftMs !== undefined) {
      s.ttftSum += t.ttftMs;
      s.ttftN += 1;
    }
    const prefilled = t.promptTokens - (t.cachedTokens ?? 0);
    if (t.prefillTokensPerSecond && prefilled > 0) {
      s.prefillTok += prefilled;
      s.prefillMs += (prefilled * 1000) / t.prefillTokensPerSecond;
    }
    if (t.decodeTokensPerSecond && t.completionTokens > 0) {
      s.decodeTok += t.completionTokens;
      s.decodeMs += (t.completionTokens * 1000) / t.decodeTokensPerSecond;
    }
  }

  summary(): SpeedSummary {
    const s = this.s;
    return {
      requests: s.requests,
      apiMs: s.apiMs,
      promptTokens: s.prompt,
      cachedTokens: s.cached,
      completionTokens: s.completion,
      avgTtftMs: s.ttftN ? s.ttftSum / s.ttftN : undefined,
      prefillTokensPerSecond: rate(s.prefillTok, s.prefillMs),
      decodeTokensPerSecond: rate(s.decodeTok, s.decodeMs),
    };
  }
}
