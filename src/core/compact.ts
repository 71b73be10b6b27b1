import type { AgentEvent } from './events.js';
import type { ChatMessage } from './messages.js';
import type { Conversation } from './conversation.js';
import type { ModelClient, ModelRequest } from '../backend/types.js';
import { streamModelTurn, type TurnTransport } from './modelTurn.js';
import { buildSummaryRequest, clearOldToolOutputs, summaryToMessages } from './compaction.js';
import { BackendError, classifyError, userMessage } from '../backend/errors.js';

export interface CompactDeps {
  client: ModelClient;
  model(): string;
  system: string;
  conversation: Conversation;
  contextWindow: number;
  threshold: number;
  sampling: Pick<ModelRequest, 'temperature' | 'top_p' | 'max_tokens' | 'extra'>;
  transport?: TurnTransport;
}

/**
 * Makes room in the window. Automatic compaction first tries the cheap step (clearing old tool outputs);
 * otherwise the model writes a structured summary and the conversation continues from it. Returns
 * whether the conversation was compacted. The session file keeps everything before the boundary.
 */
export async function* compactConversation(
  deps: CompactDeps,
  reason: 'manual' | 'auto' | 'overflow',
  signal: AbortSignal,
  instructions?: string,
): AsyncGenerator<AgentEvent, boolean> {
  const { conversation } = deps;
  const before = conversation.contextUsed();
  if (conversation.messages.length === 0) {
    if (reason === 'manual') yield { type: 'warning', message: 'Nothing to compact yet.' };
    return false;
  }
  if (reason === 'auto') {
    const cleared = clearOldToolOutputs([...conversation.messages], 6);
    if (cleared.saved > 0) {
      conversation.rewrite(cleared.messages);
      const after = conversation.contextUsed();
      if (after < deps.threshold * deps.contextWindow * 0.8) {
        yield { type: 'compaction', reason, tokensBefore: before, tokensAfter: after };
        return true;
      }
    }
  }

  const request = buildSummaryRequest([...conversation.messages], {
    instructions,
    contextWindow: deps.contextWindow,
    systemPrompt: deps.system,
  });
  const [first, ...rest] = request;
  const system = first?.role === 'system' ? first.content : deps.system;
  const messages = first?.role === 'system' ? rest : request;
  let summary: string;
  try {
    const turn = streamModelTurn(
      { client: deps.client, model: deps.model(), system, messages, tools: [], sampling: deps.sampling, promptTokens: before, ...deps.transport },
      signal,
    );
    // Drain: the summary is not shown as an answer; only retry notices pass through.
    for (;;) {
      const next = await turn.next();
      if (next.done) {
        summary = next.value.text.trim();
        break;
      }
      if (next.value.type === 'retry') yield next.value;
    }
  } catch (raw) {
    if (signal.aborted) return false;
    const error = raw instanceof BackendError ? raw : classifyError(raw, deps.client.baseUrl);
    yield { type: 'warning', message: `Compaction failed: ${userMessage(error)}` };
    return false;
  }
  if (!summary) {
    yield { type: 'warning', message: 'Compaction failed: the model returned an empty summary.' };
    return false;
  }
  const firstUser = conversation.messages.find((m): m is Extract<ChatMessage, { role: 'user' }> => m.role === 'user');
  const next = summaryToMessages(summary, firstUser?.content);
  conversation.replaceAfterCompaction(next);
  yield { type: 'compaction', reason, tokensBefore: before, tokensAfter: conversation.contextUsed() };
  return true;
}
