import { describe, expect, it } from 'vitest';
import { APIError } from 'openai';
import { BackendError } from '../../src/backend/errors.js';
import {
  DEFAULT_RETRY_POLICY,
  firstTokenBudgetMs,
  retryDelay,
  shouldRetry,
  streamWithRetry,
  withIdleWatchdog,
  type RetryPolicy,
} from '../../src/backend/retry.js';
import type { StreamChunk } from '../../src/backend/types.js';

const URL_ = 'http://localhost:8000/v1';
const http = (status: number, extra: Partial<BackendError> = {}) => Object.assign(new BackendError('http', `HTTP ${status}`, { status }), extra);

describe('shouldRetry', () => {
  const table: [string, BackendError, boolean][] = [
    ['connection refused', new BackendError('connection', 'x'), true],
    ['429', http(429), true],
    ['500', http(500), true],
    ['502', http(502), true],
    ['503', http(503), true],
    ['504', http(504), true],
    ['stream cut before output', new BackendError('stream_cut', 'x'), true],
    ['400', http(400), false],
    ['401', http(401), false],
    ['403', http(403), false],
    ['404', http(404), false],
    ['422', http(422), false],
    ['overflow', new BackendError('overflow', 'x', { status: 400 }), false],
    ['aborted', new BackendError('aborted', 'x'), false],
    ['first-token timeout', new BackendError('timeout', 'x'), false],
    ['bad response', new BackendError('bad_response', 'x'), false],
    ['stream cut after output', new BackendError('stream_cut', 'x', { outputStarted: true }), false],
    ['503 after output', http(503, { outputStarted: true }), false],
  ];
  for (const [label, err, expected] of table) it(`${label} → ${expected}`, () => expect(shouldRetry(err)).toBe(expected));
});

describe('retryDelay', () => {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 20_000 };
  it('grows exponentially, jittered between half and the full step, capped', () => {
    const lo = { ...policy, random: () => 0 };
    const hi = { ...policy, random: () => 1 };
    const err = http(503);
    expect([1, 2, 3, 4, 5].map((a) => retryDelay(err, a, hi))).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect([1, 2, 3, 4, 5].map((a) => retryDelay(err, a, lo))).toEqual([500, 1000, 2000, 4000, 4000]);
  });
  it('Retry-After wins, capped', () => {
    expect(retryDelay(http(429, { retryAfterMs: 12_000 }), 1, policy)).toBe(12_000);
    expect(retryDelay(http(429, { retryAfterMs: 3_600_000 }), 1, policy)).toBe(20_000);
    expect(retryDelay(http(503, { retryAfterMs: 0 }), 3, policy)).toBe(0);
  });
});

type Script = (StreamChunk | Error)[];
function scripted(attempts: Script[]): { start: () => AsyncIterable<StreamChunk>; calls: () => number } {
  let n = 0;
  return {
    calls: () => n,
    start: () => {
      const script = attempts[n++] ?? [];
      return (async function* () {
        for (const step of script) {
          if (step instanceof Error) throw step;
          yield step;
        }
      })();
    },
  };
}

const noSleep = async () => undefined;
async function drain(it: AsyncIterable<StreamChunk>): Promise<StreamChunk[]> {
  const out: StreamChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
}

