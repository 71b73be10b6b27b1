// What kind of OpenAI-compatible server sits behind a base URL, and how large a context it has LOADED.
// Plain fetch with short timeouts (no SDK) so `claw -p` start-up stays fast; every probe tolerates a
// missing endpoint, because each server exposes only its own native routes.

export type ServerKind = 'ollama' | 'vllm' | 'llamacpp' | 'lmstudio' | 'unknown';

export interface ServerModel {
  id: string;
  contextWindow?: number;
}

export interface ServerInfo {
  kind: ServerKind;
  /** Version string when the server tells it (Ollama /api/version). */
  version?: string;
  models: ServerModel[];
  /** The window of the loaded model instance, when the server reports one. */
  contextWindow?: number;
  contextSource?: string;
  /** The model's trained maximum, for information only: servers load less than this. */
  trainedContextWindow?: number;
  /** Why GET /models failed, when it did. */
  modelsError?: string;
  /** llama.cpp: how many parallel slots (`-np`) the server has (/props total_slots). */
  slots?: number;
  warnings: string[];
}

export const DEFAULT_CONTEXT_WINDOW = 32768;
/** Ollama loads this little (or 2048 on old builds) unless told otherwise; history is then cut silently. */
export const OLLAMA_SMALL_CONTEXT = 4096;

/** An HTTP answer other than 2xx, with the status for callers that branch on it (401, 404...). */
export class ServerHttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${url} answered HTTP ${status}${body ? `: ${body}` : ''}`);
    this.name = 'ServerHttpError';
  }
}

/** A short human reason for a failed fetch: "connection refused", "timed out after 300 ms", ... */
export function describeFetchError(err: unknown, timeoutMs?: number): string {
  if (err instanceof ServerHttpError) return `HTTP ${err.status}${err.body ? `: ${err.body}` : ''}`;
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
  if (e?.name === 'TimeoutError') return timeoutMs ? `timed out after ${timeoutMs} ms` : 'timed out';
  if (e?.name === 'AbortError') return 'aborted';
  const code = e?.cause?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'ETIMEDOUT':
      return 'timed out';
  }
  if (e?.message === 'Invalid URL' || code === 'ERR_INVALID_URL') return 'invalid URL';
  return e?.cause?.message || e?.message || String(err);
}

export function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Where the native endpoints live: the base URL without its trailing /v1 (keeps a reverse-proxy prefix). */
export function serverRoot(baseUrl: string): string {
  return stripTrailingSlash(baseUrl).replace(/\/v1$/, '');
}

function authHeaders(apiKey: string): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** GET {baseUrl}/models. vLLM's `max_model_len` becomes the model's contextWindow. Throws on any failure. */
export async function fetchModels(
  baseUrl: string,
  apiKey: string,
  opts: { signal?: AbortSignal; fetchImpl?: typeof fetch } = {},
): Promise<ServerModel[]> {
  const doFetch = opts.fetchImpl ?? fetch;
  const url = `${stripTrailingSlash(baseUrl)}/models`;
  const res = await doFetch(url, { headers: authHeaders(apiKey), signal: opts.signal });
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    throw new ServerHttpError(`GET ${url}`, res.status, errorText(text));
  }
  const body: unknown = await res.json().catch(() => undefined);
  const data = isRecord(body) ? body.data : undefined;
  if (!Array.isArray(data)) throw new Error(`GET ${url} did not return a model list`);
  const models: ServerModel[] = [];
  for (const entry of data) {
    if (!isRecord(entry) || typeof entry.id !== 'string') continue;
    const contextWindow = positiveInt(entry.max_model_len);
    models.push(contextWindow ? { id: entry.id, contextWindow } : { id: entry.id });
  }
  return models;
}

/** The useful part of an error body: OpenAI-style `error.message`, else the text, shortened. */
export function errorText(text: string): string {
  let msg = text.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed)) {
      const err = parsed.error;
      if (typeof err === 'string') msg = err;
      else if (isRecord(err) && typeof err.message === 'string') msg = err.message;
      else if (typeof parsed.message === 'string') msg = parsed.message;
      else if (typeof parsed.detail === 'string') msg = parsed.detail;
    }
  } catch {
    // not JSON: keep the raw text
  }
  msg = msg.replace(/\s+/g, ' ');
  return msg.length > 300 ? `${msg.slice(0, 297)}...` : msg;
}

/** JSON from a native endpoint, or undefined for anything but a 2xx JSON answer. Never throws. */
async function tryJson(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<unknown> {
  try {
    const res = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      return undefined;
    }
    return await res.json();
  } catch {
    return undefined;
  }
}

/** Ollama names default to the `:latest` tag; treat `qwen3` and `qwen3:latest` as one model. */
function sameOllamaModel(a: string, b: string): boolean {
  const norm = (s: string) => (s.includes(':') ? s : `${s}:latest`);
  return norm(a) === norm(b);
}

export function ollamaSmallContextWarning(model: string | undefined, window: number): string {
  return (
    `Ollama runs ${model ? `${model} ` : 'the model '}with a ${window}-token context: longer conversations are ` +
    `silently cut from the start (the system prompt and early history vanish without an error). ` +
    `Raise it: restart with \`OLLAMA_CONTEXT_LENGTH=32768 ollama serve\`, or add \`PARAMETER num_ctx 32768\` ` +
    `to a Modelfile and \`ollama create\` the model from it.`
  );
}

