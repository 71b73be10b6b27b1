// Scripted OpenAI-compatible HTTP server for loop tests, end-to-end tests and the benchmark.
// Plain JavaScript ESM so `node` runs it without a build; types live in scripted-server.d.mts.
// Wire shapes follow shared/reference/local-backends.md §2 (vLLM fragments, Ollama whole calls
// with index 0, usage chunk, llama.cpp SSE error payloads).
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

const CHAT_PATH = '/v1/chat/completions';
const DEFAULT_MODELS = [{ id: 'test-model' }];
const NO_REPLY_LEFT = {
  error: { status: 500, message: 'scripted server: no scripted reply left', type: 'server_error' },
};

const rid = (n = 12) => randomBytes(n).toString('hex').slice(0, n * 2);
const sleep = (ms, timers) =>
  new Promise((resolve) => {
    if (!ms || ms <= 0) return resolve();
    const t = setTimeout(() => {
      timers.delete(t);
      resolve();
    }, ms);
    timers.add(t);
  });

/** Split a string into pieces of `size` characters (at least one piece for a non-empty string). */
function pieces(text, size) {
  const n = Math.max(1, Math.floor(size || 8));
  const out = [];
  for (let i = 0; i < text.length; i += n) out.push(text.slice(i, i + n));
  return out;
}

function argsString(args) {
  return typeof args === 'string' ? args : JSON.stringify(args ?? {});
}

