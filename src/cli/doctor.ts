// `claw doctor`: a short plain-text report on the backend (SPEC §1, §2): where the base URL came from,
// reachability, server kind, models, context window, API key source and whether tool calls come back
// structured. Plain fetch only; the key itself is never printed.

import {
  NoServerError,
  probeLocalServersDetailed,
  PROBE_CANDIDATES,
  resolveApiKeyWithSource,
  resolveBaseUrlFromConfig,
  resolveModelFromConfig,
  type BackendConfigInput,
} from '../backend/detect.js';
import {
  describeFetchError,
  errorText,
  fetchModels,
  inspectServer,
  OLLAMA_SMALL_CONTEXT,
  resolveContextWindow,
  ServerHttpError,
  stripTrailingSlash,
  type ServerInfo,
  type ServerKind,
  type ServerModel,
} from '../backend/serverInfo.js';

const OK = '✓';
const BAD = '✗';
const WARN = '!';

const KIND_NAMES: Record<ServerKind, string> = {
  ollama: 'Ollama',
  vllm: 'vLLM',
  llamacpp: 'llama.cpp (llama-server)',
  lmstudio: 'LM Studio',
  unknown: 'unknown OpenAI-compatible server',
};

/** The server flag (or action) that makes each server parse tool calls out of the model's text. */
const TOOL_PARSER_FIX: Record<ServerKind, string> = {
  vllm: 'restart vLLM with `--enable-auto-tool-choice --tool-call-parser qwen3_coder` (or `hermes` for Qwen2.5/Qwen3)',
  llamacpp: 'start llama-server with `--jinja` and a GGUF whose chat template includes tools',
  ollama: "use a model whose Ollama template declares tools (check `ollama show <model>`), or update Ollama",
  lmstudio: 'update LM Studio (0.3.6 or later) and use a model whose chat template supports tools',
  unknown:
    "enable the server's tool-call parser (vLLM: `--enable-auto-tool-choice --tool-call-parser qwen3_coder`; llama.cpp: `--jinja`)",
};

export type ToolCallCheck =
  | { status: 'structured'; name: string }
  | { status: 'text'; excerpt: string }
  | { status: 'rejected'; httpStatus: number; message: string }
  | { status: 'error'; message: string }
  | { status: 'no_call'; excerpt: string; finishReason?: string };