/**
 * Detects the server kind and the loaded context window for `model` (or the first listed model).
 * All probes run in parallel with short timeouts; a missing endpoint is simply skipped.
 */
export async function inspectServer(
  baseUrl: string,
  apiKey: string,
  model: string | undefined,
  opts: { timeoutMs?: number; fetchImpl?: typeof fetch } = {},
): Promise<ServerInfo> {
  const doFetch = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 1500;
  const root = serverRoot(baseUrl);
  const get = { headers: authHeaders(apiKey) };

  const [modelsResult, props, ps, version, lms] = await Promise.all([
    fetchModels(baseUrl, apiKey, { signal: AbortSignal.timeout(timeoutMs), fetchImpl: doFetch }).then(
      (models) => ({ models, error: undefined as string | undefined }),
      (err: unknown) => ({ models: [] as ServerModel[], error: describeFetchError(err, timeoutMs) }),
    ),
    tryJson(doFetch, `${root}/props`, get, timeoutMs),
    tryJson(doFetch, `${root}/api/ps`, get, timeoutMs),
    tryJson(doFetch, `${root}/api/version`, get, timeoutMs),
    tryJson(doFetch, `${root}/api/v0/models`, get, timeoutMs),
  ]);

  const info: ServerInfo = { kind: 'unknown', models: modelsResult.models, warnings: [] };
  if (modelsResult.error) info.modelsError = modelsResult.error;
  const target = model ?? info.models[0]?.id;

  // Most specific signals first: each native endpoint exists only on its own server.
  if (isRecord(version) && typeof version.version === 'string' && (isRecord(ps) || !isRecord(props))) {
    info.kind = 'ollama';
    info.version = version.version;
    await ollamaContext(info, doFetch, root, get, target, ps, timeoutMs);
  } else if (isRecord(lms) && Array.isArray(lms.data)) {
    info.kind = 'lmstudio';
    lmStudioContext(info, lms.data, target);
  } else if (isRecord(props) && (isRecord(props.default_generation_settings) || positiveInt(props.n_ctx))) {
    info.kind = 'llamacpp';
    const dgs = isRecord(props.default_generation_settings) ? props.default_generation_settings : {};
    const nCtx = positiveInt(dgs.n_ctx) ?? positiveInt(props.n_ctx);
    if (nCtx) {
      info.contextWindow = nCtx;
      info.contextSource = 'llama.cpp /props n_ctx, per slot';
    }
    const slots = positiveInt(props.total_slots);
    if (slots) info.slots = slots;
  } else if (info.models.some((m) => m.contextWindow)) {
    info.kind = 'vllm';
    const entry = info.models.find((m) => m.id === target) ?? info.models.find((m) => m.contextWindow);
    if (entry?.contextWindow) {
      info.contextWindow = entry.contextWindow;
      info.contextSource = 'vLLM /models max_model_len';
    }
  }
  return info;
}

