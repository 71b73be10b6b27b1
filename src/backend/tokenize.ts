import type { TokenCounter } from '../core/tokens.js';
import type { ServerKind } from './serverInfo.js';
import { serverRoot } from './serverInfo.js';

// Exact token counts from the server's own tokenizer, for the few places where an estimate is not good
// enough (a large tool result against the window, the summary request). llama.cpp and vLLM both serve
// POST /tokenize at the server root, with different bodies:
//   llama.cpp  {"content": text}                → {"tokens": [ids]}   (a missing `content` gives [] with 200)
//   vLLM       {"model": m, "prompt": text}     → {"count": n, "tokens": [ids], "max_model_len": w}
// The endpoint is probed lazily, once, with a short text: the first large result pays for it, start-up
// never does. Any failure turns counting off for the session and the estimates are used quietly.

type Shape = 'llamacpp' | 'vllm';

export interface TokenCounterOptions {
  baseUrl: string;
  apiKey: string;
  model: () => string;
  /** The detected server kind: picks the body shape; Ollama and LM Studio have no such endpoint. */
  kind?: ServerKind;
  /** Deadline of the probe (default 1 500 ms); a count gets this plus a little per kilobyte. */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

const PROBE_TEXT = 'Hello, world: a probe of the tokenizer.';

function shapesFor(kind: ServerKind | undefined): Shape[] {
  if (kind === 'llamacpp') return ['llamacpp'];
  if (kind === 'vllm') return ['vllm'];
  if (kind === 'ollama' || kind === 'lmstudio') return [];
  // Unknown (a proxy, an older server): llama.cpp's body first; vLLM rejects it with 400 and gets its own.
  return ['llamacpp', 'vllm'];
}

function countOf(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { count, tokens } = body as { count?: unknown; tokens?: unknown };
  if (typeof count === 'number' && Number.isFinite(count) && count >= 0) return count;
  return Array.isArray(tokens) ? tokens.length : undefined;
}

export function createTokenCounter(options: TokenCounterOptions): TokenCounter {
  const doFetch = options.fetchImpl ?? fetch;
  const url = `${serverRoot(options.baseUrl)}/tokenize`;
  const timeoutMs = options.timeoutMs ?? 1500;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  async function request(shape: Shape, text: string, deadline: number, signal?: AbortSignal): Promise<number | undefined> {
    const body = shape === 'llamacpp' ? { content: text } : { model: options.model(), prompt: text, add_special_tokens: false };
    const timeout = AbortSignal.timeout(deadline);
    const res = await doFetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      return undefined;
    }
    return countOf(await res.json());
  }

  // One probe per session, shared by concurrent callers; resolves to the shape that counted, or none.
  let probe: Promise<Shape | undefined> | undefined;
  let off = false;
  const probeOnce = () =>
    (probe ??= (async () => {
      for (const shape of shapesFor(options.kind)) {
        // A server that ignores the body answers 0 tokens for a text that has some: not a counter.
        const n = await request(shape, PROBE_TEXT, timeoutMs).catch(() => undefined);
        if (n && n > 0) return shape;
      }
      return undefined;
    })());

  return async (text, signal) => {
    if (off || !text) return off ? undefined : 0;
    const shape = await probeOnce();
    if (!shape) {
      off = true;
      return undefined;
    }
    try {
      const n = await request(shape, text, timeoutMs + Math.ceil(text.length / 1024) * 20, signal);
      if (n === undefined) off = true;
      return n;
    } catch {
      if (!signal?.aborted) off = true; // a timeout or a dropped connection: estimates from now on
      return undefined;
    }
  };
}
