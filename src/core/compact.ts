import type { AgentEvent } from './events.js';
import type { ChatMessage } from './messages.js';
import type { Conversation } from './conversation.js';
import type { ModelClient, ModelRequest } from '../backend/types.js';
import { streamModelTurn, type TurnTransport } from './modelTurn.js';
import { buildSummaryRequest, clearOldToolOutputs, largeContents, outputReserve, summaryToMessages } from './compaction.js';
import type { TokenCounter } from './tokens.js';
import { promptOf } from './prompt.js';
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
  /** Another model writes the summary (settings `compaction.useSmallModel`): its client, name, window, sampling. */
  summarizer?: { client: ModelClient; model: string; contextWindow: number; sampling: CompactDeps['sampling'] };
  /** The server's exact token count: the largest results are counted so the summary request truly fits. */
  countTokens?: TokenCounter;
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

  // The newest user message is never summarised away: when it waits for its answer it is kept word for word
  // after the summary; otherwise it is quoted in it. With nothing before it, there is nothing to compact.
  const messages = conversation.messages;
  let newest = -1;
  for (let i = messages.length - 1; i >= 0 && newest < 0; i--) if (messages[i]!.role === 'user') newest = i;
  const unanswered = newest >= 0 && newest === messages.length - 1;
  const toSummarise = unanswered ? messages.slice(0, newest) : [...messages];
  if (toSummarise.length === 0) {
    if (reason === 'manual') yield { type: 'warning', message: 'Nothing to compact yet.' };
    return false;
  }
  const writer = deps.summarizer ?? { client: deps.client, model: deps.model(), contextWindow: deps.contextWindow, sampling: deps.sampling };
  const exact = new Map<string, number>();
  // The main server's tokenizer counts for the main model only, not for a summarizer on another.
  for (const text of deps.countTokens && !deps.summarizer ? largeContents(toSummarise, writer.contextWindow) : []) {
    const tokens = await deps.countTokens!(text, signal);
    if (tokens === undefined) break; // the server cannot count: estimates
    exact.set(text, tokens);
  }
  const request = buildSummaryRequest(toSummarise, {
    instructions,
    contextWindow: writer.contextWindow,
    systemPrompt: deps.system,
    exact,
  });
  const [first, ...rest] = request;
  const system = first?.role === 'system' ? first.content : deps.system;
  const body = first?.role === 'system' ? rest : request;
  // The summary has its own output budget: the user's maxTokens may be far too small for it.
  const budget = outputReserve(writer.contextWindow);
  const sampling = { ...writer.sampling, max_tokens: budget };
  let summary = '';
  for (let attempt = 1; ; attempt++) {
    // A summary cut off by the budget is asked for once more, shorter; a second cut is reported.
    const ask: ChatMessage[] = attempt === 1 ? body : [...body.slice(0, -1), shorter(body.at(-1)!, budget)];
    let cut = false;
    try {
      const turn = streamModelTurn(
        { client: writer.client, model: writer.model, system, messages: ask, tools: [], sampling, promptTokens: before, ...deps.transport },
        signal,
      );
      // Drain: the summary is not shown as an answer; only retry notices pass through.
      for (;;) {
        const next = await turn.next();
        if (next.done) {
          summary = next.value.text.trim();
          cut = next.value.finishReason === 'length';
          break;
        }
        if (next.value.type === 'retry') yield next.value;
      }
    } catch (raw) {
      if (signal.aborted) return false;
      const error = raw instanceof BackendError ? raw : classifyError(raw, writer.client.baseUrl);
      yield { type: 'warning', message: `Compaction failed: ${userMessage(error)}` };
      return false;
    }
    if (!cut) break;
    if (attempt >= 2) {
      yield { type: 'warning', message: `Compaction failed: the summary was cut off at its output limit of ${budget} tokens twice; the conversation was left as it was.` };
      return false;
    }
  }
  if (!summary) {
    yield { type: 'warning', message: 'Compaction failed: the model returned an empty summary.' };
    return false;
  }
  const firstUser = messages.find((m): m is Extract<ChatMessage, { role: 'user' }> => m.role === 'user');
  const latest = newest >= 0 ? { text: promptOf(messages[newest]!.content), unanswered } : undefined;
  const next = summaryToMessages(summary, firstUser?.content, latest);
  conversation.replaceAfterCompaction(next);
  yield { type: 'compaction', reason, tokensBefore: before, tokensAfter: conversation.contextUsed() };
  return true;
}

/** The summary request's last message again, asking for a summary that fits `budget` tokens. */
function shorter(last: ChatMessage, budget: number): ChatMessage {
  const words = Math.max(50, Math.floor(budget * 0.5));
  return { role: 'user', content: `${last.content}\n\nYour previous summary was cut off at the length limit. Write it again in at most ${words} words: keep the task, the files and the next steps; drop detail.` };
}
