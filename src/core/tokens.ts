import type { ChatMessage } from './messages.js';

// Token estimates without a tokenizer: characters / 4 is close enough for budgeting against a window and
// errs high for code and English. Other scripts tokenise densely: a CJK character is about one token (a rare
// one more: the llama.cpp recording of 7 000 random Han characters counted ~11 500), an emoji one to three,
// Cyrillic, Greek or accented text about two characters a token. The server's reported usage, or its
// /tokenize endpoint, replaces these whenever we have them.

// eslint-disable-next-line no-control-regex
const ASCII_ONLY = /^[\x00-\x7f]*$/;

export function estimateTokens(text: string): number {
  if (ASCII_ONLY.test(text)) return Math.ceil(text.length / 4);
  let quarters = 0; // in quarter tokens, to stay in integers
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) quarters += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      quarters += 8; // an astral character (emoji, rare Han): about two tokens
      i++;
    } else if ((c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef)) {
      quarters += 4; // CJK, kana, Hangul, full-width forms
    } else quarters += 2;
  }
  return Math.ceil(quarters / 4);
}

/** At most `maxChars` at four characters a token, fewer for text that tokenises more densely. */
export function charBudget(text: string, maxChars: number): number {
  if (text.length <= maxChars / 8) return maxChars; // fits even at two tokens a character
  const tokens = estimateTokens(text);
  const allowed = Math.ceil(maxChars / 4);
  return tokens <= allowed ? maxChars : Math.min(maxChars, Math.floor((text.length * allowed) / tokens));
}

/** Exact tokens of a text by the server's own tokenizer, or undefined when it cannot count (then estimate). */
export type TokenCounter = (text: string, signal?: AbortSignal) => Promise<number | undefined>;

/** Whether a text is large enough against a limit of `maxTokens` to be worth an exact count (an HTTP request). */
export function worthCounting(text: string, maxTokens: number): boolean {
  return text.length * 2 > maxTokens && estimateTokens(text) * 2 > maxTokens;
}

/** Characters of a text of `length` characters and `tokens` exact tokens that fit `maxTokens`. */
export function charsForTokens(length: number, tokens: number, maxTokens: number): number {
  return tokens <= maxTokens ? length : Math.floor((length * maxTokens) / tokens);
}

/** Per-message framing tokens that chat templates add (role markers, separators). */
const MESSAGE_OVERHEAD = 4;

export function estimateMessage(message: ChatMessage): number {
  let tokens = estimateTokens(message.content);
  if (message.role === 'assistant' && message.tool_calls) {
    for (const call of message.tool_calls) tokens += estimateTokens(call.function.arguments) + Math.ceil((call.function.name.length + 12) / 4);
  }
  if (message.role === 'tool') tokens += Math.ceil(message.tool_call_id.length / 4);
  return tokens + MESSAGE_OVERHEAD;
}

export function estimateMessages(messages: readonly ChatMessage[]): number {
  let total = 0;
  for (const message of messages) total += estimateMessage(message);
  return total;
}
