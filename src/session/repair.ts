import type { ChatMessage, ToolMessage } from '../core/messages.js';

export const INTERRUPTED_TOOL_RESULT =
  'Interrupted: this tool call did not finish (the previous run stopped before it returned a result). ' +
  'Check the current state before retrying it.';

/**
 * Makes the tool-call pairing valid for an OpenAI-compatible server: every assistant tool call gets a
 * result right after it (a synthetic "interrupted" one when the run died before the result was
 * written), and tool results that answer no pending call are dropped.
 */
export function repairToolPairs(messages: readonly ChatMessage[]): { messages: ChatMessage[]; warnings: string[] } {
  const out: ChatMessage[] = [];
  const warnings: string[] = [];
  let pending: string[] = [];

  const flush = (): void => {
    for (const id of pending) {
      const synthetic: ToolMessage = { role: 'tool', tool_call_id: id, content: INTERRUPTED_TOOL_RESULT };
      out.push(synthetic);
    }
    if (pending.length > 0) warnings.push(`${pending.length} interrupted tool call(s) given an "interrupted" result`);
    pending = [];
  };

  for (const message of messages) {
    if (message.role === 'tool') {
      const index = pending.indexOf(message.tool_call_id);
      if (index === -1) {
        warnings.push(`dropped a tool result for unknown call ${message.tool_call_id}`);
        continue;
      }
      pending.splice(index, 1);
      out.push(message);
      continue;
    }
    flush();
    out.push(message);
    if (message.role === 'assistant' && message.tool_calls) pending = message.tool_calls.map((call) => call.id);
  }
  flush();
  return { messages: out, warnings };
}
