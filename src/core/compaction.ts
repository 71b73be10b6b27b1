import type { ChatMessage, ToolMessage } from './messages.js';
import { repairToolPairs } from '../session/repair.js';
import { contextOf } from './prompt.js';
import { estimateMessage, estimateMessages, estimateTokens, worthCounting } from './tokens.js';

// Compaction building blocks; the loop decides when to use them (auto at the threshold, /compact,
// and once after an overflow error). Pure functions: no I/O, no model calls.

// Texts local servers use when a request does not fit the window (reference/local-backends.md §4.1).
const OVERFLOW_PATTERNS: RegExp[] = [
  /maximum context length is \d+ tokens/i, // vLLM, both wordings; also OpenAI-style gateways
  /exceeds? the available context size/i, // llama.cpp, older and newer
  /exceed_context_size_error/i, // llama.cpp typed error
  /context size has been exceeded/i, // llama.cpp other path
  /context length of only \d+ tokens/i, // LM Studio
  /trying to keep the first \d+ tokens when context the overflows/i, // LM Studio (sic)
  /cannot truncate prompt with n_keep/i, // LM Studio, llama.cpp engine
  /context window exceeded|contextwindowexceedederror/i, // LiteLLM
  /(prompt|input) (is )?too long/i, // Ollama and others when they do reject
  /context[_ ]length[_ ]exceeded/i, // OpenAI error code
  /requested \d+ tokens.*maximum|exceeds? (the )?(model'?s? )?(maximum )?context (length|window)/i,
];

/**
 * Whether a failed request was rejected for being longer than the window. Decided on the message text,
 * since llama.cpp may send the error inside a 200 stream and statuses differ between servers; the
 * status only rules out obvious non-matches (auth, not found, rate limit).
 */
export function isContextOverflowError(status: number | undefined, message: string): boolean {
  if (status === 401 || status === 403 || status === 404 || status === 429) return false;
  return OVERFLOW_PATTERNS.some((pattern) => pattern.test(message));
}

/** The window size an overflow error names, when it names one (to correct our budget). */
export function contextLimitFromError(message: string): number | undefined {
  const patterns = [
    /maximum context length is (\d+) tokens/i,
    /available context size \((\d+) tokens\)/i,
    /"n_ctx"\s*:\s*(\d+)/,
    /n_ctx \((\d+)\)/,
    /context length of only (\d+) tokens/i,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(message);
    if (match) return Number(match[1]);
  }
  return undefined;
}

export const CLEARED_MARKER = '[output cleared to save context]';

/**
 * Replaces the content of all but the `keepRecent` newest tool results with a short marker.
 * `saved` is the estimated number of tokens freed.
 */
export function clearOldToolOutputs(messages: readonly ChatMessage[], keepRecent: number): { messages: ChatMessage[]; saved: number } {
  let toolsSeen = 0;
  let saved = 0;
  const out = [...messages];
  for (let i = out.length - 1; i >= 0; i--) {
    const message = out[i]!;
    if (message.role !== 'tool') continue;
    toolsSeen++;
    if (toolsSeen <= keepRecent || message.content.length <= CLEARED_MARKER.length) continue;
    const cleared: ToolMessage = { ...message, content: CLEARED_MARKER };
    saved += estimateMessage(message) - estimateMessage(cleared);
    out[i] = cleared;
  }
  return { messages: out, saved };
}

export const SUMMARY_INSTRUCTIONS = `Your task now is to write a summary of the conversation so far, so that the work can continue from the summary alone once the earlier messages are gone. Do not call any tools. Answer with the summary only, in these sections:

1. Task: what the user asked for, including every explicit requirement and constraint (quote short requests verbatim).
2. Decisions: the approach chosen and important technical decisions, with reasons.
3. Files: each file read, created or changed, with a one-line note on what matters about it or what changed.
4. Errors and fixes: problems met and how they were resolved.
5. Current state: what is done and verified, and what is in progress right now.
6. Next steps: the remaining steps, in order, and any question waiting for the user.

Be specific: exact file paths, function names, commands and error messages. Be brief everywhere else.`;

/** Tokens kept free for the summary the model writes; also the summary request's own max_tokens. */
export function outputReserve(contextWindow: number): number {
  return Math.min(4096, Math.floor(contextWindow / 4));
}

function transcriptLine(message: ChatMessage, toolCap: number): string {
  switch (message.role) {
    case 'tool': {
      const cut = message.content.length - toolCap;
      const text = cut > 0 ? `${message.content.slice(0, toolCap)}\n[… ${cut} more characters of this tool result cut to fit the summary request]` : message.content;
      return `[tool result]\n${text}`;
    }
    case 'assistant': {
      const calls = (message.tool_calls ?? []).map((call) => {
        const args = call.function.arguments;
        return `[tool call] ${call.function.name} ${args.length > 2 * toolCap ? `${args.slice(0, 2 * toolCap)}…` : args}`;
      });
      return ['[assistant]', message.content, ...calls].filter((part) => part !== '').join('\n');
    }
    default:
      return `[${message.role}]\n${message.content}`;
  }
}

/**
 * Server-counted tokens of some message contents (large tool results), to correct the estimates where they
 * matter most. A cut piece of such a content is costed at the same tokens per character.
 */
export type ExactCounts = ReadonlyMap<string, number>;

function densityOf(message: ChatMessage, exact: ExactCounts | undefined): number {
  const tokens = exact?.get(message.content);
  return tokens === undefined ? 1 : tokens / Math.max(1, estimateTokens(message.content));
}

function messageTokens(message: ChatMessage, exact: ExactCounts | undefined): number {
  const tokens = exact?.get(message.content);
  return estimateMessage(message) + (tokens === undefined ? 0 : tokens - estimateTokens(message.content));
}

/** The conversation as plain text within `budget` tokens: old tool outputs cut first, then all, then the oldest middle dropped. */
function fitTranscript(messages: readonly ChatMessage[], budget: number, exact?: ExactCounts): string {
  const density = messages.map((m) => densityOf(m, exact));
  const cost = (line: string, i: number) => Math.ceil(estimateTokens(line) * density[i]!) + 1;
  // The newest tool results matter most for "where the work stopped": older ones are cut harder first.
  const lastTools = new Set(messages.map((m, i) => (m.role === 'tool' ? i : -1)).filter((i) => i >= 0).slice(-2));
  for (const [oldCap, toolCap] of [[2000, 8000], [500, 2000], [500, 500], [120, 120]] as const) {
    const lines = messages.map((message, i) => transcriptLine(message, lastTools.has(i) ? toolCap : oldCap));
    const total = lines.reduce((sum, line, i) => sum + cost(line, i), 0);
    if (total <= budget) return lines.join('\n\n');
    if (toolCap !== 120) continue;
    // Keep the first message (the original request) and as many of the newest as fit.
    const first = lines[0] ?? '';
    const firstCut = first.length > budget * 2 ? `${first.slice(0, budget * 2)} […cut]` : first;
    let used = cost(firstCut, 0) + 20;
    const tail: string[] = [];
    for (let i = lines.length - 1; i >= 1; i--) {
      const tokens = cost(lines[i]!, i);
      if (used + tokens > budget) break;
      tail.unshift(lines[i]!);
      used += tokens;
    }
    const omitted = lines.length - 1 - tail.length;
    const parts = [firstCut];
    if (omitted > 0) parts.push(`[… ${omitted} earlier messages omitted …]`);
    let text = [...parts, ...tail].join('\n\n');
    // Last resort: the newest part (chars per token measured on this text, so dense scripts fit too).
    const maxChars = Math.floor((budget * text.length) / Math.max(1, estimateTokens(text) * Math.max(1, ...density)));
    if (text.length > maxChars) text = text.slice(text.length - maxChars);
    return text;
  }
  return '';
}

/**
 * The request that asks the model to summarise. When the whole conversation fits, it is sent as is
 * followed by the instructions, so the server reuses its cached prefix; otherwise it is sent as a
 * truncated plain-text transcript that fits `contextWindow` minus room for the answer.
 * `toolsTokens`: estimated size of the tool schemas if the caller sends them with this request.
 * `exact`: server-counted tokens of large contents (see `largeContents`), used instead of their estimates.
 */
export function buildSummaryRequest(
  messages: readonly ChatMessage[],
  opts: { instructions?: string; contextWindow: number; systemPrompt: string; toolsTokens?: number; exact?: ExactCounts },
): ChatMessage[] {
  const extra = opts.instructions?.trim() ? `\n\nAdditional instructions for this summary: ${opts.instructions.trim()}` : '';
  const ask = SUMMARY_INSTRUCTIONS + extra;
  const system: ChatMessage = { role: 'system', content: opts.systemPrompt };
  const budget =
    opts.contextWindow - outputReserve(opts.contextWindow) - (opts.toolsTokens ?? 0) - estimateMessages([system]) - estimateTokens(ask) - 64;
  // Calls left without results would make the request invalid for strict servers.
  const conversation = repairToolPairs(messages.filter((message) => message.role !== 'system')).messages;
  if (conversation.reduce((sum, m) => sum + messageTokens(m, opts.exact), 0) <= budget) {
    return [system, ...conversation, { role: 'user', content: ask }];
  }
  const transcript = fitTranscript(conversation, Math.max(0, budget - 20), opts.exact);
  return [
    system,
    { role: 'user', content: `Here is the conversation so far, as a transcript:\n\n<transcript>\n${transcript}\n</transcript>\n\n${ask}` },
  ];
}

/** The contents worth an exact count before a summary request at `contextWindow`: the largest few, each over 1/16 of it. */
export function largeContents(messages: readonly ChatMessage[], contextWindow: number, max = 6): string[] {
  const large = new Set<string>();
  for (const m of messages) if (m.content && worthCounting(m.content, contextWindow / 8)) large.add(m.content);
  return [...large].sort((a, b) => b.length - a.length).slice(0, max);
}

const CONTINUATION =
  'This session continues an earlier conversation that was compacted to save context. The summary below replaces the earlier messages.';

/** True for the user message `summaryToMessages` wrote (a resumed transcript shows it as "compacted"). */
export function isCompactionSummary(content: string): boolean {
  return content.includes(CONTINUATION) && content.includes('<summary>');
}

/**
 * The new conversation start: one user message with the original environment and memory block (when
 * the old first message had one) and the summary. Reasoning blocks in the summary are dropped.
 */
export function summaryToMessages(summary: string, originalFirstUser?: string, latest?: { text: string; unanswered: boolean }): ChatMessage[] {
  const clean = summary.replace(/<think>[\s\S]*?<\/think>/g, '').replace(/^[\s\S]*<\/think>/, '').trim();
  const context = originalFirstUser ? contextOf(originalFirstUser) : '';
  const head = `${context}${CONTINUATION}\n\n<summary>\n${clean}\n</summary>\n\n`;
  // The newest request survives word for word (a small model's summary may leave it out); one message, so
  // templates that want user and assistant turns to alternate still accept it.
  if (latest?.unanswered) return [{ role: 'user', content: `${head}The user's new message:\n\n${latest.text}` }];
  const request = latest?.text.trim() ? `The user's latest request, verbatim:\n<request>\n${latest.text.trim()}\n</request>\n\n` : '';
  return [{ role: 'user', content: `${head}${request}Continue from where the work stopped. If the last task is finished, wait for the next request.` }];
}
