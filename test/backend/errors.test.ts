import { afterEach, describe, expect, it } from 'vitest';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { BackendError, classifyError, parseRetryAfter, userMessage } from '../../src/backend/errors.js';
import { startScriptedServer, type ScriptedServer, type ScriptedReply } from '../support/scripted-server.mjs';

const URL_ = 'http://localhost:11434/v1';

function fetchFailed(code: string): TypeError {
  const cause = Object.assign(new Error(`connect ${code} 127.0.0.1:11434`), { code });
  return new TypeError('fetch failed', { cause });
}

describe('classifyError on constructed errors', () => {
  it('connection refused through the SDK wrapper, with a one-sentence fix', () => {
    const e = classifyError(new APIConnectionError({ message: 'Connection error.', cause: fetchFailed('ECONNREFUSED') }), URL_);
    expect(e.kind).toBe('connection');
    expect(userMessage(e)).toBe(
      'cannot reach the model server at http://localhost:11434/v1 (connection refused). Start Ollama, or set CLAW_BASE_URL.',
    );
  });

  const codes: [string, BackendError['kind'], RegExp][] = [
    ['ENOTFOUND', 'connection', /host not found/],
    ['ECONNRESET', 'connection', /connection reset/],
    ['UND_ERR_CONNECT_TIMEOUT', 'connection', /connect timeout/],
    ['UND_ERR_SOCKET', 'stream_cut', /closed the connection/],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout', /no response headers/],
    ['UND_ERR_BODY_TIMEOUT', 'timeout', /stalled/],
  ];
  for (const [code, kind, detail] of codes) {
    it(`fetch TypeError with cause ${code} → ${kind}`, () => {
      const e = classifyError(fetchFailed(code), URL_);
      expect(e.kind).toBe(kind);
      expect(e.detail).toMatch(detail);
    });
  }

  it('a cut SSE body (TypeError: terminated) is a stream cut', () => {
    expect(classifyError(new TypeError('terminated'), URL_).kind).toBe('stream_cut');
  });

  it('aborts and SDK timeouts', () => {
    expect(classifyError(new APIUserAbortError(), URL_).kind).toBe('aborted');
    expect(classifyError(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }), URL_).kind).toBe('aborted');
    expect(classifyError(new APIConnectionTimeoutError(), URL_).kind).toBe('timeout');
  });

  it('HTTP statuses keep their status and Retry-After', () => {
    const headers = new Headers({ 'retry-after': '7' });
    const e = classifyError(APIError.generate(429, { error: { message: 'slow down' } }, undefined, headers), URL_);
    expect(e).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 7000, detail: 'slow down' });
    const busy = classifyError(
      APIError.generate(503, { error: { message: 'server busy, please try again.  maximum pending requests exceeded' } }, undefined, new Headers()),
      URL_,
    );
    expect(busy).toMatchObject({ kind: 'http', status: 503 });
    expect(userMessage(busy)).toMatch(/^the model server at http:\/\/localhost:11434\/v1 failed \(503: server busy/);
  });

  const overflow: [string, number, string, number | undefined][] = [
    ['vLLM', 400, "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens (39000 in the messages, 1000 in the completion).", 32768],
    ['llama.cpp old', 400, 'the request exceeds the available context size. try increasing the context size or enable context shift', undefined],
    ['llama.cpp new', 400, 'request (25837 tokens) exceeds the available context size (25088 tokens), try increasing it', 25088],
    ['llama.cpp other path', 500, 'Context size has been exceeded.', undefined],
    ['LM Studio', 400, 'Trying to keep the first 9000 tokens when context the overflows. However, the model is loaded with context length of only 8192 tokens, which is not enough.', 8192],
    ['LM Studio llama.cpp engine', 400, 'Cannot truncate prompt with n_keep (15028) >= n_ctx (7424)', 7424],
    ['OpenAI/LiteLLM code', 400, 'context_length_exceeded', undefined],
  ];
  for (const [label, status, message, limit] of overflow) {
    it(`overflow: ${label}`, () => {
      const e = classifyError(APIError.generate(status, { error: { message } }, undefined, new Headers()), URL_);
      expect(e.kind).toBe('overflow');
      expect(e.contextLimit).toBe(limit);
      expect(userMessage(e)).toMatch(/too long for the model's context window.*\/compact/);
    });
  }

  it('llama.cpp typed overflow takes n_ctx from the body', () => {
    const body = { error: { code: 400, message: 'the request exceeds the available context size', type: 'exceed_context_size_error', n_prompt_tokens: 9000, n_ctx: 8192 } };
    const e = classifyError(APIError.generate(400, body, undefined, new Headers()), URL_);
    expect(e).toMatchObject({ kind: 'overflow', contextLimit: 8192 });
  });

  it('an SSE error payload after a 200 (status undefined)', () => {
    const over = classifyError(new APIError(undefined, { message: 'Context size has been exceeded.', code: 500 }, undefined, undefined), URL_);
    expect(over.kind).toBe('overflow');
    const other = classifyError(new APIError(undefined, { message: 'slot unavailable', code: 503 }, undefined, undefined), URL_);
    expect(other).toMatchObject({ kind: 'http', status: 503 });
  });

  it('passes a BackendError through and fills in the base URL', () => {
    const e = new BackendError('timeout', 'x');
    expect(classifyError(e, URL_)).toBe(e);
    expect(e.baseUrl).toBe(URL_);
  });
});