// Wire forms of tool calls left in content by a missing parser (reference/local-backends.md §3.1).
const TEXT_CALL =
  /<tool_call>|<\/tool_call>|<function=|\[TOOL_CALLS\]|<\|python_start\|>|"name"\s*:\s*"get_time"|\bget_time\s*\(/;

function excerpt(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

/** One small non-streaming request with one trivial tool; classifies how the call came back. */
export async function checkToolCalls(
  baseUrl: string,
  apiKey: string,
  model: string,
  opts: { timeoutMs?: number; fetchImpl?: typeof fetch } = {},
): Promise<ToolCallCheck> {
  const doFetch = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 120_000; // the first request may have to load the model
  const body = {
    model,
    messages: [{ role: 'user', content: 'Call the get_time tool.' }],
    tools: [
      {
        type: 'function',
        function: { name: 'get_time', description: 'Get the current time.', parameters: { type: 'object', properties: {} } },
      },
    ],
    tool_choice: 'auto',
    max_tokens: 64,
    temperature: 0,
    stream: false,
  };
  let res: Response;
  try {
    res = await doFetch(`${stripTrailingSlash(baseUrl)}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return { status: 'error', message: describeFetchError(err, timeoutMs) };
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) {
    const message = errorText(text);
    if (/tool|jinja/i.test(message)) return { status: 'rejected', httpStatus: res.status, message };
    return { status: 'error', message: `HTTP ${res.status}${message ? `: ${message}` : ''}` };
  }
  let parsed: { choices?: Array<{ finish_reason?: string; message?: Record<string, unknown> }> } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return { status: 'error', message: 'the chat completion answer was not JSON' };
  }
  const choice = parsed?.choices?.[0];
  const message = choice?.message ?? {};
  const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as Array<{ function?: { name?: string } }>) : [];
  const name = calls.find((c) => typeof c.function?.name === 'string')?.function?.name;
  if (name) return { status: 'structured', name };
  const content = typeof message.content === 'string' ? message.content : '';
  const reasoning = [message.reasoning_content, message.reasoning].filter((r) => typeof r === 'string').join('\n');
  if (TEXT_CALL.test(content)) return { status: 'text', excerpt: excerpt(content) };
  if (TEXT_CALL.test(reasoning)) return { status: 'text', excerpt: excerpt(reasoning) };
  return { status: 'no_call', excerpt: excerpt(content), finishReason: choice?.finish_reason };
}

/** Removes the API key from anything a server echoes back (some error messages quote it). */
function redactor(apiKey: string): (s: string) => string {
  if (apiKey.length < 4 || apiKey === 'local') return (s) => s;
  return (s) => s.split(apiKey).join('***');
}

function sameModel(a: string, b: string): boolean {
  const norm = (s: string) => (s.includes(':') ? s : `${s}:latest`); // Ollama's implicit tag
  return a === b || norm(a) === norm(b);
}

function fixFor(source: string): string {
  switch (source) {
    case 'OLLAMA_HOST':
      return 'Start Ollama (`ollama serve`), or fix OLLAMA_HOST / set CLAW_BASE_URL.';
    case '--base-url':
      return 'Start the server, or check --base-url.';
    case 'settings':
      return 'Start the server, or fix `baseUrl` in settings.';
    default:
      return `Start the server, or fix ${source}.`;
  }
}

export async function runDoctor(opts: {
  input: BackendConfigInput;
  out: (line: string) => void;
  fetchImpl?: typeof fetch;
  testToolCall?: boolean;
  /** Probe timeouts, for tests. */
  probeTimeoutMs?: number;
  candidates?: string[];
  toolCallTimeoutMs?: number;
}): Promise<number> {
  const { input, fetchImpl } = opts;
  const { apiKey, source: keySource } = resolveApiKeyWithSource(input);
  const redact = redactor(apiKey);
  const line = (mark: string, label: string, text: string) => opts.out(`${mark} ${label.padEnd(11)} ${redact(text)}`);
  let problems = 0;

  // 1. Base URL
  const configured = resolveBaseUrlFromConfig(input);
  let baseUrl: string;
  let probedModels: ServerModel[] | undefined;
  let latencyMs: number | undefined;
  if (configured) {
    baseUrl = configured.baseUrl;
    line(OK, 'Base URL', `${baseUrl} (from ${configured.source})`);
  } else {
    const candidates = opts.candidates ?? PROBE_CANDIDATES;
    const started = performance.now();
    const found = await probeLocalServersDetailed({ timeoutMs: opts.probeTimeoutMs, candidates, fetchImpl, apiKey });
    if (!found) {
      line(BAD, 'Base URL', new NoServerError(candidates).message);
      return 1;
    }
    latencyMs = Math.round(performance.now() - started);
    baseUrl = found.baseUrl;
    probedModels = found.models;
    line(OK, 'Base URL', `${baseUrl} (found by probing the usual local ports)`);
  }

  // 2. Reachability (GET /models), timed
  let models: ServerModel[];
  if (probedModels) {
    models = probedModels;
    line(OK, 'Reachable', `GET /models answered in ${latencyMs} ms`);
  } else {
    const timeoutMs = 5000;
    const started = performance.now();
    try {
      models = await fetchModels(baseUrl, apiKey, { signal: AbortSignal.timeout(timeoutMs), fetchImpl });
      line(OK, 'Reachable', `GET /models answered in ${Math.round(performance.now() - started)} ms`);
    } catch (err) {
      const why = describeFetchError(err, timeoutMs);
      if (err instanceof ServerHttpError && (err.status === 401 || err.status === 403)) {
        line(BAD, 'Reachable', `the server at ${baseUrl} refused the API key (${why}). Set CLAW_API_KEY.`);
      } else if (err instanceof ServerHttpError) {
        const hint = /\/v1$/.test(baseUrl) ? '' : ' Is the base URL missing its /v1 suffix?';
        line(BAD, 'Reachable', `GET ${baseUrl}/models failed (${why}).${hint}`);
      } else {
        line(BAD, 'Reachable', `cannot reach the model server at ${baseUrl} (${why}). ${fixFor(configured!.source)}`);
      }
      return 1;
    }
  }

  // 3. Server kind and models
  const chosenFromConfig = resolveModelFromConfig(input);
  const chosen = chosenFromConfig?.model ?? models[0]?.id;
  let info: ServerInfo = await inspectServer(baseUrl, apiKey, chosen, { fetchImpl });
  line(OK, 'Server', `${KIND_NAMES[info.kind]}${info.version ? ` ${info.version}` : ''}`);
  if (models.length === 0) {
    line(BAD, 'Models', 'the server lists no models. Load or pull one (e.g. `ollama pull qwen3-coder`).');
    problems++;
  } else {
    const listed = models.some((m) => chosen !== undefined && sameModel(m.id, chosen));
    const shown = models.slice(0, 8).map((m) => (chosen !== undefined && sameModel(m.id, chosen) ? `${m.id} (chosen)` : m.id));
    const more = models.length > 8 ? `, +${models.length - 8} more` : '';
    line(OK, 'Models', `${models.length}: ${shown.join(', ')}${more}`);
    const via = chosenFromConfig ? `from ${chosenFromConfig.source}` : 'the first listed, since no model is set';
    if (listed) line(OK, 'Model', `${chosen} (${via})`);
    else {
      line(BAD, 'Model', `${chosen} (${via}) is not among the server's models. Pick one of the above with --model or CLAW_MODEL.`);
      problems++;
    }
  }

  // 4. API key (source only)
  line(
    OK,
    'API key',
    keySource === 'default' ? 'none set; sending "local" (fine for local servers)' : `from ${keySource} (not shown)`,
  );

  // 5. Tool calls (this request also makes Ollama load the model, so its context becomes known)
  if (opts.testToolCall === false || !chosen) {
    line(WARN, 'Tool calls', chosen ? 'not tested' : 'not tested (no model)');
  } else {
    const check = await checkToolCalls(baseUrl, apiKey, chosen, { fetchImpl, timeoutMs: opts.toolCallTimeoutMs });
    const fix = TOOL_PARSER_FIX[info.kind];
    switch (check.status) {
      case 'structured':
        line(OK, 'Tool calls', `structured tool_calls returned (${check.name})`);
        break;
      case 'text':
        line(BAD, 'Tool calls', `the call came back as text ("${check.excerpt}"): the server is not parsing tool calls. Fix: ${fix}.`);
        problems++;
        break;
      case 'rejected':
        line(BAD, 'Tool calls', `the server rejected the tools (HTTP ${check.httpStatus}: ${check.message}). Fix: ${fix}.`);
        problems++;
        break;
      case 'no_call': {
        const cut = check.finishReason === 'length' ? ' (the answer was cut at max_tokens)' : '';
        const said = check.excerpt ? `; it answered "${check.excerpt}"` : '';
        line(BAD, 'Tool calls', `the model did not call the tool${cut}${said}. Tool use may be unreliable with this model.`);
        problems++;
        break;
      }
      case 'error':
        line(BAD, 'Tool calls', `the test request failed (${check.message}).`);
        problems++;
        break;
    }
    if (info.kind === 'ollama' && !info.contextWindow) {
      info = await inspectServer(baseUrl, apiKey, chosen, { fetchImpl });
    }
  }

  // 6. Context window (+ Ollama's small-default warning)
  const ctx = resolveContextWindow(input.settings.contextWindow, info);
  // A settings value does not help here: Ollama still truncates at what it loaded.
  const small = info.kind === 'ollama' && info.contextWindow !== undefined && info.contextWindow <= OLLAMA_SMALL_CONTEXT;
  const serverSays =
    info.contextWindow && ctx.window !== info.contextWindow ? `; the server reports ${info.contextWindow}` : '';
  line(small ? BAD : info.warnings.length ? WARN : OK, 'Context', `${ctx.window} tokens (${ctx.source}${serverSays})`);
  if (small) problems++;
  for (const w of info.warnings) opts.out(`    ${redact(w)}`);

  return problems > 0 ? 1 : 0;
}
