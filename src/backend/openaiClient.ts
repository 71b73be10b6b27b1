import OpenAI from 'openai';
import type { ModelClient, ModelRequest, ServerTimings, StreamChunk } from './types.js';

// Node's fetch gives up after 300 s without response headers, and a CPU-only server can spend longer than
// that on prefill; claw applies its own first-token and idle deadlines instead (retry.ts). Node keeps its
// fetch dispatcher (an undici Agent, created by the first fetch) on a well-known global symbol: a second
// Agent of that class without the limits avoids bundling npm undici (700 KB, ~100 ms of start-up).
const DISPATCHER_KEY = Symbol.for('undici.globalDispatcher.1');
let patient: unknown;

export function patientDispatcher(): unknown {
  if (patient) return patient;
  const Agent = (globalThis as Record<symbol, { constructor?: unknown } | undefined>)[DISPATCHER_KEY]?.constructor;
  if (typeof Agent === 'function' && Agent.name === 'Agent') {
    try {
      patient = new (Agent as new (options: object) => unknown)({ headersTimeout: 0, bodyTimeout: 0 });
    } catch {
      patient = undefined; // an unknown Node version: keep the default dispatcher
    }
  }
  return patient;
}

export function createOpenAIClient(options: { baseUrl: string; apiKey: string }): ModelClient {
  const sdk = new OpenAI({
    baseURL: options.baseUrl,
    apiKey: options.apiKey,
    maxRetries: 0, // claw retries itself, visibly (retry.ts)
    timeout: 24 * 60 * 60 * 1000,
  });

  // Some gateways reject `stream_options` (or the extra sampling fields); after one 400 naming them,
  // claw sends requests without them for the rest of the run.
  const rejected = new Set<string>();

  return {
    baseUrl: options.baseUrl,
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<StreamChunk> {
      const body: Record<string, unknown> = {
        model: request.model,
        messages: request.messages,
        stream: true,
        stream_options: { include_usage: true },
      };
      if (request.tools.length > 0) body.tools = request.tools;
      if (request.temperature !== undefined) body.temperature = request.temperature;
      if (request.top_p !== undefined) body.top_p = request.top_p;
      if (request.max_tokens !== undefined) body.max_tokens = request.max_tokens;
      Object.assign(body, request.extra);
      const create = () => {
        for (const field of rejected) delete body[field];
        return sdk.chat.completions.create(body as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming, {
          signal,
          fetchOptions: { dispatcher: patientDispatcher() } as Record<string, unknown>,
        });
      };
      let stream;
      try {
        stream = await create();
      } catch (error) {
        const optional = ['stream_options', ...Object.keys(request.extra ?? {})];
        const named = error instanceof OpenAI.APIError && error.status === 400 ? optional.filter((f) => error.message.includes(f) && !rejected.has(f)) : [];
        if (named.length === 0) throw error;
        for (const field of named) rejected.add(field);
        stream = await create();
      }
      let id: string | undefined;
      for await (const chunk of stream) {
        for (const out of normaliseChunk(chunk)) {
          // never alone: a bare id chunk would count as the first token for the watchdog
          if (id === undefined && typeof chunk.id === 'string' && chunk.id) yield { type: 'message_id', id: (id = chunk.id) };
          yield out;
        }
      }
    },
  };
}

/** Maps one SDK chunk to claw's chunks; reasoning may come as `reasoning_content` or `reasoning`. */
export function* normaliseChunk(chunk: OpenAI.Chat.ChatCompletionChunk): Generator<StreamChunk> {
  const extra = chunk as unknown as { timings?: ServerTimings; prompt_progress?: { processed?: unknown; total?: unknown; cache?: unknown } };
  const progress = extra.prompt_progress;
  if (progress && typeof progress.processed === 'number' && typeof progress.total === 'number') {
    yield { type: 'progress', processed: progress.processed, total: progress.total, cached: typeof progress.cache === 'number' ? progress.cache : undefined };
  }
  if (chunk.usage) {
    const cached = chunk.usage.prompt_tokens_details?.cached_tokens;
    yield {
      type: 'usage',
      prompt_tokens: chunk.usage.prompt_tokens ?? 0,
      completion_tokens: chunk.usage.completion_tokens ?? 0,
      ...(typeof cached === 'number' ? { cached_tokens: cached } : {}),
    };
  }
  if (extra.timings && typeof extra.timings === 'object') yield { type: 'timings', timings: extra.timings };
  const choice = chunk.choices?.[0];
  if (!choice) return;
  const delta = (choice.delta ?? {}) as Record<string, unknown> & OpenAI.Chat.ChatCompletionChunk.Choice.Delta;
  const reasoning = delta.reasoning_content ?? delta.reasoning;
  if (typeof reasoning === 'string' && reasoning) yield { type: 'reasoning', text: reasoning };
  if (typeof delta.content === 'string' && delta.content) yield { type: 'text', text: delta.content };
  for (const call of delta.tool_calls ?? []) {
    const fn = call.function as { name?: string; arguments?: string | Record<string, unknown> } | undefined;
    yield {
      type: 'tool_call_delta',
      index: typeof call.index === 'number' ? call.index : undefined,
      id: call.id || undefined,
      name: fn?.name || undefined,
      arguments: fn?.arguments ?? undefined,
    };
  }
  if (choice.finish_reason) yield { type: 'finish', reason: choice.finish_reason };
}
