// Compaction against small windows (issue 12 items 2–4), with llama-server's recorded overflow answer.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { recording } from '../helpers/recordings.js';
import { collect, doneOf, makeAgent, testTools } from './loopHarness.js';
import { defineTool } from '../../src/tools/define.js';
import { estimateMessages, estimateTokens } from '../../src/core/tokens.js';
import type { ChatMessage } from '../../src/core/messages.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const SUMMARY = '1. Task: read the notes.\n6. Next steps: answer.';
/** 7 000 Han characters, about 21 KB: the file of the recorded overflow. */
const CJK = Array.from({ length: 7000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000))).join('');

function bigReadTool(output: string) {
  return defineTool({
    name: 'ReadNotes',
    description: 'Returns the notes file.',
    schema: z.object({}),
    isReadOnly: () => true,
    async execute() {
      return { output };
    },
  });
}

const requestTokens = (messages: ChatMessage[]) => estimateMessages(messages);

describe('first-turn compaction', () => {
  it('never drops the prompt: with nothing before it, the request goes out with the prompt', async () => {
    server = await startScriptedServer({ replies: [{ recording: recording('success-stream') }] });
    // Fixed prompt ~1 350 tokens, window 2 048: the prompt pushes the estimate past the auto-compact threshold.
    const agent = makeAgent(server.url, { contextWindow: 2048, system: 's'.repeat(4800) });
    const prompt = `Please fix the failing test. ${'details '.repeat(300)}`;
    const events = await collect(agent.run(prompt));
    expect(doneOf(events).reason).toBe('completed');
    const requests = server.chatRequests();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body.messages.at(-1).content).toContain('Please fix the failing test.');
    expect(agent.messages[0]!.content).toContain('Please fix the failing test.');
    expect(events.some((e) => e.type === 'compaction')).toBe(false);
  });

  it('keeps the newest prompt word for word after the summary of what came before', async () => {
    server = await startScriptedServer({
      replies: [{ text: `old answer ${'o'.repeat(5000)}`, usage: { prompt_tokens: 1200, completion_tokens: 1400 } }, { text: SUMMARY }, { text: 'done' }],
    });
    const agent = makeAgent(server.url, { contextWindow: 3000 });
    await collect(agent.run('first task'));
    const events = await collect(agent.run('second task: rename the parser'));
    expect(events.find((e) => e.type === 'compaction')).toMatchObject({ reason: 'auto' });
    const [, summaryRequest, after] = server.chatRequests();
    // The summary request summarises what came before; the new prompt is not in it to be summarised away.
    expect(JSON.stringify(summaryRequest!.body.messages)).not.toContain('second task');
    const last = after!.body.messages.at(-1);
    expect(last.role).toBe('user');
    expect(last.content).toContain(SUMMARY);
    expect(last.content).toContain('second task: rename the parser');
  });

  it('says plainly that the window is too small for the fixed prompt, and sends nothing', async () => {
    server = await startScriptedServer({ fallback: { text: 'should not be asked' } });
    const agent = makeAgent(server.url, { contextWindow: 2048, system: 's'.repeat(7000) });
    const events = await collect(agent.run('hello'));
    const done = doneOf(events);
    expect(done.reason).toBe('error');
    expect(done.error).toMatch(/context window is 2048 tokens/);
    expect(done.error).toMatch(/system prompt and tool descriptions alone take about \d+/);
    expect(done.error).toMatch(/OLLAMA_CONTEXT_LENGTH|llama-server -c/);
    expect(server.chatRequests()).toHaveLength(0);
  });
});

