import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import {
  NoServerError,
  normalizeBaseUrl,
  ollamaHostToBaseUrl,
  probeLocalServers,
  resolveApiKey,
  resolveApiKeyWithSource,
  resolveBackend,
  resolveBaseUrlFromConfig,
  resolveModelFromConfig,
  type BackendConfigInput,
} from '../../src/backend/detect.js';
import { startScriptedServer } from '../support/scripted-server.mjs';
import { deadUrl } from '../helpers/net.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function input(over: Partial<BackendConfigInput> = {}): BackendConfigInput {
  return { env: {}, settings: {}, ...over };
}

/** Accepts connections and never answers: the worst case for a probe. */
async function blackHole(): Promise<string> {
  const sockets: net.Socket[] = [];
  const srv = net.createServer((s) => sockets.push(s));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => srv.close(() => r()));
  });
  return `http://127.0.0.1:${(srv.address() as net.AddressInfo).port}/v1`;
}

/** A plain HTTP server answering GET /v1/models with `body` after `delayMs`. */
async function modelsServer(body: string, delayMs = 0, status = 200): Promise<string> {
  const srv = http.createServer((_req, res) => {
    setTimeout(() => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    }, delayMs);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    srv.closeAllConnections();
    return new Promise<void>((r) => srv.close(() => r()));
  });
  return `http://127.0.0.1:${(srv.address() as net.AddressInfo).port}/v1`;
}

const list = (...ids: string[]) => JSON.stringify({ object: 'list', data: ids.map((id) => ({ id })) });

describe('base URL precedence (SPEC §2)', () => {
  const all: BackendConfigInput = {
    flagBaseUrl: 'http://flag:1/v1',
    env: {
      CLAW_BASE_URL: 'http://claw:2/v1',
      OPENAI_BASE_URL: 'http://openai:3/v1',
      OLLAMA_HOST: 'ollama:5',
    },
    settings: { baseUrl: 'http://settings:4/v1' },
  };
  const drop = (keys: string[]): BackendConfigInput => {
    const env = { ...all.env };
    for (const k of keys) delete env[k];
    return {
      flagBaseUrl: keys.includes('flag') ? undefined : all.flagBaseUrl,
      env,
      settings: keys.includes('settings') ? {} : all.settings,
    };
  };
  it.each([
    [[], 'http://flag:1/v1', '--base-url'],
    [['flag'], 'http://claw:2/v1', 'CLAW_BASE_URL'],
    [['flag', 'CLAW_BASE_URL'], 'http://openai:3/v1', 'OPENAI_BASE_URL'],
    [['flag', 'CLAW_BASE_URL', 'OPENAI_BASE_URL'], 'http://settings:4/v1', 'settings'],
    [['flag', 'CLAW_BASE_URL', 'OPENAI_BASE_URL', 'settings'], 'http://ollama:5/v1', 'OLLAMA_HOST'],
  ])('without %j it uses %s (%s)', (dropped, baseUrl, source) => {
    expect(resolveBaseUrlFromConfig(drop(dropped))).toEqual({ baseUrl, source });
  });

  it('returns undefined when nothing is configured, so the caller probes', () => {
    expect(resolveBaseUrlFromConfig(input())).toBeUndefined();
  });

  it('treats empty or blank values as unset', () => {
    const r = resolveBaseUrlFromConfig(
      input({ flagBaseUrl: '', env: { CLAW_BASE_URL: '  ', OPENAI_BASE_URL: 'http://x:9/v1' } }),
    );
    expect(r).toEqual({ baseUrl: 'http://x:9/v1', source: 'OPENAI_BASE_URL' });
  });

  it('normalises trailing slashes and a missing scheme', () => {
    expect(normalizeBaseUrl('http://localhost:8000/v1/')).toBe('http://localhost:8000/v1');
    expect(normalizeBaseUrl(' localhost:8000/v1 ')).toBe('http://localhost:8000/v1');
    expect(normalizeBaseUrl('https://api.example.com/v1')).toBe('https://api.example.com/v1');
  });
});

describe('OLLAMA_HOST forms', () => {
  it.each([
    ['localhost:11434', 'http://localhost:11434/v1'],
    ['127.0.0.1', 'http://127.0.0.1:11434/v1'],
    ['0.0.0.0', 'http://127.0.0.1:11434/v1'],
    ['0.0.0.0:11500', 'http://127.0.0.1:11500/v1'],
    [':11435', 'http://127.0.0.1:11435/v1'],
    ['[::]:11434', 'http://127.0.0.1:11434/v1'],
    ['http://gpu-box:11434', 'http://gpu-box:11434/v1'],
    ['http://gpu-box:11434/', 'http://gpu-box:11434/v1'],
    ['http://0.0.0.0:11434', 'http://127.0.0.1:11434/v1'],
    ['https://ollama.example.com', 'https://ollama.example.com/v1'],
    ['http://example.com/ollama', 'http://example.com/ollama/v1'],
    ['http://localhost:11434/v1', 'http://localhost:11434/v1'],
    ['[::1]:11434', 'http://[::1]:11434/v1'],
  ])('%s → %s', (host, url) => {
    expect(ollamaHostToBaseUrl(host)).toBe(url);
  });

  it('is ignored when blank', () => {
    expect(resolveBaseUrlFromConfig(input({ env: { OLLAMA_HOST: ' ' } }))).toBeUndefined();
  });
});

