// The robustness pieces composed the way the model turn uses them, against the scripted server through
// the real OpenAI client: watchdog inside each attempt, retry around attempts, normalisation of the result.
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIClient } from '../../src/backend/openaiClient.js';
import { normalizeStream } from '../../src/backend/normalize.js';
import { streamWithRetry, withIdleWatchdog } from '../../src/backend/retry.js';
import type { StreamChunk } from '../../src/backend/types.js';
import { startScriptedServer, type ScriptedReply, type ScriptedServer } from '../support/scripted-server.mjs';

const TOOLS = ['Read', 'Edit', 'Bash'];
let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runTurn(replies: ScriptedReply[], opts: { idleMs?: number; firstTokenMs?: number } = {}) {
  server = await startScriptedServer({ replies });
  const client = createOpenAIClient({ baseUrl: server.url, apiKey: 'local' });
  const retries: string[] = [];
  const start = () => {
    const attempt = new AbortController();
    const raw = withIdleWatchdog(client.stream({ model: 'm', messages: [{ role: 'user', content: 'go' }], tools: [] }, attempt.signal), {
      firstTokenMs: opts.firstTokenMs ?? 5000,
      idleMs: opts.idleMs ?? 5000,
      onTimeout: () => attempt.abort(),
    });
    return normalizeStream(raw, { toolNames: TOOLS, makeId: (n) => `call_text_${n}` });
  };
  const out: StreamChunk[] = [];
  let error: unknown;
  try {
    for await (const c of streamWithRetry(start, { signal: new AbortController().signal, baseUrl: server.url, policy: { baseDelayMs: 5 }, onRetry: (i) => retries.push(i.reason) })) out.push(c);
  } catch (e) {
    error = e;
  }
  // A `retract` withdraws the text shown before it (a late </think>), as the model turn does.
  const text = out.reduce((acc, c) => (c.type === 'retract' ? '' : c.type === 'text' ? acc + c.text : acc), '');
  const reasoning = out.map((c) => (c.type === 'reasoning' ? c.text : '')).join('');
  const calls = out.filter((c) => c.type === 'tool_call_delta');
  return { out, text, reasoning, calls, retries, error };
}

describe('robustness pipeline with the real client', () => {
  it('a Qwen XML call streamed as text in 3-char pieces becomes a structured call', async () => {
    const r = await runTurn([
      {
        text: 'I will fix it.\n<tool_call>\n<function=Edit>\n<parameter=file_path>\nsrc/a.ts\n</parameter>\n<parameter=old_string>\nif (a < b) {\n</parameter>\n<parameter=new_string>\nif (a <= b) {\n</parameter>\n</function>\n</tool_call>',
        chunkSize: 3,
      },
    ]);
    expect(r.text).toBe('I will fix it.');
    expect(r.calls).toEqual([
      { type: 'tool_call_delta', index: 0, id: 'call_text_0', name: 'Edit', arguments: JSON.stringify({ file_path: 'src/a.ts', old_string: 'if (a < b) {', new_string: 'if (a <= b) {' }) },
    ]);
  });

  it('a Hermes call after reasoning_content, with a lone </think> in content', async () => {
    const r = await runTurn([{ reasoning: 'Need to look.', text: 'more thought</think>\n\n<tool_call>\n{"name": "bash", "arguments": {"command": "ls"}}\n</tool_call>', chunkSize: 5 }]);
    expect(r.reasoning).toBe('Need to look.more thought');
    expect(r.text).toBe('');
    expect(r.calls).toEqual([{ type: 'tool_call_delta', index: 0, id: 'call_text_0', name: 'Bash', arguments: '{"command":"ls"}' }]);
  });

  it('structured vLLM-style calls pass through untouched', async () => {
    const r = await runTurn([{ toolCalls: [{ name: 'Read', arguments: { file_path: 'x' }, id: 'call_9' }] }]);
    expect(r.calls[0]).toMatchObject({ id: 'call_9', name: 'Read' });
    expect(r.calls.map((c) => (c.type === 'tool_call_delta' ? c.arguments : '')).join('')).toBe('{"file_path":"x"}');
  });

  it('503, then a cut before output, then success', async () => {
    const r = await runTurn([{ error: { status: 503, message: 'busy' } }, { text: 'x', cutAfterChunks: 1 }, { text: 'Hello.' }]);
    expect(r.error).toBeUndefined();
    expect(r.text).toBe('Hello.');
    expect(r.retries).toEqual(['HTTP 503: busy', 'the stream was cut']);
  });

  it('a stream that stalls after output ends with a timeout and is not re-run', async () => {
    const r = await runTurn([{ text: 'Partial answer that stalls', chunkSize: 4, stallAfterChunks: 4 }, { text: 'second attempt' }], { idleMs: 150 });
    expect(r.error).toMatchObject({ kind: 'timeout', outputStarted: true });
    expect(server!.chatRequests()).toHaveLength(1);
  });

  it('no first token in time: a timeout, not retried', async () => {
    const r = await runTurn([{ text: 'late', delayMs: 2000 }, { text: 'second attempt' }], { firstTokenMs: 150 });
    expect(r.error).toMatchObject({ kind: 'timeout', outputStarted: false });
    expect(r.retries).toEqual([]);
  });
});