async function ollamaContext(
  info: ServerInfo,
  doFetch: typeof fetch,
  root: string,
  get: { headers: Record<string, string> },
  target: string | undefined,
  ps: unknown,
  timeoutMs: number,
): Promise<void> {
  // /api/ps: the instance actually loaded, the only number Ollama truly enforces.
  const loaded = isRecord(ps) && Array.isArray(ps.models) ? ps.models.filter(isRecord) : [];
  const running = target
    ? loaded.find((m) => [m.name, m.model].some((n) => typeof n === 'string' && sameOllamaModel(n, target)))
    : loaded[0];
  const loadedCtx = positiveInt(running?.context_length);
  if (loadedCtx) {
    info.contextWindow = loadedCtx;
    info.contextSource = 'Ollama /api/ps, loaded model';
  }
  if (target) {
    const show = await tryJson(
      doFetch,
      `${root}/api/show`,
      { method: 'POST', headers: { ...get.headers, 'content-type': 'application/json' }, body: JSON.stringify({ model: target }) },
      timeoutMs,
    );
    if (isRecord(show)) {
      const numCtx =
        typeof show.parameters === 'string' ? /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(show.parameters)?.[1] : undefined;
      if (!info.contextWindow && numCtx && Number(numCtx) > 0) {
        info.contextWindow = Number(numCtx);
        info.contextSource = 'Ollama /api/show num_ctx, from the Modelfile';
      }
      if (isRecord(show.model_info)) {
        for (const [key, value] of Object.entries(show.model_info)) {
          if (key.endsWith('.context_length') && positiveInt(value)) info.trainedContextWindow = positiveInt(value);
        }
      }
    }
  }
  if (info.contextWindow && info.contextWindow <= OLLAMA_SMALL_CONTEXT) {
    info.warnings.push(ollamaSmallContextWarning(target, info.contextWindow));
  } else if (!info.contextWindow) {
    info.warnings.push(
      `Ollama has not loaded ${target ?? 'the model'} yet, so its context window is unknown until the first ` +
        `request; Ollama's default is often only 4096 tokens. To be sure, start it with ` +
        `\`OLLAMA_CONTEXT_LENGTH=32768 ollama serve\` or set \`contextWindow\` in settings.`,
    );
  }
}

function lmStudioContext(info: ServerInfo, data: unknown[], target: string | undefined): void {
  const entries = data.filter(isRecord);
  const entry = entries.find((m) => m.id === target) ?? (target ? undefined : entries[0]);
  for (const m of info.models) {
    const e = entries.find((x) => x.id === m.id);
    const ctx = positiveInt(e?.loaded_context_length) ?? positiveInt(e?.max_context_length);
    if (ctx) m.contextWindow = ctx;
  }
  if (!entry) return;
  const loadedCtx = positiveInt(entry.loaded_context_length);
  const maxCtx = positiveInt(entry.max_context_length);
  if (maxCtx) info.trainedContextWindow = maxCtx;
  if (loadedCtx) {
    info.contextWindow = loadedCtx;
    info.contextSource = 'LM Studio /api/v0/models loaded_context_length';
  } else if (maxCtx) {
    info.contextWindow = maxCtx;
    info.contextSource = 'LM Studio /api/v0/models max_context_length: model not loaded, trained maximum';
  }
}

/** SPEC §2: settings `contextWindow`, else what the server reports, else 32768. */
export function resolveContextWindow(
  settingsContextWindow: number | undefined,
  info: ServerInfo | undefined,
): { window: number; source: string } {
  const fromSettings = positiveInt(settingsContextWindow);
  if (fromSettings) return { window: fromSettings, source: 'settings contextWindow' };
  if (info?.contextWindow) return { window: info.contextWindow, source: info.contextSource ?? 'server' };
  return { window: DEFAULT_CONTEXT_WINDOW, source: 'default (the server did not report one)' };
}