describe('streamWithRetry', () => {
  it('retries a 503, then a cut before output, then succeeds; reports each retry', async () => {
    const s = scripted([
      [APIError.generate(503, { error: { message: 'server busy' } }, undefined, new Headers({ 'retry-after': '1' }))],
      [new TypeError('terminated')],
      [{ type: 'text', text: 'ok' }, { type: 'finish', reason: 'stop' }],
    ]);
    const retries: unknown[] = [];
    const out = await drain(
      streamWithRetry(s.start, { signal: new AbortController().signal, baseUrl: URL_, policy: { sleep: noSleep, random: () => 1 }, onRetry: (i) => retries.push(i) }),
    );
    expect(out).toEqual([{ type: 'text', text: 'ok' }, { type: 'finish', reason: 'stop' }]);
    expect(s.calls()).toBe(3);
    expect(retries).toEqual([
      { attempt: 2, maxAttempts: 5, delayMs: 1000, reason: 'HTTP 503: server busy' },
      { attempt: 3, maxAttempts: 5, delayMs: 2000, reason: 'the stream was cut' },
    ]);
  });

  it('never re-runs a stream that already produced output', async () => {
    const s = scripted([[{ type: 'tool_call_delta', index: 0, id: 'c1', name: 'Bash', arguments: '{"comm' }, new TypeError('terminated')], []]);
    const seen: StreamChunk[] = [];
    const run = (async () => {
      for await (const c of streamWithRetry(s.start, { signal: new AbortController().signal, baseUrl: URL_, policy: { sleep: noSleep }, onRetry: () => undefined })) seen.push(c);
    })();
    const err = await run.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toMatchObject({ kind: 'stream_cut', outputStarted: true, baseUrl: URL_ });
    expect(s.calls()).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it('does not retry a 401 and throws a BackendError', async () => {
    const s = scripted([[APIError.generate(401, { error: { message: 'bad key' } }, undefined, new Headers())]]);
    await expect(drain(streamWithRetry(s.start, { signal: new AbortController().signal, baseUrl: URL_, policy: { sleep: noSleep }, onRetry: () => undefined }))).rejects.toMatchObject({
      kind: 'http',
      status: 401,
    });
    expect(s.calls()).toBe(1);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const s = scripted([[refused()], [refused()], [refused()]]);
    const retries: number[] = [];
    await expect(
      drain(streamWithRetry(s.start, { signal: new AbortController().signal, baseUrl: URL_, policy: { sleep: noSleep, maxAttempts: 3 }, onRetry: (i) => retries.push(i.attempt) })),
    ).rejects.toMatchObject({ kind: 'connection' });
    expect(s.calls()).toBe(3);
    expect(retries).toEqual([2, 3]);
  });

  it('Ctrl-C during the backoff wait ends with an abort, without another attempt', async () => {
    const ac = new AbortController();
    const s = scripted([[http(503)], [{ type: 'text', text: 'never' }]]);
    const p = drain(streamWithRetry(s.start, { signal: ac.signal, baseUrl: URL_, policy: { baseDelayMs: 10_000 }, onRetry: () => setTimeout(() => ac.abort(), 10) }));
    await expect(p).rejects.toMatchObject({ kind: 'aborted' });
    expect(s.calls()).toBe(1);
  });

  it('an abort error from the request is reported as aborted, not retried', async () => {
    const ac = new AbortController();
    ac.abort();
    const s = scripted([[new TypeError('terminated')]]);
    await expect(drain(streamWithRetry(s.start, { signal: ac.signal, baseUrl: URL_, policy: { sleep: noSleep }, onRetry: () => undefined }))).rejects.toMatchObject({ kind: 'aborted' });
    expect(s.calls()).toBe(1);
  });
});

describe('withIdleWatchdog', () => {
  function timed(steps: [number, StreamChunk][], onCancel?: () => void): AsyncIterable<StreamChunk> {
    return (async function* () {
      try {
        for (const [delay, chunk] of steps) {
          await new Promise((r) => setTimeout(r, delay));
          yield chunk;
        }
      } finally {
        onCancel?.();
      }
    })();
  }
  const t = (s: string): StreamChunk => ({ type: 'text', text: s });

  it('passes a lively stream through', async () => {
    const out = await drain(withIdleWatchdog(timed([[5, t('a')], [5, t('b')]]), { firstTokenMs: 200, idleMs: 200, onTimeout: () => undefined }));
    expect(out).toEqual([t('a'), t('b')]);
  });

  it('times out waiting for the first token, aborting the request', async () => {
    let aborted = 0;
    const p = drain(withIdleWatchdog(timed([[500, t('late')]]), { firstTokenMs: 30, idleMs: 1000, onTimeout: () => aborted++ }));
    await expect(p).rejects.toMatchObject({ kind: 'timeout', outputStarted: false });
    expect(aborted).toBe(1);
  });

  it('times out on a stall after output started; the first-token budget does not apply then', async () => {
    let aborted = 0;
    const seen: StreamChunk[] = [];
    const p = (async () => {
      for await (const c of withIdleWatchdog(timed([[60, t('a')], [10, t('b')], [400, t('c')]]), { firstTokenMs: 200, idleMs: 40, onTimeout: () => aborted++ })) seen.push(c);
    })();
    await expect(p).rejects.toMatchObject({ kind: 'timeout', outputStarted: true });
    expect(seen).toEqual([t('a'), t('b')]);
    expect(aborted).toBe(1);
  });

  it('a watchdog timeout after output is not retried by streamWithRetry', async () => {
    let attempts = 0;
    const start = () => {
      attempts++;
      return withIdleWatchdog(timed([[1, t('a')], [300, t('b')]]), { firstTokenMs: 100, idleMs: 20, onTimeout: () => undefined });
    };
    await expect(drain(streamWithRetry(start, { signal: new AbortController().signal, baseUrl: URL_, policy: { sleep: noSleep }, onRetry: () => undefined }))).rejects.toMatchObject({
      kind: 'timeout',
    });
    expect(attempts).toBe(1);
  });

  it('propagates errors from the stream itself', async () => {
    async function* bad(): AsyncIterable<StreamChunk> {
      yield t('a');
      throw new TypeError('terminated');
    }
    await expect(drain(withIdleWatchdog(bad(), { firstTokenMs: 100, idleMs: 100, onTimeout: () => undefined }))).rejects.toThrow('terminated');
  });
});

describe('firstTokenBudgetMs', () => {
  it('is long, grows with the prompt, and is capped', () => {
    expect(firstTokenBudgetMs(0)).toBe(60_000);
    expect(firstTokenBudgetMs(10_000)).toBe(260_000);
    expect(firstTokenBudgetMs(30_000)).toBeGreaterThan(300_000); // past undici's 300 s headers timeout
    expect(firstTokenBudgetMs(1_000_000)).toBe(900_000);
    expect(firstTokenBudgetMs(Number.NaN)).toBe(60_000);
  });
});

describe('streamWithRetry against the scripted server (real SDK errors)', () => {
  it('503, then a stream cut before output, then success', async () => {
    const { startScriptedServer } = await import('../support/scripted-server.mjs');
    const OpenAI = (await import('openai')).default;
    const server = await startScriptedServer({
      replies: [{ error: { status: 503, message: 'server busy, please try again.  maximum pending requests exceeded' } }, { text: 'x', cutAfterChunks: 1 }, { text: 'hello there' }],
    });
    try {
      const sdk = new OpenAI({ baseURL: server.url, apiKey: 'local', maxRetries: 0 });
      const start = () =>
        (async function* (): AsyncIterable<StreamChunk> {
          const s = await sdk.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true });
          for await (const c of s) {
            const content = c.choices[0]?.delta?.content;
            if (content) yield { type: 'text', text: content };
          }
        })();
      const reasons: string[] = [];
      const out = await drain(streamWithRetry(start, { signal: new AbortController().signal, baseUrl: server.url, policy: { baseDelayMs: 5 }, onRetry: (i) => reasons.push(i.reason) }));
      expect(out.map((c) => (c.type === 'text' ? c.text : '')).join('')).toBe('hello there');
      expect(reasons).toEqual(['HTTP 503: server busy, please try again.  maximum pending requests exceeded', 'the stream was cut']);
      expect(server.chatRequests()).toHaveLength(3);
    } finally {
      await server.close();
    }
  });
});
