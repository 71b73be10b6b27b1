import { describe, expect, it } from 'vitest';
import {
  CLEARED_MARKER,
  buildSummaryRequest,
  clearOldToolOutputs,
  contextLimitFromError,
  isContextOverflowError,
  summaryToMessages,
} from '../../src/core/compaction.js';
import type { ChatMessage } from '../../src/core/messages.js';
import { buildFirstUserMessage, contextOf } from '../../src/core/prompt.js';
import { estimateMessages, estimateTokens } from '../../src/core/tokens.js';

// reference/local-backends.md §4.1, one row each.
const OVERFLOWS: Array<[string, number | undefined, string, number | undefined]> = [
  ['vLLM', 400, "This model's maximum context length is 32768 tokens. However, you requested 33000 tokens (31000 in the messages, 2000 in the completion). Please reduce the length of the messages or completion.", 32768],
  ['vLLM newer', 400, "This model's maximum context length is 8192 tokens. However, you requested 1024 output tokens and your prompt contains at least 7169 input tokens, for a total of at least 8193 tokens.", 8192],
  ['llama.cpp older', 500, 'the request exceeds the available context size. try increasing the context size or enable context shift', undefined],
  ['llama.cpp typed', 400, '{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":9000,"n_ctx":8192}}', 8192],
  ['llama.cpp newer', 400, 'request (25837 tokens) exceeds the available context size (25088 tokens), try increasing it', 25088],
  ['llama.cpp in stream', undefined, 'data: {"error":{"message":"the request exceeds the available context size. try increasing the context size or enable context shift"}}', undefined],
  ['llama.cpp other path', 500, 'Context size has been exceeded.', undefined],
  ['Ollama', 400, 'prompt too long; exceeded max context length by 120 tokens', undefined],
  ['LM Studio', 400, 'Trying to keep the first 9000 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough. Try to load the model with a larger context length, or provide a shorter input.', 4096],
  ['LM Studio llama.cpp', 400, 'Cannot truncate prompt with n_keep (15028) >= n_ctx (7424)', 7424],
  ['LiteLLM', 400, 'litellm.ContextWindowExceededError: ContextWindowExceededError: OpenAIException - context window exceeded', undefined],
];

const NOT_OVERFLOWS: Array<[number | undefined, string]> = [
  [404, 'model "qwen3-coder" not found, try pulling it first'],
  [503, 'server busy, please try again.  maximum pending requests exceeded'],
  [500, 'no slots available after 10 retries'],
  [401, 'Incorrect API key provided'],
  [undefined, 'fetch failed'],
  [400, 'Invalid tool call: arguments are not valid JSON'],
  [500, 'Client disconnected. Stopping generation...'],
  [429, "This model's maximum context length is 4096 tokens (rate limited through a gateway)"],
];

describe('overflow recognition', () => {
  it.each(OVERFLOWS)('recognises %s', (_name, status, message, limit) => {
    expect(isContextOverflowError(status, message)).toBe(true);
    expect(contextLimitFromError(message)).toBe(limit);
  });

  it.each(NOT_OVERFLOWS)('does not mistake %s: %s', (status, message) => {
    expect(isContextOverflowError(status, message)).toBe(false);
  });
});

function toolTurns(count: number, size: number): ChatMessage[] {
  const out: ChatMessage[] = [{ role: 'user', content: 'ORIGINAL REQUEST: port the parser to TypeScript' }];
  for (let i = 0; i < count; i++) {
    out.push({ role: 'assistant', content: `step ${i}`, tool_calls: [{ id: `c${i}`, type: 'function', function: { name: 'Read', arguments: `{"file_path":"f${i}.ts"}` } }] });
    out.push({ role: 'tool', tool_call_id: `c${i}`, content: `output ${i} ` + 'x'.repeat(size) });
  }
  out.push({ role: 'assistant', content: 'LATEST STATE: tests pass except one' });
  return out;
}

describe('clearing old tool outputs', () => {
  it('clears all but the newest results, keeps pairing, and reports the saving', () => {
    const messages = toolTurns(5, 4000);
    const { messages: cleared, saved } = clearOldToolOutputs(messages, 2);
    const tools = cleared.filter((m) => m.role === 'tool');
    expect(tools.map((m) => m.content === CLEARED_MARKER)).toEqual([true, true, true, false, false]);
    expect(tools.map((m) => (m.role === 'tool' ? m.tool_call_id : ''))).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(saved).toBe(estimateMessages(messages) - estimateMessages(cleared));
    expect(saved).toBeGreaterThan(2500);
    expect(messages[2]?.content).toMatch(/^output 0 x/); // input untouched
    expect(clearOldToolOutputs(cleared, 2).saved).toBe(0);
  });
});

describe('summary request', () => {
  const systemPrompt = 'You are claw.';

  it('sends the conversation unchanged (cache-friendly) when it fits, with the instructions last', () => {
    const messages = toolTurns(3, 100);
    const request = buildSummaryRequest(messages, { contextWindow: 32768, systemPrompt, instructions: 'focus on the parser' });
    expect(request[0]).toEqual({ role: 'system', content: systemPrompt });
    expect(request.slice(1, -1)).toEqual(messages);
    const last = request.at(-1)!;
    expect(last.role).toBe('user');
    expect(last.content).toMatch(/Task[\s\S]*Decisions[\s\S]*Files[\s\S]*Current state[\s\S]*Next steps/);
    expect(last.content).toContain('focus on the parser');
  });

  it('fits a tiny window by truncating, keeping the original request and the latest state', () => {
    const messages = toolTurns(200, 3000); // ~150k tokens
    for (const window of [2048, 4096, 8192]) {
      const request = buildSummaryRequest(messages, { contextWindow: window, systemPrompt });
      const reserve = Math.min(4096, window / 4);
      expect(estimateMessages(request), `window ${window}`).toBeLessThanOrEqual(window - reserve);
      const text = request.map((m) => m.content).join('\n');
      expect(text).toContain('ORIGINAL REQUEST');
      expect(text).toContain('LATEST STATE');
      expect(text).toContain('Next steps');
    }
  });

  it('gives unanswered tool calls a result so strict servers accept the request', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'x', type: 'function', function: { name: 'Bash', arguments: '{}' } }] },
    ];
    const request = buildSummaryRequest(messages, { contextWindow: 32768, systemPrompt });
    expect(request.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user']);
  });
});

describe('after compaction', () => {
  it('starts from one user message with the original environment block and the summary, without reasoning', () => {
    const first = buildFirstUserMessage({ prompt: 'do it', cwd: '/p', platform: 'linux', date: '2026-01-01', memory: [{ path: '/p/CLAUDE.md', content: 'Use pnpm.' }] });
    const [message, ...rest] = summaryToMessages('<think>let me think</think>\n1. Task: port the parser', first);
    expect(rest).toEqual([]);
    expect(message!.role).toBe('user');
    expect(message!.content.startsWith(contextOf(first))).toBe(true);
    expect(message!.content).toContain('Use pnpm.');
    expect(message!.content).toContain('1. Task: port the parser');
    expect(message!.content).not.toContain('let me think');
    expect(message!.content).not.toContain('do it');
    // A second compaction keeps the same environment block.
    const [again] = summaryToMessages('second', message!.content);
    expect(contextOf(again!.content)).toBe(contextOf(first));
    expect(estimateTokens(summaryToMessages('s')[0]!.content)).toBeLessThan(100);
  });
});
