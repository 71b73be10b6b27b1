import type { ChatMessage, Usage } from './messages.js';
import { estimateMessage } from './tokens.js';

/** Where messages are persisted as they happen (the session file). */
export interface MessageSink {
  /** `display`: what the user typed for a user message whose content claw built (a command's prompt, attachments). */
  append(message: ChatMessage, meta?: { display?: string }): void;
  appendCompactBoundary?(summary: ChatMessage): void;
  /** Records a model or permission-mode change, so a resumed session knows its last state. */
  recordMeta?(meta: { model?: string; permissionMode?: string }): void;
  /** Records that the conversation was cut back to its first `keep` messages (/rewind). */
  recordRewind?(keep: number): void;
  /** Records the session's short title (written once, after the first exchange). */
  recordTitle?(title: string): void;
  /** A sink for a subagent's conversation, stored beside the session and linked from it. */
  openSidechain?(agentId: string, meta: { agentType: string; description: string }): MessageSink & { close(): void; readonly path?: string };
}

/**
 * The conversation state: append-only between compactions, so every request extends the previous one
 * byte for byte and the server's prefix cache hits.
 */
export class Conversation {
  private list: ChatMessage[];
  readonly total: Usage = { input_tokens: 0, output_tokens: 0 };
  /** Tokens the server counted for the last request (+ its completion), and the estimate at that point. */
  private measured = { tokens: 0, estimate: 0, valid: false };
  /** Running estimate of all messages, so the status line's contextUsed() is O(1) on long sessions. */
  private estimate = 0;
  /** What the user typed for user messages claw expanded (`/name args` for a command's prompt). */
  private readonly displays = new WeakMap<ChatMessage, string>();

  constructor(
    messages: ChatMessage[] = [],
    private readonly sink?: MessageSink,
    /** Fixed overhead (system prompt + tool schemas) in estimated tokens. */
    private readonly overhead = 0,
    displays?: ReadonlyMap<ChatMessage, string>,
  ) {
    this.list = [...messages];
    for (const [message, text] of displays ?? []) this.displays.set(message, text);
    for (const message of this.list) this.estimate += estimateMessage(message);
  }

  get messages(): readonly ChatMessage[] {
    return this.list;
  }

  append(message: ChatMessage, meta?: { display?: string }): void {
    this.list.push(message);
    this.estimate += estimateMessage(message);
    if (meta?.display !== undefined) this.displays.set(message, meta.display);
    this.sink?.append(message, meta?.display !== undefined ? { display: meta.display } : undefined);
  }

  /** What the user typed for this message, when it differs from what was sent. */
  displayOf(message: ChatMessage): string | undefined {
    return this.displays.get(message);
  }

  /**
   * After a compaction: the first message (the summary) starts a new segment. The session records a
   * boundary and keeps the history before it.
   */
  replaceAfterCompaction(messages: ChatMessage[]): void {
    const [summary, ...rest] = messages;
    this.list = [];
    this.estimate = 0;
    this.measured = { tokens: 0, estimate: 0, valid: false };
    if (summary) {
      if (this.sink?.appendCompactBoundary) this.sink.appendCompactBoundary(summary);
      else this.sink?.append(summary);
      this.list.push(summary);
      this.estimate += estimateMessage(summary);
    }
    for (const message of rest) this.append(message);
  }

  /** /rewind: keeps the first `keep` messages; the session records the cut so --resume sees the same. */
  truncate(keep: number): void {
    this.rewrite(this.list.slice(0, keep));
    this.sink?.recordRewind?.(keep);
  }

  /** Replaces messages in place without a boundary (clearing old tool outputs). */
  rewrite(messages: ChatMessage[]): void {
    this.list = messages;
    this.estimate = messages.reduce((sum, message) => sum + estimateMessage(message), 0);
    this.measured = { tokens: 0, estimate: 0, valid: false };
  }

  /** Usage of the last request (server-reported, or estimated when the server sent none). */
  readonly last: Usage = { input_tokens: 0, output_tokens: 0 };

  recordUsage(promptTokens: number, completionTokens: number, cachedTokens?: number): void {
    this.total.input_tokens += promptTokens;
    this.total.output_tokens += completionTokens;
    this.last.input_tokens = promptTokens;
    this.last.output_tokens = completionTokens;
    if (cachedTokens !== undefined) this.total.cache_read_input_tokens = (this.total.cache_read_input_tokens ?? 0) + cachedTokens;
    if (cachedTokens !== undefined) this.last.cache_read_input_tokens = cachedTokens;
    else delete this.last.cache_read_input_tokens;
    if (promptTokens > 0) this.measured = { tokens: promptTokens + completionTokens, estimate: this.estimate, valid: true };
  }

  /** Server-measured tokens of the last request plus an estimate of what was added since. */
  contextUsed(): number {
    if (!this.measured.valid) return this.overhead + this.estimate;
    return this.measured.tokens + (this.estimate - this.measured.estimate);
  }
}
