import type { ChatMessage } from './messages.js';

// Token estimates without a tokenizer: characters / 4 is close enough for budgeting against a
// window and errs high for code. The server's reported usage replaces these whenever we have it.

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Per-message framing tokens that chat templates add (role markers, separators). */
const MESSAGE_OVERHEAD = 4;

export function estimateMessage(message: ChatMessage): number {
  let chars = message.content.length;
  if (message.role === 'assistant' && message.tool_calls) {
    for (const call of message.tool_calls) chars += call.function.name.length + call.function.arguments.length + 12;
  }
  if (message.role === 'tool') chars += message.tool_call_id.length;
  return Math.ceil(chars / 4) + MESSAGE_OVERHEAD;
}

export function estimateMessages(messages: readonly ChatMessage[]): number {
  let total = 0;
  for (const message of messages) total += estimateMessage(message);
  return total;
}
