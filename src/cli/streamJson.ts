// Claude Code's stream-json message shapes, so tools written for its stream parse claw's:
// assistant turns as content blocks, tool results as user messages with tool_result blocks.
import { randomUUID } from 'node:crypto';
import type { AssistantMessage, ToolMessage, Usage } from '../core/messages.js';

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; tool_use_id: string; content: string; is_error?: boolean };

function parseInput(args: string): unknown {
  try {
    return JSON.parse(args || '{}');
  } catch {
    return {}; // the loop already told the model; the stream still gets a well-formed block
  }
}

/** `id`: the server's completion id (one is made up when the server sent none, as every message needs one). */
export function assistantBlocks(message: AssistantMessage, model: string, meta: { id?: string; usage?: Usage } = {}) {
  const content: ContentBlock[] = [];
  if (message.content) content.push({ type: 'text', text: message.content });
  for (const call of message.tool_calls ?? []) {
    content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseInput(call.function.arguments) });
  }
  const usage = meta.usage ?? { input_tokens: 0, output_tokens: 0 };
  return {
    id: meta.id ?? `msg_${randomUUID().replace(/-/g, '')}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: message.tool_calls?.length ? 'tool_use' : 'end_turn',
    usage: { input_tokens: usage.input_tokens, output_tokens: usage.output_tokens, cache_read_input_tokens: usage.cache_read_input_tokens ?? 0 },
  };
}

export function toolResultMessage(message: ToolMessage, isError: boolean | undefined) {
  const block: ContentBlock = { type: 'tool_result', tool_use_id: message.tool_call_id, content: message.content, ...(isError ? { is_error: true } : {}) };
  return { role: 'user', content: [block] };
}

/** Dollars for the tokens used, from `prices` per million tokens (0 when none are set). */
export function costUsd(usage: { input_tokens: number; output_tokens: number }, prices?: { input?: number; output?: number }): number {
  return (usage.input_tokens * (prices?.input ?? 0) + usage.output_tokens * (prices?.output ?? 0)) / 1_000_000;
}
