import { afterEach, describe, expect, it } from 'vitest';
import OpenAI, { APIError } from 'openai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { startScriptedServer, type ScriptedServer, type ServerOptions } from './scripted-server.mjs';
import { echoStep } from './echo.mjs';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: ServerOptions): Promise<{ server: ScriptedServer; client: OpenAI }> {
  server = await startScriptedServer(options);
  return { server, client: new OpenAI({ baseURL: server.url, apiKey: 'x', maxRetries: 0 }) };
}

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;

async function collect(client: OpenAI, extra: Record<string, unknown> = {}): Promise<Chunk[]> {
  const stream = await client.chat.completions.create({
    model: 'qwen3-coder',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
    ...extra,
  } as OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming);
  const chunks: Chunk[] = [];
  for await (const c of stream) chunks.push(c);
  return chunks;
}

/** Index-keyed accumulation, the naive way (what merges Ollama's index-0 calls). */
function byIndex(chunks: Chunk[]): Map<number, { id?: string; name: string; args: string }> {
  const calls = new Map<number, { id?: string; name: string; args: string }>();
  for (const c of chunks) {
    for (const tc of c.choices[0]?.delta.tool_calls ?? []) {
      const cur = calls.get(tc.index) ?? { name: '', args: '' };
      if (tc.id) cur.id = tc.id;
      cur.name += tc.function?.name ?? '';
      cur.args += tc.function?.arguments ?? '';
      calls.set(tc.index, cur);
    }
  }
  return calls;
}

