// Exact token counts through the server's /tokenize (issue 12 item 3): the counter against llama.cpp- and
// vLLM-shaped endpoints of the scripted server (one token per two characters, unlike the chars/4 estimate),
// and the summary request fitted by those counts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { createTokenCounter } from '../../src/backend/tokenize.js';
import { collect, doneOf, makeAgent, testTools } from './loopHarness.js';
import { defineTool } from '../../src/tools/define.js';
import type { ChatMessage } from '../../src/core/messages.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const tokenizeCalls = (s: ScriptedServer) => s.requests.filter((r) => r.path === '/tokenize');
/** The scripted server's own count of a request: what its "tokenizer" makes of every message. */
const serverCount = (messages: ChatMessage[]) => messages.reduce((sum, m) => sum + Math.ceil((m.content ?? '').length / 2) + 4, 0);

describe('the /tokenize counter', () => {
  for (const shape of ['llamacpp', 'vllm'] as const) {
    it(`counts exactly with ${shape}'s body and answer, probing once`, async () => {
      server = await startScriptedServer({ tokenize: shape });
      const count = createTokenCounter({ baseUrl: server.url, apiKey: 'k', model: () => 'm1', kind: shape });
      expect(await count('x'.repeat(1000))).toBe(500);
      expect(await count('y'.repeat(10))).toBe(5);
      const calls = tokenizeCalls(server);
      expect(calls).toHaveLength(3); // the probe, then one request per count
      expect(calls[1]!.body).toEqual(shape === 'llamacpp' ? { content: 'x'.repeat(1000) } : { model: 'm1', prompt: 'x'.repeat(1000), add_special_tokens: false });
      expect(calls[1]!.headers.authorization).toBe('Bearer k');
    });
  }

  it('finds vLLM\'s shape behind an unknown server (a proxy): llama.cpp\'s body is rejected, vLLM\'s counts', async () => {
    server = await startScriptedServer({ tokenize: 'vllm' });
    const count = createTokenCounter({ baseUrl: server.url, apiKey: '', model: () => 'm1' });
    expect(await count('abcdef')).toBe(3);
    expect(tokenizeCalls(server).map((r) => Object.keys(r.body).sort().join(','))).toEqual(['content', 'add_special_tokens,model,prompt', 'add_special_tokens,model,prompt']);
  });

  it('without the endpoint: undefined, after one probe; Ollama is never asked', async () => {
    server = await startScriptedServer({});
    const count = createTokenCounter({ baseUrl: server.url, apiKey: '', model: () => 'm1', kind: 'llamacpp' });
    expect(await count('abc')).toBeUndefined();
    expect(await count('abc')).toBeUndefined();
    expect(tokenizeCalls(server)).toHaveLength(1);
    const ollama = createTokenCounter({ baseUrl: server.url, apiKey: '', model: () => 'm1', kind: 'ollama' });
    expect(await ollama('abc')).toBeUndefined();
    expect(tokenizeCalls(server)).toHaveLength(1);
  });

  it('a server that does not answer in time turns counting off instead of delaying every result', async () => {
    let calls = 0;
    const silent = http.createServer(() => undefined); // takes the request and never answers
    silent.on('connection', () => calls++); // an aborted request opens no second connection
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const count = createTokenCounter({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: '', model: () => 'm', kind: 'llamacpp', timeoutMs: 400 });
      const started = Date.now();
      expect(await count('abc')).toBeUndefined();
      expect(await count('abc')).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(3000);
      expect(calls).toBe(1);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

function readTool(name: string, output: string) {
  return defineTool({ name, description: 'Returns a file.', schema: z.object({}), isReadOnly: () => true, execute: async () => ({ output }) });
}

describe('the summary request is fitted by exact counts', () => {
  // Three results of ~4 000 characters: ~1 000 tokens each by the estimate, ~2 000 by the server's count.
  const texts = ['a', 'b', 'c'].map((c) => `${c}${'0123456789 '.repeat(370)}`);
  const tools = [...testTools(), ...texts.map((t, i) => readTool(`Read${i}`, t))];
  const replies = () => [...texts.map((_, i) => ({ toolCalls: [{ name: `Read${i}`, arguments: {} }] })), { text: 'read them all' }, { text: '1. Task: read.' }];

  async function summaryRequest(withCounter: boolean) {
    server = await startScriptedServer({ replies: replies(), tokenize: 'llamacpp' });
    const countTokens = withCounter ? createTokenCounter({ baseUrl: server.url, apiKey: '', model: () => 'test-model', kind: 'llamacpp' }) : undefined;
    const agent = makeAgent(server.url, { contextWindow: 8192, tools, countTokens });
    expect(doneOf(await collect(agent.run('read the three files'))).reason).toBe('completed');
    const events = await collect(agent.compact());
    expect(events.some((e) => e.type === 'compaction')).toBe(true);
    const body = server.chatRequests().at(-1)!.body;
    await server.close();
    return body as { messages: ChatMessage[]; max_tokens: number };
  }

  it('with /tokenize the request plus its answer budget fits the window by the server\'s count; by the estimate alone it would not', async () => {
    const exact = await summaryRequest(true);
    expect(serverCount(exact.messages) + exact.max_tokens).toBeLessThanOrEqual(8192);
    expect(JSON.stringify(exact.messages)).toContain('cut to fit the summary request');
    // The control: the same conversation fitted by estimates sends every result whole, over the window.
    const estimated = await summaryRequest(false);
    expect(serverCount(estimated.messages) + estimated.max_tokens).toBeGreaterThan(8192);
  });
});