describe('the summary request fits the window claw knows', () => {
  it('a 21 KB CJK result at an 8 k window: the result is capped, and the compaction request after llama-server\'s overflow fits', async () => {
    server = await startScriptedServer({
      replies: [{ toolCalls: [{ name: 'ReadNotes', arguments: {} }] }, { recording: recording('overflow-400') }, { text: SUMMARY }, { text: 'The notes are in Chinese.' }],
    });
    const agent = makeAgent(server.url, { contextWindow: 8192, tools: [...testTools(), bigReadTool(CJK)], retryPolicy: { baseDelayMs: 5 } });
    const events = await collect(agent.run('read the notes'));
    expect(doneOf(events)).toMatchObject({ reason: 'completed', finalText: 'The notes are in Chinese.' });
    const [, withResult, summary] = server.chatRequests();
    const tool = withResult!.body.messages.find((m: ChatMessage) => m.role === 'tool');
    // Capped to a quarter of the window in tokens, not characters.
    expect(estimateTokens(tool.content)).toBeLessThanOrEqual(2048 + 64);
    expect(tool.content).toContain('omitted to fit the context window');
    expect(requestTokens(summary!.body.messages)).toBeLessThanOrEqual(8192);
    expect(summary!.body.max_tokens).toBeLessThanOrEqual(2048);
  });

  it('learns the window from the overflow error of a proxy that reports none, and fits the summary request to it', async () => {
    const ascii = Array.from({ length: 600 }, (_, i) => `line ${i}: ${'lorem ipsum '.repeat(4)}`).join('\n'); // ~30 KB
    server = await startScriptedServer({
      replies: [
        { toolCalls: [{ name: 'ReadNotes', arguments: {} }] },
        { error: { status: 400, message: "litellm.ContextWindowExceededError: This model's maximum context length is 8000 tokens. However, your messages resulted in 9650 tokens." } },
        { text: SUMMARY },
        { text: 'ok' },
      ],
    });
    const agent = makeAgent(server.url, { contextWindow: 32768, tools: [...testTools(), bigReadTool(ascii)] });
    const events = await collect(agent.run('read the notes'));
    expect(doneOf(events)).toMatchObject({ reason: 'completed' });
    const summary = server.chatRequests()[2]!.body;
    expect(summary.messages.at(-1).content).toContain('Your task now is to write a summary');
    expect(requestTokens(summary.messages) + summary.max_tokens).toBeLessThanOrEqual(8000);
    expect(JSON.stringify(summary.messages)).toContain('cut to fit the summary request');
    expect(agent.contextWindow).toBe(8000);
  });
});

describe('the summary has its own output budget', () => {
  it('ignores the user\'s maxTokens, and asks again, shorter, when the summary was cut', async () => {
    server = await startScriptedServer({ replies: [{ text: 'answer' }, { text: 'half a summ', finishReason: 'length' }, { text: SUMMARY }] });
    const agent = makeAgent(server.url, { maxTokens: 64 });
    await collect(agent.run('task'));
    expect(server.chatRequests()[0]!.body.max_tokens).toBe(64);
    const events = await collect(agent.compact());
    expect(events.find((e) => e.type === 'compaction')).toBeTruthy();
    const [, first, second] = server.chatRequests();
    expect(first!.body.max_tokens).toBe(4096);
    expect(second!.body.messages.at(-1).content).toMatch(/cut off at the length limit/);
    expect(agent.messages[0]!.content).toContain(SUMMARY);
    expect(agent.messages[0]!.content).not.toContain('half a summ');
  });

  it('reports a summary cut twice and keeps the conversation', async () => {
    server = await startScriptedServer({ replies: [{ text: 'answer' }, { text: 'cut', finishReason: 'length' }, { text: 'cut again', finishReason: 'length' }] });
    const agent = makeAgent(server.url);
    await collect(agent.run('task'));
    const before = [...agent.messages];
    const events = await collect(agent.compact());
    expect(events.some((e) => e.type === 'compaction')).toBe(false);
    expect(events.find((e) => e.type === 'warning')).toMatchObject({ message: expect.stringMatching(/cut off at its output limit/) });
    expect(agent.messages).toEqual(before);
  });
});

describe('token estimates', () => {
  it('count CJK and emoji densely, ASCII at four characters a token', () => {
    expect(estimateTokens('abcd'.repeat(100))).toBe(100);
    expect(estimateTokens(CJK)).toBeGreaterThanOrEqual(7000);
    expect(estimateTokens('😀'.repeat(100))).toBeGreaterThanOrEqual(150);
    expect(estimateTokens('привет мир '.repeat(10))).toBeGreaterThan(110 / 4);
  });
});
