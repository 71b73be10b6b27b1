import { afterEach, describe, expect, it } from 'vitest';
import {
  describeFetchError,
  fetchModels,
  inspectServer,
  resolveContextWindow,
  ServerHttpError,
  type ServerInfo,
} from '../../src/backend/serverInfo.js';
import { startScriptedServer, type ScriptedServer, type ServerOptions } from '../support/scripted-server.mjs';
import { deadUrl } from '../helpers/net.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: ServerOptions): Promise<ScriptedServer> {
  server = await startScriptedServer(options);
  return server;
}

describe('fetchModels', () => {
  it('lists ids and takes vLLM max_model_len as the context window', async () => {
    const s = await start({ models: [{ id: 'a', max_model_len: 65536 }, { id: 'b' }] });
    expect(await fetchModels(s.url, 'k')).toEqual([{ id: 'a', contextWindow: 65536 }, { id: 'b' }]);
  });

  it('throws with the HTTP status and the server message', async () => {
    const s = await start({ requireApiKey: 'right' });
    const err = await fetchModels(s.url, 'wrong').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerHttpError);
    expect((err as ServerHttpError).status).toBe(401);
    expect((err as Error).message).toContain('Incorrect API key provided');
  });

  it('names a refused connection plainly', async () => {
    const err = await fetchModels(await deadUrl(), 'k').catch((e: unknown) => e);
    expect(describeFetchError(err)).toBe('connection refused');
  });
});

