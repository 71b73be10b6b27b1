import type { AgentEvent } from './events.js';
import type { ChatMessage, ToolCall, ToolSchema } from './messages.js';
import type { ModelClient, ModelRequest, ServerTimings, StreamChunk } from '../backend/types.js';
import { ToolCallAccumulator } from '../backend/accumulate.js';
import { normalizeStream } from '../backend/normalize.js';
import { turnStats, type TurnStats } from './speed.js';
import { estimateTokens } from './tokens.js';
import { DEFAULT_IDLE_MS, firstTokenBudgetMs, streamWithRetry, withIdleWatchdog, type RetryPolicy } from '../backend/retry.js';

export interface TurnRequest {
  client: ModelClient;
  model: string;
  system: string;
  messages: readonly ChatMessage[];
  tools: ToolSchema[];
  sampling: Pick<ModelRequest, 'temperature' | 'top_p' | 'max_tokens' | 'extra'>;
  promptTokens: number;
  /** User-set deadlines (settings `firstTokenTimeoutMs`/`idleTimeoutMs`); default: scaled to the prompt, 120 s. */
  timeouts?: { firstTokenMs?: number; idleMs?: number };
  retryPolicy?: Partial<RetryPolicy>;
  /** The model thinks in its content (by name, or an earlier turn had think tags): hold text until </think>. */
  expectReasoning?: boolean;
  onThinkTags?: () => void;
}

/** How requests are made: user-set deadlines and the retry policy (tests shorten its delays). */
export type TurnTransport = Pick<TurnRequest, 'timeouts' | 'retryPolicy'>;

export interface TurnResult {
  text: string;
  toolCalls: ToolCall[];
  finishReason: string | undefined;
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };
  /** The server's id of this completion, when it sent one. */
  id?: string;
  stats?: TurnStats;
}

/** How often the generating phase reports its rate. */
const PHASE_EVERY_MS = 500;

/**
 * Streams one chat completion: retries what is safe to retry, watches for stalls, separates reasoning,
 * promotes tool calls written as text, and assembles structured calls. Yields display events; returns
 * the finished turn. Throws a BackendError when the request fails for good.
 */