describe('userMessage', () => {
  const http = (status: number, message: string, baseUrl = URL_) =>
    userMessage(classifyError(APIError.generate(status, { error: { message } }, undefined, new Headers()), baseUrl));

  it('401 → set CLAW_API_KEY', () => expect(http(401, 'Invalid API key')).toMatch(/refused the API key.*Set CLAW_API_KEY\.$/));
  it('404 model → --model / CLAW_MODEL / claw doctor', () =>
    expect(http(404, "model 'qwen3-coder:31b' not found")).toMatch(/does not have the requested model.*Set --model or CLAW_MODEL; list models with `claw doctor`\.$/));
  it('404 path → base URL hint', () => expect(http(404, 'Not Found')).toMatch(/base URL ends in \/v1/));
  it('llama.cpp without --jinja', () => expect(http(500, 'tools param requires --jinja flag', 'http://127.0.0.1:8080/v1')).toMatch(/Restart it with --jinja/));
  it('vLLM without tool flags', () =>
    expect(http(400, '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set')).toMatch(/--enable-auto-tool-choice --tool-call-parser qwen3_coder/));
  it('names the server to start by port', () => {
    for (const [port, name] of [['8000', 'vLLM'], ['1234', 'LM Studio'], ['8080', 'llama-server']]) {
      expect(userMessage(classifyError(fetchFailed('ECONNREFUSED'), `http://localhost:${port}/v1`))).toMatch(`Start ${name}, or set CLAW_BASE_URL.`);
    }
    expect(userMessage(classifyError(fetchFailed('ECONNREFUSED'), 'http://gpu-box:9999/v1'))).toMatch(/Check that the server is running/);
  });
  it('is one line even for a long multi-line server message', () => {
    const m = http(500, `Traceback:\n${'  frame\n'.repeat(100)}`);
    expect(m).not.toContain('\n');
    expect(m.length).toBeLessThan(400);
  });
});

describe('parseRetryAfter', () => {
  it('seconds, milliseconds and HTTP dates', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }))).toBe(3000);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '3' }))).toBe(250);
    const now = Date.parse('2026-01-15T10:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 15 Jan 2026 10:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(new Headers())).toBeUndefined();
  });
});

describe('classifyError on real SDK errors from the scripted server', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function failWith(reply: ScriptedReply): Promise<BackendError> {
    server = await startScriptedServer({ replies: [reply] });
    const sdk = new OpenAI({ baseURL: server.url, apiKey: 'local', maxRetries: 0 });
    try {
      const stream = await sdk.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true });
      for await (const _ of stream) void _;
    } catch (e) {
      return classifyError(e, server.url);
    }
    throw new Error('expected a failure');
  }

  it('503 with Retry-After', async () => {
    const e = await failWith({ error: { status: 503, message: 'Server overloaded, please retry shortly', headers: { 'retry-after': '2' } } });
    expect(e).toMatchObject({ kind: 'http', status: 503, retryAfterMs: 2000 });
  });

  it('vLLM overflow as HTTP 400', async () => {
    const e = await failWith({ error: { status: 400, message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens." } });
    expect(e).toMatchObject({ kind: 'overflow', status: 400, contextLimit: 4096 });
  });

  it('llama.cpp overflow as an SSE error after 200', async () => {
    const e = await failWith({ sseError: { message: 'the request exceeds the available context size. try increasing the context size', type: 'exceed_context_size_error' } });
    expect(e.kind).toBe('overflow');
  });

  it('a stream cut mid-answer', async () => {
    const e = await failWith({ text: 'a long answer that will be cut', chunkSize: 2, cutAfterChunks: 3 });
    expect(e.kind).toBe('stream_cut');
  });

  it('connection refused on a closed port', async () => {
    const s = await startScriptedServer({});
    const url = s.url;
    await s.close();
    const sdk = new OpenAI({ baseURL: url, apiKey: 'local', maxRetries: 0 });
    const err = await sdk.models.list().then(() => undefined, (e: unknown) => e);
    const e = classifyError(err, url);
    expect(e.kind).toBe('connection');
    expect(userMessage(e)).toBe(`cannot reach the model server at ${url} (connection refused). Check that the server is running, or set CLAW_BASE_URL.`);
  });
});