describe('inspectServer: context window per server kind', () => {
  it('vLLM: /models max_model_len of the chosen model', async () => {
    const s = await start({ models: [{ id: 'small', max_model_len: 8192 }, { id: 'qwen', max_model_len: 131072 }] });
    const info = await inspectServer(s.url, 'k', 'qwen');
    expect(info).toMatchObject({ kind: 'vllm', contextWindow: 131072, warnings: [] });
    expect(info.contextSource).toMatch(/max_model_len/);
  });

  it('llama.cpp: /props default_generation_settings.n_ctx (per slot)', async () => {
    const s = await start({
      models: [{ id: 'qwen.gguf' }],
      props: { default_generation_settings: { n_ctx: 16384 }, total_slots: 4 },
    });
    const info = await inspectServer(s.url, 'k', undefined);
    expect(info).toMatchObject({ kind: 'llamacpp', contextWindow: 16384 });
    expect(info.contextSource).toMatch(/\/props n_ctx/);
  });

  it('llama.cpp: top-level n_ctx in older builds', async () => {
    const s = await start({ props: { n_ctx: 12288 } });
    expect(await inspectServer(s.url, 'k', undefined)).toMatchObject({ kind: 'llamacpp', contextWindow: 12288 });
  });

  it('Ollama: the loaded context from /api/ps for the chosen model, not the trained maximum', async () => {
    const s = await start({
      models: [{ id: 'qwen3-coder:30b' }, { id: 'llama3.2' }],
      ollama: {
        version: '0.12.3',
        ps: {
          models: [
            { name: 'llama3.2:latest', model: 'llama3.2:latest', context_length: 2048 },
            { name: 'qwen3-coder:30b', model: 'qwen3-coder:30b', context_length: 32768 },
          ],
        },
        show: { parameters: 'temperature 0.7', model_info: { 'qwen3moe.context_length': 262144 } },
      },
    });
    const info = await inspectServer(s.url, 'k', 'qwen3-coder:30b');
    expect(info).toMatchObject({
      kind: 'ollama',
      version: '0.12.3',
      contextWindow: 32768,
      trainedContextWindow: 262144,
      warnings: [],
    });
    expect(info.contextSource).toMatch(/api\/ps/);
    const show = s.requests.find((r) => r.path === '/api/show');
    expect(show?.body).toEqual({ model: 'qwen3-coder:30b' });
  });

  it('Ollama: matches `name` and `name:latest` as one model', async () => {
    const s = await start({
      models: [{ id: 'llama3.2:latest' }],
      ollama: { version: '0.9.0', ps: { models: [{ name: 'llama3.2:latest', context_length: 8192 }] } },
    });
    expect((await inspectServer(s.url, 'k', 'llama3.2')).contextWindow).toBe(8192);
  });

  it('Ollama: warns about a small loaded context, with the fix', async () => {
    const s = await start({
      models: [{ id: 'qwen3-coder' }],
      ollama: { version: '0.12.3', ps: { models: [{ name: 'qwen3-coder:latest', context_length: 4096 }] } },
    });
    const info = await inspectServer(s.url, 'k', 'qwen3-coder');
    expect(info.contextWindow).toBe(4096);
    expect(info.warnings).toHaveLength(1);
    expect(info.warnings[0]).toMatch(/4096-token context/);
    expect(info.warnings[0]).toMatch(/silently/);
    expect(info.warnings[0]).toContain('OLLAMA_CONTEXT_LENGTH=32768 ollama serve');
    expect(info.warnings[0]).toContain('PARAMETER num_ctx 32768');
  });

  it('Ollama: falls back to the Modelfile num_ctx from /api/show when the model is not loaded', async () => {
    const s = await start({
      models: [{ id: 'qwen3-coder' }],
      ollama: {
        version: '0.12.3',
        ps: { models: [] },
        show: { parameters: 'stop "<|im_end|>"\nnum_ctx                        2048\ntemperature 0.7' },
      },
    });
    const info = await inspectServer(s.url, 'k', 'qwen3-coder');
    expect(info.contextWindow).toBe(2048);
    expect(info.contextSource).toMatch(/num_ctx/);
    expect(info.warnings[0]).toMatch(/2048-token context/);
  });

  it('Ollama: never takes the trained maximum as the window; says the window is unknown until loaded', async () => {
    const s = await start({
      models: [{ id: 'qwen3-coder' }],
      ollama: {
        version: '0.12.3',
        ps: { models: [] },
        show: { parameters: '', model_info: { 'qwen3moe.context_length': 262144 } },
      },
    });
    const info = await inspectServer(s.url, 'k', 'qwen3-coder');
    expect(info.contextWindow).toBeUndefined();
    expect(info.trainedContextWindow).toBe(262144);
    expect(info.warnings[0]).toMatch(/not loaded/);
    expect(resolveContextWindow(undefined, info)).toEqual({ window: 32768, source: expect.stringMatching(/default/) });
  });

  it('LM Studio: loaded_context_length, else max_context_length', async () => {
    const s = await start({
      models: [{ id: 'qwen3-coder-30b' }, { id: 'other' }],
      lmstudio: {
        object: 'list',
        data: [
          { id: 'qwen3-coder-30b', state: 'loaded', loaded_context_length: 20480, max_context_length: 262144 },
          { id: 'other', state: 'not-loaded', max_context_length: 8192 },
        ],
      },
    });
    const loaded = await inspectServer(s.url, 'k', 'qwen3-coder-30b');
    expect(loaded).toMatchObject({ kind: 'lmstudio', contextWindow: 20480 });
    expect(loaded.contextSource).toMatch(/loaded_context_length/);
    const other = await inspectServer(s.url, 'k', 'other');
    expect(other).toMatchObject({ kind: 'lmstudio', contextWindow: 8192 });
    expect(other.contextSource).toMatch(/max_context_length/);
  });

  it('an unknown server reports no window and inspection never throws on missing endpoints', async () => {
    const s = await start({ models: [{ id: 'm' }] });
    const info = await inspectServer(s.url, 'k', 'm');
    expect(info).toEqual({ kind: 'unknown', models: [{ id: 'm' }], warnings: [] });
  });

  it('a dead server is reported, not thrown', async () => {
    const info = await inspectServer(await deadUrl(), 'k', 'm', { timeoutMs: 300 });
    expect(info.kind).toBe('unknown');
    expect(info.modelsError).toBe('connection refused');
  });

  it('probes the native endpoints at the server root, beside a proxy prefix', async () => {
    const seen: string[] = [];
    const fetchImpl = (async (url: string | URL | Request) => {
      seen.push(String(url));
      return new Response('{}', { status: 404 });
    }) as typeof fetch;
    await inspectServer('http://gpu:9000/ollama/v1/', 'k', 'm', { fetchImpl });
    expect(seen.sort()).toEqual(
      [
        'http://gpu:9000/ollama/v1/models',
        'http://gpu:9000/ollama/props',
        'http://gpu:9000/ollama/api/ps',
        'http://gpu:9000/ollama/api/version',
        'http://gpu:9000/ollama/api/v0/models',
      ].sort(),
    );
  });
});

describe('resolveContextWindow', () => {
  const info: ServerInfo = { kind: 'vllm', models: [], contextWindow: 65536, contextSource: 'vLLM /models max_model_len', warnings: [] };
  it('settings win over the server', () => {
    expect(resolveContextWindow(100000, info)).toEqual({ window: 100000, source: 'settings contextWindow' });
  });
  it('the server wins over the default', () => {
    expect(resolveContextWindow(undefined, info)).toEqual({ window: 65536, source: 'vLLM /models max_model_len' });
  });
  it('32768 when nobody knows', () => {
    expect(resolveContextWindow(undefined, undefined).window).toBe(32768);
    expect(resolveContextWindow(0, { kind: 'unknown', models: [], warnings: [] }).window).toBe(32768);
  });
});