export async function* streamModelTurn(req: TurnRequest, signal: AbortSignal): AsyncGenerator<AgentEvent, TurnResult> {
  const request: ModelRequest = {
    model: req.model,
    messages: [{ role: 'system', content: req.system }, ...req.messages],
    tools: req.tools,
    ...req.sampling,
  };
  const retryEvents: AgentEvent[] = [];
  let wake: (() => void) | undefined;
  const toolNames = req.tools.map((t) => t.function.name);
  const start = () => {
    // Each attempt gets its own controller so the watchdog can cancel a stalled request.
    const attempt = new AbortController();
    const onAbort = () => attempt.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const raw = withIdleWatchdog(req.client.stream(request, attempt.signal), {
      firstTokenMs: req.timeouts?.firstTokenMs ?? firstTokenBudgetMs(req.promptTokens),
      idleMs: req.timeouts?.idleMs ?? DEFAULT_IDLE_MS,
      onTimeout: () => attempt.abort(),
    });
    const normalized = normalizeStream(raw, { toolNames, expectReasoning: req.expectReasoning, onThinkTags: req.onThinkTags });
    return (async function* () {
      try {
        yield* normalized;
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    })();
  };
  let toolCallStreamed = false;
  const chunks = streamWithRetry(start, {
    signal,
    baseUrl: req.client.baseUrl,
    policy: req.retryPolicy,
    // A failure after text but before any tool call is safe to make again: the partial text is withdrawn.
    retryAfterOutput: () => !toolCallStreamed,
    onRetry: (info) => {
      retryEvents.push({ type: 'retry', ...info });
      wake?.();
    },
  });

  let calls = new ToolCallAccumulator();
  let text = '';
  let reasoning = '';
  let finishReason: string | undefined;
  let usage: TurnResult['usage'];
  let id: string | undefined;
  let timings: ServerTimings | undefined;
  const startedAt = Date.now();
  let firstTokenAt: number | undefined;
  let generatedChars = 0;
  let lastPhaseAt = 0;
  /** Called for every generated piece: the first one ends the prompt phase; then the rate, now and then. */
  const generated = (chars: number): AgentEvent | undefined => {
    const now = Date.now();
    generatedChars += chars;
    if (firstTokenAt === undefined) {
      firstTokenAt = now;
      lastPhaseAt = now;
      return { type: 'phase', phase: 'generating', tokens: Math.ceil(generatedChars / 4) };
    }
    if (now - lastPhaseAt < PHASE_EVERY_MS) return undefined;
    lastPhaseAt = now;
    const tokens = Math.ceil(generatedChars / 4);
    return { type: 'phase', phase: 'generating', tokens, tokensPerSecond: now > firstTokenAt ? (tokens * 1000) / (now - firstTokenAt) : undefined };
  };
  const iterator = chunks[Symbol.asyncIterator]();
  yield { type: 'phase', phase: 'prompt' };
  try {
    for (;;) {
      // Race the next chunk against retry notices so "retrying in 4s" shows while claw waits.
      const pending = iterator.next();
      let next: IteratorResult<StreamChunk> | undefined;
      while (!next) {
        const woken = new Promise<undefined>((resolve) => (wake = () => resolve(undefined)));
        next = await Promise.race([pending, woken]);
        while (retryEvents.length) {
          const retry = retryEvents.shift()!;
          if (retry.type === 'retry' && retry.restart) {
            // Start over: what the failed attempt streamed is not part of the answer.
            text = '';
            reasoning = '';
            calls = new ToolCallAccumulator();
            finishReason = undefined;
            usage = undefined;
            id = undefined;
            firstTokenAt = undefined;
            generatedChars = 0;
            yield { type: 'text_retracted', reason: 'retry' };
          }
          yield retry;
        }
      }
      if (next.done) break;
      const chunk = next.value;
      const piece = chunk.type === 'text' || chunk.type === 'reasoning' ? chunk.text.length : chunk.type === 'tool_call_delta' ? (typeof chunk.arguments === 'string' ? chunk.arguments.length : 1) : 0;
      if (piece > 0) {
        const phase = generated(piece);
        if (phase) yield phase;
      }
      switch (chunk.type) {
        case 'text':
          text += chunk.text;
          yield { type: 'text_delta', text: chunk.text };
          break;
        case 'reasoning':
          reasoning += chunk.text;
          yield { type: 'reasoning_delta', text: chunk.text };
          break;
        case 'tool_call_delta':
          toolCallStreamed = true;
          calls.push(chunk);
          break;
        case 'progress':
          if (firstTokenAt === undefined) yield { type: 'phase', phase: 'prompt', processed: chunk.processed, total: chunk.total, cached: chunk.cached };
          break;
        case 'timings':
          timings = chunk.timings;
          break;
        case 'retract':
          text = '';
          yield { type: 'text_retracted', reason: 'reasoning' };
          break;
        case 'usage':
          usage = { prompt_tokens: chunk.prompt_tokens, completion_tokens: chunk.completion_tokens, cached_tokens: chunk.cached_tokens };
          break;
        case 'finish':
          finishReason ??= chunk.reason;
          break;
        case 'message_id':
          id = chunk.id;
          break;
      }
    }
  } catch (error) {
    // Interrupted mid-answer: keep what was said (it stays in the conversation); calls never run.
    if (signal.aborted) return { text, toolCalls: [], finishReason: 'aborted', usage };
    throw error;
  }
  // A stream that ended because of the abort (some layers end quietly rather than throw).
  if (signal.aborted) return { text, toolCalls: [], finishReason: 'aborted', usage };
  if (!text.trim() && calls.size === 0 && reasoning.trim() && finishReason !== 'length') {
    // A mismatched reasoning parser can put the whole answer in the reasoning field (vllm-project/vllm#19839).
    text = reasoning.trim();
    yield { type: 'warning', message: 'The server sent the answer only as reasoning; showing it as the answer.' };
    yield { type: 'text_delta', text };
  }
  const toolCalls = calls.finish();
  const stats = turnStats({ startedAt, firstTokenAt, endedAt: Date.now() }, usage, timings, {
    promptTokens: req.promptTokens,
    completionTokens: estimateTokens(text) + estimateTokens(reasoning) + estimateTokens(JSON.stringify(toolCalls)),
  });
  yield { type: 'turn_stats', stats };
  return { text, toolCalls, finishReason, usage, stats, ...(id ? { id } : {}) };
}