describe('API key and model precedence', () => {
  it.each([
    [{ CLAW_API_KEY: 'a', OPENAI_API_KEY: 'b' }, { apiKey: 's' }, 'a', 'CLAW_API_KEY'],
    [{ OPENAI_API_KEY: 'b' }, { apiKey: 's' }, 'b', 'OPENAI_API_KEY'],
    [{ CLAW_API_KEY: '' }, { apiKey: 's' }, 's', 'settings'],
    [{}, {}, 'local', 'default'],
  ])('env %j settings %j → %s', (env, settings, key, source) => {
    const i = input({ env, settings });
    expect(resolveApiKeyWithSource(i)).toEqual({ apiKey: key, source });
    expect(resolveApiKey(i)).toBe(key);
  });

  it.each([
    ['m-flag', { CLAW_MODEL: 'm-claw', OPENAI_MODEL: 'm-openai' }, { model: 'm-set' }, 'm-flag', '--model'],
    [undefined, { CLAW_MODEL: 'm-claw', OPENAI_MODEL: 'm-openai' }, { model: 'm-set' }, 'm-claw', 'CLAW_MODEL'],
    [undefined, { OPENAI_MODEL: 'm-openai' }, { model: 'm-set' }, 'm-openai', 'OPENAI_MODEL'],
    [undefined, {}, { model: 'm-set' }, 'm-set', 'settings'],
  ])('model flag %s env %j settings %j → %s', (flagModel, env, settings, model, source) => {
    expect(resolveModelFromConfig(input({ flagModel, env, settings }))).toEqual({ model, source });
  });

  it('has no configured model when none is set', () => {
    expect(resolveModelFromConfig(input({ env: { CLAW_MODEL: '' } }))).toBeUndefined();
  });
});

describe('probing local servers', () => {
  it('picks the first candidate in order among the live ones', async () => {
    const dead = await deadUrl();
    const second = await modelsServer(list('vllm-model'));
    const third = await modelsServer(list('lms-model'));
    expect(await probeLocalServers({ candidates: [dead, second, third] })).toBe(second);
  });

  it('prefers an earlier candidate even when a later one answers faster', async () => {
    const slow = await modelsServer(list('ollama-model'), 100);
    const fast = await modelsServer(list('vllm-model'));
    expect(await probeLocalServers({ candidates: [slow, fast], timeoutMs: 2000 })).toBe(slow);
  });

  it('skips servers that answer 200 without a model list, or an error', async () => {
    const html = await modelsServer('<html>hello</html>');
    const err = await modelsServer('{"error":"nope"}', 0, 500);
    const good = await modelsServer(list('m'));
    expect(await probeLocalServers({ candidates: [html, err, good] })).toBe(good);
  });

  it('is bounded in time against dead ports and silent servers', async () => {
    const candidates = [
      await deadUrl(),
      await blackHole(),
      await deadUrl(),
      await blackHole(),
    ];
    const started = Date.now();
    expect(await probeLocalServers({ candidates, timeoutMs: 300 })).toBeUndefined();
    // In parallel: one timeout's worth, not four.
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('resolveBackend', () => {
  it('uses the configured URL and takes the first model from GET /models', async () => {
    const server = await startScriptedServer({ models: [{ id: 'qwen3-coder' }, { id: 'other' }] });
    cleanups.push(() => server.close());
    const r = await resolveBackend(input({ env: { CLAW_BASE_URL: server.url, CLAW_API_KEY: 'k1' } }));
    expect(r).toMatchObject({
      baseUrl: server.url,
      baseUrlSource: 'CLAW_BASE_URL',
      apiKey: 'k1',
      apiKeySource: 'CLAW_API_KEY',
      model: 'qwen3-coder',
      modelSource: '/models',
    });
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer k1');
  });

  it('does not ask the server when the model is configured', async () => {
    const server = await startScriptedServer({});
    cleanups.push(() => server.close());
    const r = await resolveBackend(input({ flagModel: 'mine', settings: { baseUrl: server.url } }));
    expect(r).toMatchObject({ baseUrlSource: 'settings', model: 'mine', modelSource: '--model', apiKey: 'local' });
    expect(server.requests).toHaveLength(0);
  });

  it('probes when nothing is configured and reuses the probe answer for the model', async () => {
    const server = await startScriptedServer({ models: [{ id: 'probed-model' }] });
    cleanups.push(() => server.close());
    const dead = await deadUrl();
    const r = await resolveBackend(input(), { candidates: [dead, server.url] });
    expect(r).toMatchObject({ baseUrl: server.url, baseUrlSource: 'probe', model: 'probed-model', modelSource: '/models' });
    expect(server.requests.filter((q) => q.path === '/v1/models')).toHaveLength(1);
  });

  it('throws NoServerError naming what was tried and how to fix it', async () => {
    const candidates = [await deadUrl(), await deadUrl()];
    const err = await resolveBackend(input(), { candidates }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoServerError);
    const msg = (err as Error).message;
    for (const c of candidates) expect(msg).toContain(c);
    expect(msg).toMatch(/ollama serve/);
    expect(msg).toMatch(/CLAW_BASE_URL/);
    expect(msg.split('\n')).toHaveLength(1);
  });

  it('reports why no model could be chosen when the configured server is down', async () => {
    const url = await deadUrl();
    const r = await resolveBackend(input({ flagBaseUrl: url }));
    expect(r.model).toBeUndefined();
    expect(r.modelError).toBe(`cannot reach the model server at ${url} (connection refused)`);
  });

  it('reports an empty model list', async () => {
    const server = await startScriptedServer({ models: [] });
    cleanups.push(() => server.close());
    const r = await resolveBackend(input({ flagBaseUrl: server.url }));
    expect(r.model).toBeUndefined();
    expect(r.modelError).toMatch(/lists no models/);
  });
});