describe('scripted server via the openai SDK', () => {
  it('streams text in chunks that concatenate, role first, finish_reason last, model echoed', async () => {
    const { client } = await start({ replies: [{ text: 'Hello from the scripted server!', chunkSize: 5 }] });
    const chunks = await collect(client);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Hello from the scripted server!');
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBe(7); // 31 chars / 5
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.every((c) => c.model === 'qwen3-coder' && c.object === 'chat.completion.chunk')).toBe(true);
  });

  it('streams reasoning before content under the chosen field', async () => {
    const { client } = await start({
      replies: [
        { reasoning: 'think think', text: 'done' },
        { reasoning: 'ponder', reasoningField: 'reasoning', text: 'ok' },
      ],
    });
    const a = await collect(client);
    const deltas = a.map((c) => c.choices[0]?.delta as Record<string, unknown>);
    const firstReasoning = deltas.findIndex((d) => d?.reasoning_content);
    const firstContent = deltas.findIndex((d) => d?.content);
    expect(firstReasoning).toBeGreaterThan(0);
    expect(firstReasoning).toBeLessThan(firstContent);
    expect(deltas.map((d) => d?.reasoning_content ?? '').join('')).toBe('think think');
    const b = await collect(client);
    const bd = b.map((c) => c.choices[0]?.delta as Record<string, unknown>);
    expect(bd.map((d) => d?.reasoning ?? '').join('')).toBe('ponder');
    expect(bd.some((d) => 'reasoning_content' in (d ?? {}))).toBe(false);
  });

  it('vllm style: header delta then argument fragments that reassemble by index', async () => {
    const { client } = await start({
      replies: [
        {
          toolCalls: [
            { name: 'Read', arguments: { file_path: '/tmp/a.txt', limit: 20 } },
            { name: 'Bash', arguments: '{"command":"ls -la"}', id: 'fixed-id' },
          ],
          chunkSize: 4,
        },
      ],
    });
    const chunks = await collect(client);
    const headers = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).filter((t) => t.id);
    expect(headers.map((h) => [h.index, h.type, h.function?.name])).toEqual([
      [0, 'function', 'Read'],
      [1, 'function', 'Bash'],
    ]);
    const calls = byIndex(chunks);
    expect(JSON.parse(calls.get(0)!.args)).toEqual({ file_path: '/tmp/a.txt', limit: 20 });
    expect(calls.get(1)).toEqual({ id: 'fixed-id', name: 'Bash', args: '{"command":"ls -la"}' });
    const fragments = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).filter((t) => !t.id);
    expect(fragments.length).toBeGreaterThan(4);
    expect(fragments.every((f) => (f.function?.arguments ?? '').length <= 4)).toBe(true);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('ollama style: every call whole in one chunk with index 0 and call_ ids', async () => {
    const { client } = await start({
      replies: [
        {
          style: 'ollama',
          toolCalls: [
            { name: 'Read', arguments: { file_path: 'a' } },
            { name: 'Read', arguments: { file_path: 'b' } },
          ],
        },
      ],
    });
    const chunks = await collect(client);
    const tcs = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(tcs).toHaveLength(2);
    for (const [i, tc] of tcs.entries()) {
      expect(tc.index).toBe(0);
      expect(tc.id).toMatch(/^call_\w+$/);
      expect(JSON.parse(tc.function!.arguments!)).toEqual({ file_path: i === 0 ? 'a' : 'b' });
    }
    expect(tcs[0]!.id).not.toBe(tcs[1]!.id);
    // Naive index accumulation merges them — the bug the real accumulator must avoid.
    expect(byIndex(chunks).get(0)?.args).toBe('{"file_path":"a"}{"file_path":"b"}');
  });

  it('sends a usage chunk with empty choices only when include_usage is asked', async () => {
    const { client } = await start({
      replies: [{ text: 'abc', usage: { prompt_tokens: 120, completion_tokens: 7 } }, { text: 'abc' }, { text: 'x', usage: false }],
    });
    const a = await collect(client, { stream_options: { include_usage: true } });
    const last = a.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual({ prompt_tokens: 120, completion_tokens: 7, total_tokens: 127 });
    const b = await collect(client);
    expect(b.some((c) => c.usage)).toBe(false);
    const c = await collect(client, { stream_options: { include_usage: true } });
    expect(c.some((x) => x.usage)).toBe(false);
  });

  it('surfaces HTTP errors as APIError with status, message and headers', async () => {
    const { client } = await start({
      replies: [
        { error: { status: 400, message: "This model's maximum context length is 8192 tokens." } },
        { error: { status: 503, message: 'server busy', headers: { 'retry-after': '2' } } },
      ],
    });
    const e1 = await collect(client).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(APIError);
    expect((e1 as APIError).status).toBe(400);
    expect((e1 as APIError).message).toContain('maximum context length is 8192');
    const e2 = (await collect(client).catch((e: unknown) => e)) as APIError;
    expect(e2.status).toBe(503);
    expect(e2.headers?.get('retry-after')).toBe('2');
  });

  it('answers 500 "no scripted reply left" when replies run out, then the fallback', async () => {
    const { client, server } = await start({ replies: [{ text: 'one' }] });
    expect(server.remaining()).toBe(1);
    await collect(client);
    expect(server.remaining()).toBe(0);
    const e = (await collect(client).catch((x: unknown) => x)) as APIError;
    expect(e.status).toBe(500);
    expect(e.message).toContain('no scripted reply left');
    server.push((req, index) => ({ text: `#${index} ${req.body.messages[0].content}` }));
    const chunks = await collect(client);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('#2 hi');
  });

  it('delivers llama.cpp-style SSE errors after a 200 as a thrown APIError', async () => {
    const { client } = await start({ replies: [{ sseError: { message: 'the request exceeds the available context size' } }] });
    const e = await collect(client).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(APIError);
    expect((e as APIError).message).toContain('exceeds the available context size');
  });

  it('a cut stream makes SDK iteration throw after the chunks already sent', async () => {
    const { client } = await start({ replies: [{ text: 'abcdefghijklmnopqrstuvwxyz', chunkSize: 2, cutAfterChunks: 3 }] });
    const seen: string[] = [];
    const stream = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const err = await (async () => {
      for await (const c of stream) seen.push(c.choices[0]?.delta.content ?? '');
    })().catch((x: unknown) => x);
    expect(err).toBeInstanceOf(Error);
    expect(seen.join('')).toBe('abcd');
  });

  it('answers non-streaming requests (and nonStreaming replies) with a chat.completion', async () => {
    const { client } = await start({
      replies: [{ toolCalls: [{ name: 'Read', arguments: { file_path: 'x' } }], text: 'let me look' }, { text: 'plain', nonStreaming: true }],
    });
    const r = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(r.object).toBe('chat.completion');
    expect(r.choices[0]?.message.content).toBe('let me look');
    const tc = r.choices[0]?.message.tool_calls?.[0];
    expect(tc?.type === 'function' && JSON.parse(tc.function.arguments)).toEqual({ file_path: 'x' });
    expect(r.choices[0]?.finish_reason).toBe('tool_calls');
    expect(r.usage?.total_tokens).toBeGreaterThan(0);
    const raw = await fetch(`${server!.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', stream: true, messages: [] }),
    });
    expect(raw.headers.get('content-type')).toContain('application/json');
    expect(((await raw.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe('plain');
  });

  it('records every request with method, path, headers and parsed body', async () => {
    const { client, server } = await start({ replies: [{ text: 'a' }] });
    await collect(client, { tools: [{ type: 'function', function: { name: 'Read', parameters: { type: 'object' } } }] });
    await fetch(`${server.origin}/nope?q=1`);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['test-model']);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/chat/completions',
      'GET /nope',
      'GET /v1/models',
    ]);
    const chat = server.chatRequests();
    expect(chat).toHaveLength(1);
    expect(chat[0]!.body.model).toBe('qwen3-coder');
    expect(chat[0]!.body.stream).toBe(true);
    expect(chat[0]!.body.tools[0].function.name).toBe('Read');
    expect(JSON.parse(chat[0]!.rawBody)).toEqual(chat[0]!.body);
    expect(chat[0]!.headers.authorization).toBe('Bearer x');
    expect((await fetch(`${server.origin}/nope`)).status).toBe(404);
  });

  it('serves models with max_model_len and the probe endpoints (404 when unset)', async () => {
    const { server } = await start({
      models: [{ id: 'qwen', max_model_len: 32768 }],
      props: { default_generation_settings: { n_ctx: 16384 }, total_slots: 1 },
      ollama: { ps: { models: [{ name: 'qwen', context_length: 4096 }] }, version: '0.12.0' },
    });
    const get = async (p: string, init?: RequestInit) => {
      const r = await fetch(`${server.origin}${p}`, init);
      return { status: r.status, body: (await r.json()) as any };
    };
    expect((await get('/v1/models')).body.data[0]).toMatchObject({ id: 'qwen', max_model_len: 32768, object: 'model' });
    expect((await get('/props')).body.default_generation_settings.n_ctx).toBe(16384);
    expect((await get('/api/ps')).body.models[0].context_length).toBe(4096);
    expect((await get('/api/version')).body).toEqual({ version: '0.12.0' });
    expect((await get('/api/show', { method: 'POST', body: '{"model":"qwen"}' })).status).toBe(404);
    expect((await get('/api/v0/models')).status).toBe(404);
  });

  it('rejects a wrong API key with 401 when requireApiKey is set', async () => {
    const { server } = await start({ requireApiKey: 'secret', replies: [{ text: 'ok' }] });
    const bad = new OpenAI({ baseURL: server.url, apiKey: 'wrong', maxRetries: 0 });
    const e = (await collect(bad).catch((x: unknown) => x)) as APIError;
    expect(e.status).toBe(401);
    const good = new OpenAI({ baseURL: server.url, apiKey: 'secret', maxRetries: 0 });
    expect((await collect(good)).map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('ok');
  });

  it('delays the first byte by delayMs', async () => {
    const { client } = await start({ replies: [{ text: 'slow', delayMs: 150 }] });
    const t0 = Date.now();
    await collect(client);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('close() ends a stalled stream promptly and the client sees the stream end or fail', async () => {
    const { client, server } = await start({ replies: [{ text: 'abcdefghijkl', chunkSize: 2, stallAfterChunks: 2 }] });
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
    const seen: string[] = [];
    const done = (async () => {
      for await (const c of stream) {
        seen.push(c.choices[0]?.delta.content ?? '');
        if (seen.length === 2) setTimeout(() => void server.close(), 50);
      }
    })().then(
      () => 'ended',
      () => 'failed',
    );
    const t0 = Date.now();
    const outcome = await done;
    expect(['ended', 'failed']).toContain(outcome);
    expect(seen.join('')).toBe('ab');
    expect(Date.now() - t0).toBeLessThan(2000);
    // A delayed reply also must not keep close() waiting.
    const s2 = await startScriptedServer({ replies: [{ text: 'never', delayMs: 60_000 }] });
    const pending = fetch(`${s2.url}/chat/completions`, { method: 'POST', body: '{"stream":true}' }).catch(() => 'failed');
    await new Promise((r) => setTimeout(r, 50));
    await s2.close();
    expect(await pending).toBe('failed');
  });
});

describe('echo step and serve.mjs', () => {
  const req = (messages: unknown[]) => ({ method: 'POST', path: '/v1/chat/completions', headers: {}, body: { messages }, rawBody: '', time: 0 });

  it('echoes text, asks for Read on "read <path>", and summarises the tool result', () => {
    expect(echoStep(req([{ role: 'user', content: 'hello' }]))).toEqual({ text: 'You said: hello' });
    expect(echoStep(req([{ role: 'user', content: [{ type: 'text', text: 'please read src/a.ts.' }] }]))).toEqual({
      toolCalls: [{ name: 'Read', arguments: { file_path: 'src/a.ts' } }],
    });
    expect(
      echoStep(req([{ role: 'user', content: 'read a' }, { role: 'assistant', content: '' }, { role: 'tool', content: '1\tx\n2\ty\n' }])),
    ).toEqual({ text: 'Read 2 lines.' });
  });

  it('serve.mjs prints the base URL first and answers with echo by default', async () => {
    const script = fileURLToPath(new URL('./serve.mjs', import.meta.url));
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`serve.mjs exited ${code}`)));
      });
      expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const client = new OpenAI({ baseURL: first, apiKey: 'x', maxRetries: 0 });
      const chunks = await collect(client, { messages: [{ role: 'user', content: 'ping' }] });
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('You said: ping');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