function sendJson(res, status, body, headers = {}) {
  if (res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function errorBody(status, message, type) {
  return {
    error: {
      message,
      type: type ?? (status >= 500 ? 'server_error' : 'invalid_request_error'),
      code: status,
    },
  };
}

/** Rough token estimate (chars/4) when a reply does not script its own usage. */
function estimateUsage(request, reply, calls) {
  // Real servers count the tool schemas too (they are rendered into the prompt).
  const promptChars = JSON.stringify(request.body?.messages ?? '').length + JSON.stringify(request.body?.tools ?? []).length;
  let outChars = (reply.text ?? '').length + (reply.reasoning ?? '').length;
  for (const c of calls) outChars += c.name.length + c.args.length;
  const prompt_tokens = Math.max(1, Math.ceil(promptChars / 4));
  const completion_tokens = Math.ceil(outChars / 4);
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

function usageFor(request, reply, calls) {
  if (reply.usage === false) return undefined;
  if (reply.usage) {
    const { prompt_tokens, completion_tokens, cached_tokens } = reply.usage;
    const details = cached_tokens === undefined ? {} : { prompt_tokens_details: { cached_tokens } };
    return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens, ...details };
  }
  return estimateUsage(request, reply, calls);
}

function normaliseCalls(reply) {
  const ollama = reply.style === 'ollama';
  return (reply.toolCalls ?? []).map((c) => ({
    id: c.id ?? (ollama ? `call_${rid(4)}` : `chatcmpl-tool-${rid(8)}`),
    name: c.name,
    args: argsString(c.arguments),
  }));
}

function buildCompletion(request, reply) {
  const calls = normaliseCalls(reply);
  const message = { role: 'assistant', content: reply.text ?? (calls.length ? null : '') };
  if (reply.reasoning !== undefined) message[reply.reasoningField ?? 'reasoning_content'] = reply.reasoning;
  if (calls.length) {
    message.tool_calls = calls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.args },
    }));
  }
  const body = {
    id: `chatcmpl-${rid(8)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.body?.model ?? 'test-model',
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: reply.finishReason ?? (calls.length ? 'tool_calls' : 'stop'),
      },
    ],
  };
  const usage = usageFor(request, reply, calls);
  if (usage) body.usage = usage;
  return body;
}

/** The ordered list of SSE `data:` payloads (objects, or the literal '[DONE]') for a reply. */
function buildChunks(request, reply) {
  const calls = normaliseCalls(reply);
  const id = `chatcmpl-${rid(8)}`;
  const created = Math.floor(Date.now() / 1000);
  const model = request.body?.model ?? 'test-model';
  const size = reply.chunkSize ?? 8;
  const chunk = (delta, finish_reason = null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason }],
  });

  const out = [chunk({ role: 'assistant', content: '' })];
  const reasoningField = reply.reasoningField ?? 'reasoning_content';
  for (const p of pieces(reply.reasoning ?? '', size)) out.push(chunk({ [reasoningField]: p }));
  for (const p of pieces(reply.text ?? '', size)) out.push(chunk({ content: p }));

  calls.forEach((c, i) => {
    if (reply.style === 'ollama') {
      // Ollama: whole call in one chunk, index always 0 (ollama/ollama#15457).
      out.push(
        chunk({
          tool_calls: [{ id: c.id, index: 0, type: 'function', function: { name: c.name, arguments: c.args } }],
        }),
      );
      return;
    }
    // vLLM: header delta (index, id, type, name), then argument fragments for that index.
    out.push(chunk({ tool_calls: [{ index: i, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }));
    for (const p of pieces(c.args, size)) out.push(chunk({ tool_calls: [{ index: i, function: { arguments: p } }] }));
  });

  out.push(chunk({}, reply.finishReason ?? (calls.length ? 'tool_calls' : 'stop')));
  const usage = usageFor(request, reply, calls);
  if (usage && request.body?.stream_options?.include_usage) {
    out.push({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
  }
  out.push('[DONE]');
  return out;
}

// Hop-by-hop headers of the recording: node sets its own framing for the replayed body.
const HOP_HEADERS = new Set(['transfer-encoding', 'connection', 'keep-alive', 'content-length']);

/**
 * Parses a recorded response (test/fixtures/llamacpp/*.res.txt): `HTTP <status>`, a JSON object of headers,
 * a blank line, then the body exactly as the real server sent it.
 */
export function readRecording(file) {
  const raw = readFileSync(file);
  const firstEnd = raw.indexOf(0x0a);
  const secondEnd = raw.indexOf(0x0a, firstEnd + 1);
  const status = Number(/^HTTP (\d+)/.exec(raw.subarray(0, firstEnd).toString('utf8'))?.[1]);
  const headers = JSON.parse(raw.subarray(firstEnd + 1, secondEnd).toString('utf8'));
  // The body starts after the blank line that follows the header line.
  return { status, headers, body: raw.subarray(secondEnd + 2) };
}

/** Replays a recording byte for byte; an event stream is written one SSE event at a time (chunkDelayMs apart). */
async function replayRecording(res, reply, timers) {
  const { status, headers, body } = readRecording(reply.recording);
  const kept = Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_HEADERS.has(k.toLowerCase())));
  res.writeHead(status, kept);
  if (!/event-stream/.test(String(headers['content-type'] ?? ''))) return res.end(body);
  res.flushHeaders();
  let at = 0;
  while (at < body.length) {
    const end = body.indexOf('\n\n', at);
    const next = end < 0 ? body.length : end + 2;
    if (at > 0) await sleep(reply.chunkDelayMs, timers);
    if (res.destroyed) return;
    await new Promise((done) => res.write(body.subarray(at, next), () => done()));
    at = next;
  }
  res.end();
}

/**
 * POST /tokenize in llama.cpp's or vLLM's shape. Not a real tokenizer: one token per two UTF-16 units,
 * a rule unlike claw's chars/4 estimate, so a test can tell an exact count from the estimate.
 */
function answerTokenize(res, shape, body) {
  const ids = (text) => Array.from({ length: Math.ceil(text.length / 2) }, (_, i) => i % 1000);
  if (shape === 'llamacpp') {
    // llama.cpp tokenizes `content` when present, and answers an empty list otherwise
    return sendJson(res, 200, { tokens: typeof body?.content === 'string' ? ids(body.content) : [] });
  }
  if (typeof body?.prompt !== 'string' || typeof body?.model !== 'string') {
    return sendJson(res, 400, { object: 'error', message: 'Field required: prompt, model', type: 'BadRequestError', code: 400 });
  }
  const tokens = ids(body.prompt);
  return sendJson(res, 200, { count: tokens.length, max_model_len: 32768, tokens, token_strs: null });
}

/**
 * Start the scripted server on 127.0.0.1.
 * @param {import('./scripted-server.d.mts').ServerOptions} [options]
 */
export async function startScriptedServer(options = {}) {
  const queue = [...(options.replies ?? [])];
  const requests = [];
  const timers = new Set();
  let chatIndex = 0;
  let closed = false;

  async function nextReply(request) {
    const index = chatIndex++;
    const step = queue.length ? queue.shift() : (options.fallback ?? NO_REPLY_LEFT);
    return typeof step === 'function' ? await step(request, index) : step;
  }

  async function answerChat(req, res, request) {
    const reply = (await nextReply(request)) ?? {};
    await sleep(reply.delayMs, timers);
    if (res.destroyed || closed) return;

    if (reply.recording) return replayRecording(res, reply, timers);
    if (reply.error) {
      const e = reply.error;
      const body = e.body !== undefined ? e.body : errorBody(e.status, e.message ?? `scripted error ${e.status}`, e.type);
      return sendJson(res, e.status, body, e.headers);
    }
    if (!request.body?.stream || reply.nonStreaming) {
      return sendJson(res, 200, buildCompletion(request, reply));
    }

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.flushHeaders();

    if (reply.sseError) {
      // llama.cpp style: error payload after a 200 header, then the stream ends.
      const { message, type } = reply.sseError;
      res.write(`data: ${JSON.stringify({ error: { message, type: type ?? 'server_error', code: 500 } })}\n\n`);
      return res.end();
    }

    const chunks = buildChunks(request, reply);
    let sent = 0;
    for (const c of chunks) {
      if (reply.cutAfterChunks !== undefined && sent >= reply.cutAfterChunks) {
        // Let what was written reach the client, then drop the socket mid-body.
        await sleep(20, timers);
        res.socket?.destroy();
        return;
      }
      if (reply.stallAfterChunks !== undefined && sent >= reply.stallAfterChunks) {
        // Keep the connection open; close() ends it via closeAllConnections.
        return;
      }
      if (sent > 0) await sleep(reply.chunkDelayMs, timers);
      if (res.destroyed || closed) return;
      await new Promise((done) => res.write(`data: ${typeof c === 'string' ? c : JSON.stringify(c)}\n\n`, () => done()));
      sent++;
    }
    res.end();
  }

  async function route(req, res, request) {
    const { method, path } = request;
    if (options.requireApiKey !== undefined && req.headers.authorization !== `Bearer ${options.requireApiKey}`) {
      return sendJson(res, 401, errorBody(401, 'Incorrect API key provided', 'authentication_error'));
    }
    if (method === 'POST' && path === CHAT_PATH) return answerChat(req, res, request);
    if (method === 'GET' && (path === '/v1/models' || path.startsWith('/v1/models/'))) {
      const data = (options.models ?? DEFAULT_MODELS).map((m) => ({
        object: 'model',
        created: 0,
        owned_by: 'scripted',
        ...m,
      }));
      if (path === '/v1/models') return sendJson(res, 200, { object: 'list', data });
      const one = data.find((m) => m.id === decodeURIComponent(path.slice('/v1/models/'.length)));
      return one ? sendJson(res, 200, one) : sendJson(res, 404, errorBody(404, 'model not found'));
    }
    const answer = (value) =>
      value === undefined
        ? sendJson(res, 404, errorBody(404, `not found: ${method} ${path}`))
        : sendJson(res, 200, typeof value === 'function' ? value(request) : value);
    if (method === 'POST' && path === '/tokenize' && options.tokenize) return answerTokenize(res, options.tokenize, request.body);
    if (method === 'GET' && path === '/props') return answer(options.props);
    if (method === 'GET' && path === '/api/ps') return answer(options.ollama?.ps);
    if (method === 'POST' && path === '/api/show') return answer(options.ollama?.show);
    if (method === 'GET' && path === '/api/version') {
      const v = options.ollama?.version;
      return answer(v === undefined ? undefined : { version: v });
    }
    if (method === 'GET' && (path === '/api/v0/models' || path.startsWith('/api/v0/models/'))) {
      return answer(options.lmstudio);
    }
    return sendJson(res, 404, errorBody(404, `not found: ${method} ${path}`));
  }

  const server = http.createServer((req, res) => {
    const parts = [];
    req.on('data', (d) => parts.push(d));
    req.on('end', () => {
      const rawBody = Buffer.concat(parts).toString('utf8');
      let body;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        body = undefined;
      }
      const request = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0],
        headers: { ...req.headers },
        body,
        rawBody,
        time: Date.now(),
      };
      requests.push(request);
      route(req, res, request).catch((err) => {
        if (!res.headersSent) sendJson(res, 500, errorBody(500, `scripted server: ${err?.message ?? err}`));
        else res.destroy();
      });
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = server.address().port;
  const origin = `http://127.0.0.1:${port}`;
  let closing;

  return {
    url: `${origin}/v1`,
    origin,
    port,
    requests,
    chatRequests: () => requests.filter((r) => r.method === 'POST' && r.path === CHAT_PATH),
    push: (...steps) => void queue.push(...steps),
    remaining: () => queue.length,
    close() {
      if (closing) return closing;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      closing = new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
