// The failures seen against a real llama-server (issue 12), replayed from its recorded responses.
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { recording } from '../helpers/recordings.js';
import { collect, doneOf, makeAgent } from './loopHarness.js';
import type { AgentEvent } from '../../src/core/events.js';
import { readFileSync } from 'node:fs';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The answer text a recorded stream carries (its content deltas, in order). */
function recordedText(name: Parameters<typeof recording>[0]): string {
  let text = '';
  for (const line of readFileSync(recording(name), 'utf8').split('\n')) {
    if (!line.startsWith('data: {')) continue;
    const content = JSON.parse(line.slice(6)).choices?.[0]?.delta?.content;
    if (typeof content === 'string') text += content;
  }
  return text;
}

const fast = { retryPolicy: { baseDelayMs: 5, maxDelayMs: 10 } };

describe('an error inside a 200 stream (llama-server peg-native parse failure)', () => {
  it('is retried after text was shown; the shown text is withdrawn and the retry says what the server said', async () => {
    server = await startScriptedServer({ replies: [{ recording: recording('midstream-error-500'), chunkDelayMs: 2 }, { recording: recording('success-stream') }] });
    const agent = makeAgent(server.url, fast);
    const events = await collect(agent.run('hello'));
    const done = doneOf(events);
    expect(done.reason).toBe('completed');
    expect(server.chatRequests()).toHaveLength(2);
    const types = events.map((e) => e.type);
    const firstText = types.indexOf('text_delta');
    const retracted = events.findIndex((e) => e.type === 'text_retracted' && e.reason === 'retry');
    expect(firstText).toBeGreaterThanOrEqual(0);
    expect(retracted).toBeGreaterThan(firstText);
    const retry = events.find((e): e is Extract<AgentEvent, { type: 'retry' }> => e.type === 'retry');
    expect(retry?.reason).toContain('does not match the expected peg-native format');
    // Only the successful attempt's text is the answer.
    expect(done.finalText).toBe(recordedText('success-stream'));
    expect(agent.messages.at(-1)).toMatchObject({ role: 'assistant', content: recordedText('success-stream') });
  });

  it('is retried when the stream started with reasoning (the reasoning-first variant)', async () => {
    server = await startScriptedServer({ replies: [{ recording: recording('midstream-error-500-reasoning') }, { recording: recording('success-stream') }] });
    const agent = makeAgent(server.url, fast);
    const events = await collect(agent.run('hello'));
    expect(doneOf(events).reason).toBe('completed');
    expect(server.chatRequests()).toHaveLength(2);
  });

  it('when every attempt fails, reports the server\'s own words and does not blame overload or memory', async () => {
    server = await startScriptedServer({ fallback: { recording: recording('midstream-error-500') } });
    const agent = makeAgent(server.url, fast);
    const events = await collect(agent.run('hello'));
    const done = doneOf(events);
    expect(done.reason).toBe('error');
    expect(done.error).toContain('does not match the expected peg-native format');
    expect(done.error).not.toMatch(/overloaded|out of memory/);
    expect(server.chatRequests().length).toBeGreaterThan(1);
  });

  it('is not retried once a tool call has streamed (it may be half done)', async () => {
    server = await startScriptedServer({
      replies: [{ toolCalls: [{ name: 'Look', arguments: { name: 'a' } }], cutAfterChunks: 4 }, { text: 'should not be asked' }],
    });
    const agent = makeAgent(server.url, fast);
    const events = await collect(agent.run('hello'));
    expect(doneOf(events).reason).toBe('error');
    expect(server.chatRequests()).toHaveLength(1);
  });
});

describe('the </think> guard', () => {
  it('streams a non-thinking model at once: the first text arrives long before 256 characters', async () => {
    const text = 'word '.repeat(200);
    server = await startScriptedServer({ replies: [{ text, chunkSize: 5, chunkDelayMs: 1 }] });
    const agent = makeAgent(server.url);
    const events = await collect(agent.run('hello'));
    const first = events.find((e): e is Extract<AgentEvent, { type: 'text_delta' }> => e.type === 'text_delta');
    expect(first?.text.length).toBeLessThanOrEqual(10);
    expect(doneOf(events).finalText).toBe(text.trimEnd());
  });

  it('moves text already shown into the reasoning block when a late </think> arrives', async () => {
    const thought = 'The user wants a greeting. I will say hello in a friendly way.';
    server = await startScriptedServer({ replies: [{ text: `${thought}</think>Hello there!`, chunkSize: 5, chunkDelayMs: 1 }, { text: 'x</think>y' }] });
    const agent = makeAgent(server.url);
    const events = await collect(agent.run('hello'));
    const kinds = events.filter((e) => ['text_delta', 'text_retracted', 'reasoning_delta'].includes(e.type));
    const retracted = kinds.findIndex((e) => e.type === 'text_retracted');
    expect(kinds[0]?.type).toBe('text_delta');
    expect(retracted).toBeGreaterThan(0);
    expect(events.find((e) => e.type === 'text_retracted')).toMatchObject({ reason: 'reasoning' });
    const reasoning = kinds.filter((e) => e.type === 'reasoning_delta').map((e) => (e as { text: string }).text).join('');
    expect(reasoning).toBe(thought);
    expect(doneOf(events).finalText).toBe('Hello there!');
    // Having shown a think tag, the model now gets the guard: nothing of the next answer's thought is shown.
    const second = await collect(agent.run('again'));
    expect(second.filter((e) => e.type === 'text_delta').map((e) => (e as { text: string }).text).join('')).toBe('y');
    expect(second.some((e) => e.type === 'text_retracted')).toBe(false);
  });
});
