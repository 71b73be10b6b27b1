// Type declarations for scripted-server.mjs (plain JS so node runs it without a build).

export interface ScriptedToolCall {
  name: string;
  /** An object is JSON-stringified; a string is sent verbatim (may be deliberately broken JSON). */
  arguments: string | Record<string, unknown>;
  id?: string;
}

export interface ScriptedReply {
  /** Assistant content, streamed in chunks of `chunkSize` characters. */
  text?: string;
  /** Streamed before the text as delta.reasoning_content (or delta.reasoning). */
  reasoning?: string;
  reasoningField?: 'reasoning_content' | 'reasoning';
  toolCalls?: ScriptedToolCall[];
  /**
   * vllm (default): first delta has index,id,type,name, then argument fragments of ~chunkSize chars.
   * ollama: each call whole in one chunk, index 0 for every call, ids `call_<random>`.
   */
  style?: 'vllm' | 'ollama';
  /** Characters per text/argument fragment (default 8). */
  chunkSize?: number;
  /** Default 'tool_calls' when toolCalls else 'stop'. */
  finishReason?: string;
  /**
   * Default: an estimate (chars/4) in a final usage chunk when the request asked
   * stream_options.include_usage (always in non-streaming answers); false = none.
   */
  /** `cached_tokens` is sent as `prompt_tokens_details.cached_tokens` (as vLLM and llama.cpp do). */
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number } | false;
  /** Delay before the first byte (headers). */
  delayMs?: number;
  /** Delay between chunks. */
  chunkDelayMs?: number;
  /** Destroy the socket after N `data:` events (the role chunk counts; no [DONE]). */
  cutAfterChunks?: number;
  /** Stop after N `data:` events but keep the connection open until the server closes. */
  stallAfterChunks?: number;
  /** HTTP error response; JSON body {error:{message,type,code}} unless `body` is given. */
  error?: { status: number; message?: string; type?: string; headers?: Record<string, string>; body?: unknown };
  /** 200 + SSE `data: {"error":{...}}` then end (llama.cpp style). */
  sseError?: { message: string; type?: string };
  /**
   * Path of a recorded response (test/fixtures/llamacpp/NAME.res.txt): its status, headers (minus framing) and
   * body are replayed byte for byte; an event stream one SSE event at a time, chunkDelayMs apart.
   */
  recording?: string;
  /** Answer as a plain JSON chat.completion even if stream:true was asked. */
  nonStreaming?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. '/v1/chat/completions'. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined when empty or not JSON. */
  body: any;
  rawBody: string;
  /** Date.now() when the body finished arriving. */
  time: number;
}

/** `index` is the 0-based number of the chat request being answered. */
export type ScriptStep =
  | ScriptedReply
  | ((request: RecordedRequest, index: number) => ScriptedReply | Promise<ScriptedReply>);

export interface ServerOptions {
  /** Consumed in order by POST /v1/chat/completions. */
  replies?: ScriptStep[];
  /** Used when replies run out; default: HTTP 500 {"error":{"message":"scripted server: no scripted reply left"}}. */
  fallback?: ScriptStep;
  /** GET /v1/models (default [{id:'test-model'}]); extra fields are passed through. */
  models?: Array<{ id: string; max_model_len?: number; [key: string]: unknown }>;
  /**
   * POST /tokenize in llama.cpp's (`{content}` → `{tokens}`) or vLLM's (`{model, prompt}` → `{count, tokens}`)
   * shape, counting one token per two characters (unlike claw's chars/4 estimate); 404 when undefined.
   */
  tokenize?: 'llamacpp' | 'vllm';
  /** GET /props (llama.cpp) — 404 when undefined. A function gets the request. */
  props?: unknown;
  /** GET /api/ps, POST /api/show, GET /api/version — each 404 when undefined. A function gets the request. */
  ollama?: { ps?: unknown; show?: unknown; version?: string };
  /** GET /api/v0/models (and /api/v0/models/<id>) — 404 when undefined. A function gets the request. */
  lmstudio?: unknown;
  /** Default 0 (random). */
  port?: number;
  /** 401 on every path when `Authorization: Bearer <key>` doesn't match. */
  requireApiKey?: string;
}

export interface ScriptedServer {
  /** http://127.0.0.1:PORT/v1 */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  /** Every request on every path, in arrival order. */
  requests: RecordedRequest[];
  chatRequests(): RecordedRequest[];
  push(...steps: ScriptStep[]): void;
  /** Scripted replies not yet consumed (the fallback is not counted). */
  remaining(): number;
  /** Stops listening and destroys open (also stalled or delayed) connections. Idempotent. */
  close(): Promise<void>;
}

export function readRecording(file: string): { status: number; headers: Record<string, string>; body: Buffer };

export function startScriptedServer(options?: ServerOptions): Promise<ScriptedServer>;
