import type { ChatMessage, ToolSchema } from '../core/messages.js';

/** llama.cpp `timings` (milliseconds and tokens). */
export interface ServerTimings {
  cache_n?: number;
  prompt_n?: number;
  prompt_ms?: number;
  prompt_per_second?: number;
  predicted_n?: number;
  predicted_ms?: number;
  predicted_per_second?: number;
}

/** One request to the model. Sampling fields are sent only when defined. */
export interface ModelRequest {
  model: string;
  messages: ChatMessage[];
  tools: ToolSchema[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  /** Extra body fields for servers that accept them (top_k, repetition_penalty, ...). */
  extra?: Record<string, unknown>;
}

/**
 * A streamed chunk, normalised from whatever the server sends. The loop never sees SDK types,
 * so tests can script a model without HTTP.
 */
export type StreamChunk =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | {
      type: 'tool_call_delta';
      index?: number;
      id?: string;
      name?: string;
      /** A fragment of the JSON arguments string, or a whole object (Ollama native style). */
      arguments?: string | Record<string, unknown>;
    }
  | { type: 'usage'; prompt_tokens: number; completion_tokens: number; cached_tokens?: number }
  /** The server's id of the completion (`chatcmpl-…`), once, just before the first chunk with content. */
  | { type: 'message_id'; id: string }
  /** llama.cpp's own measurements, on the last chunk (and in non-streamed bodies). */
  | { type: 'timings'; timings: ServerTimings }
  /** llama.cpp prompt processing progress (`return_progress`): tokens processed of total, cached ones included. */
  | { type: 'progress'; processed: number; total: number; cached?: number }
  | { type: 'finish'; reason: string }
  /** Everything streamed as text so far was reasoning after all (a late `</think>`); it follows as reasoning. */
  | { type: 'retract' };

export interface ModelClient {
  readonly baseUrl: string;
  /** Streams one chat completion; failures are thrown as they come (retry.ts classifies and retries them). */
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<StreamChunk>;
}
