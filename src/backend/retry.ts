// Retries and stall detection for model requests. The SDK's own retries must be off (maxRetries: 0): it
// cannot tell a stream that already produced output from one that failed before it.
import type { StreamChunk } from './types.js';
import { BackendError, classifyError } from './errors.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound on a server's Retry-After. */
  maxRetryAfterMs?: number;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

/** Time allowed between two chunks once the answer has started. */
export const DEFAULT_IDLE_MS = 120_000;

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504, 529]);

/**
 * Worth another attempt: the server was unreachable, busy or failed before saying anything. Never a request
 * the server refused (4xx), an overflow (compaction handles it), a cancel, a first-token timeout (the server
 * is probably still working on the prompt; sending it again only queues more work), or anything after
 * output started (a tool call may already be half streamed).
 */
export function shouldRetry(err: BackendError): boolean {
  if (err.outputStarted) return false;
  switch (err.kind) {
    case 'connection':
    case 'stream_cut':
      return true;
    case 'http':
      return err.status !== undefined && RETRY_STATUS.has(err.status);
    default:
      return false;
  }
}

/** Delay before the next attempt; `attempt` is the 1-based number of the attempt that just failed. */
export function retryDelay(err: BackendError, attempt: number, policy: RetryPolicy): number {
  if (err.retryAfterMs !== undefined) {
    return Math.min(err.retryAfterMs, policy.maxRetryAfterMs ?? policy.maxDelayMs);
  }
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  // "Equal jitter": between half and the full delay, so clients that failed together spread out while the
  // announced wait stays meaningful.
  const r = (policy.random ?? Math.random)();
  return Math.round(exp / 2 + (exp / 2) * r);
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new BackendError('aborted', 'request aborted'));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new BackendError('aborted', 'request aborted'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function reasonOf(err: BackendError): string {
  if (err.kind === 'http') return `HTTP ${err.status ?? '?'}${err.detail ? `: ${err.detail.slice(0, 160)}` : ''}`;
  if (err.kind === 'stream_cut') return 'the stream was cut';
  return err.detail ?? err.kind;
}

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  signal: AbortSignal;
  baseUrl: string;
  /** `attempt` is the attempt about to start (2…maxAttempts); `restart`: the failed one had yielded chunks. */
  onRetry(info: { attempt: number; maxAttempts: number; delayMs: number; reason: string; restart?: boolean }): void;
  /**
   * Asked when an attempt fails after yielding: may it be made again? (True while no tool call has streamed:
   * the caller discards the partial text.) Without it, nothing is retried once output started.
   */
  retryAfterOutput?(): boolean;
}

/**
 * Runs start() and re-runs it after a retryable failure, as long as nothing has been yielded yet. Every
 * error leaving here is a BackendError; one after output started has `outputStarted: true`.
 */
export async function* streamWithRetry(
  start: () => AsyncIterable<StreamChunk>,
  opts: RetryOptions,
): AsyncIterable<StreamChunk> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...opts.policy };
  const sleep = policy.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    let yielded = false;
    try {
      for await (const chunk of start()) {
        yielded = true;
        yield chunk;
      }
      return;
    } catch (e) {
      const err = classifyError(e, opts.baseUrl);
      const restartable = yielded && (opts.retryAfterOutput?.() ?? false);
      if (yielded && !restartable) err.outputStarted = true;
      if (opts.signal.aborted && err.kind !== 'aborted') {
        throw new BackendError('aborted', 'request aborted', { baseUrl: opts.baseUrl, cause: e });
      }
      if (attempt >= policy.maxAttempts || !shouldRetry(err)) {
        if (yielded) err.outputStarted = true;
        throw err;
      }
      const delayMs = retryDelay(err, attempt, policy);
      opts.onRetry({ attempt: attempt + 1, maxAttempts: policy.maxAttempts, delayMs, reason: reasonOf(err), ...(yielded ? { restart: true } : {}) });
      try {
        await sleep(delayMs, opts.signal);
      } catch (s) {
        throw classifyError(s, opts.baseUrl);
      }
      if (opts.signal.aborted) throw new BackendError('aborted', 'request aborted', { baseUrl: opts.baseUrl });
    }
  }
}

export interface WatchdogOptions {
  firstTokenMs: number;
  idleMs: number;
  /** Abort the underlying request, so the server stops generating. */
  onTimeout(): void;
}

/** Ends a stream that goes quiet: no first chunk within firstTokenMs, or a gap longer than idleMs. */
export async function* withIdleWatchdog(
  chunks: AsyncIterable<StreamChunk>,
  opts: WatchdogOptions,
): AsyncIterable<StreamChunk> {
  const it = chunks[Symbol.asyncIterator]();
  let started = false;
  let finished = false;
  try {
    for (;;) {
      const ms = started ? opts.idleMs : opts.firstTokenMs;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), ms);
      });
      const next = it.next();
      const r = await Promise.race([next, timeout]).finally(() => clearTimeout(timer));
      if (r === 'timeout') {
        next.catch(() => undefined); // the aborted request rejects later; nobody is listening
        opts.onTimeout();
        const secs = Math.round(ms / 1000);
        throw new BackendError(
          'timeout',
          started ? `no data for ${secs}s` : `no first token within ${secs}s`,
          { detail: started ? `the stream stalled for ${secs}s` : `no output within ${secs}s`, outputStarted: started },
        );
      }
      if (r.done) {
        finished = true;
        return;
      }
      started = true;
      yield r.value;
    }
  } finally {
    if (!finished) void Promise.resolve(it.return?.()).catch(() => undefined);
  }
}

/** First-token deadline: a minute, plus 20 ms per prompt token for CPU prefill, at most 15 minutes. */
export function firstTokenBudgetMs(promptTokens: number): number {
  const tokens = Number.isFinite(promptTokens) && promptTokens > 0 ? promptTokens : 0;
  return Math.min(60_000 + 20 * tokens, 15 * 60_000);
}
