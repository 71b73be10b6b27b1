// SPEC §2 backend selection: which base URL, API key and model claw uses, and where each came from.
// Pure functions over an explicit env object (tests never touch process.env); probing uses plain fetch
// with short timeouts, never the openai SDK, so `claw -p` starts fast.

import { describeFetchError, fetchModels, ServerHttpError, stripTrailingSlash, type ServerModel } from './serverInfo.js';

export interface BackendConfigInput {
  flagBaseUrl?: string;
  flagModel?: string;
  /** Where flagModel came from when it was not the --model flag (the REPL's `/model`). */
  flagModelSource?: string;
  env: NodeJS.ProcessEnv;
  settings: { baseUrl?: string; apiKey?: string; model?: string; contextWindow?: number };
}

export interface ResolvedBackend {
  baseUrl: string;
  /** '--base-url' | 'CLAW_BASE_URL' | 'OPENAI_BASE_URL' | 'settings' | 'OLLAMA_HOST' | 'probe' */
  baseUrlSource: string;
  apiKey: string;
  /** 'CLAW_API_KEY' | 'OPENAI_API_KEY' | 'settings' | 'default' (the string `local`) */
  apiKeySource?: string;
  model?: string;
  /** '--model' | 'CLAW_MODEL' | 'OPENAI_MODEL' | 'settings' | '/models' */
  modelSource?: string;
  /** Why no model could be chosen (server unreachable, empty model list), when model is undefined. */
  modelError?: string;
}

/** The usual local ports, in SPEC order: Ollama, vLLM, LM Studio, llama.cpp. */
export const PROBE_CANDIDATES = [
  'http://127.0.0.1:11434/v1',
  'http://127.0.0.1:8000/v1',
  'http://127.0.0.1:1234/v1',
  'http://127.0.0.1:8080/v1',
];
export const PROBE_TIMEOUT_MS = 300;

export class NoServerError extends Error {
  constructor(readonly tried: string[]) {
    super(
      `no model server configured and none answered at ${tried.join(', ')}. ` +
        `Start Ollama (\`ollama serve\`), or set CLAW_BASE_URL to your server's /v1 URL.`,
    );
    this.name = 'NoServerError';
  }
}

function set(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

/** Trim, drop trailing slashes, and assume http:// when the scheme is left out ("localhost:8000/v1"). */
export function normalizeBaseUrl(url: string): string {
  const u = stripTrailingSlash(url.trim());
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(u) ? u : `http://${u}`;
}

/**
 * OLLAMA_HOST as Ollama itself reads it: "host", "host:port", ":port", "http(s)://host[:port][/path]".
 * Without a scheme the port defaults to 11434 (with one, to the scheme's port); a bind-all address
 * (0.0.0.0, ::) means "this machine" to a client. Returns the OpenAI-compatible URL (+ /v1).
 */
export function ollamaHostToBaseUrl(value: string): string | undefined {
  const raw = value.trim();
  if (!raw) return undefined;
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  const scheme = schemeMatch ? schemeMatch[1]!.toLowerCase() : 'http';
  const rest = schemeMatch ? raw.slice(schemeMatch[0].length) : raw;
  const slash = rest.indexOf('/');
  const hostport = slash >= 0 ? rest.slice(0, slash) : rest;
  const path = slash >= 0 ? stripTrailingSlash(rest.slice(slash)) : '';
  const defaultPort = !schemeMatch ? '11434' : scheme === 'https' ? '443' : '80';

  let host: string;
  let port: string;
  const bracketed = /^\[([^\]]*)\](?::(\d*))?$/.exec(hostport);
  if (bracketed) {
    host = bracketed[1]!;
    port = bracketed[2] || defaultPort;
  } else if ((hostport.match(/:/g) ?? []).length === 1) {
    const i = hostport.indexOf(':');
    host = hostport.slice(0, i);
    port = hostport.slice(i + 1) || defaultPort;
  } else {
    host = hostport; // bare name, or a bare IPv6 address
    port = defaultPort;
  }
  if (host === '' || host === '0.0.0.0' || host === '::' || host === '::0') host = '127.0.0.1';
  if (host.includes(':')) host = `[${host}]`;
  const defaultForScheme = (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80');
  const origin = `${scheme}://${host}${defaultForScheme ? '' : `:${port}`}`;
  return `${origin}${path.endsWith('/v1') ? path : `${path}/v1`}`;
}

/** SPEC §2 order: --base-url, CLAW_BASE_URL, OPENAI_BASE_URL, settings baseUrl, OLLAMA_HOST (+ /v1). */
export function resolveBaseUrlFromConfig(input: BackendConfigInput): { baseUrl: string; source: string } | undefined {
  const ordered: Array<[string, string | undefined]> = [
    ['--base-url', input.flagBaseUrl],
    ['CLAW_BASE_URL', input.env.CLAW_BASE_URL],
    ['OPENAI_BASE_URL', input.env.OPENAI_BASE_URL],
    ['settings', input.settings.baseUrl],
  ];
  for (const [source, value] of ordered) {
    const v = set(value);
    if (v) return { baseUrl: normalizeBaseUrl(v), source };
  }
  const ollamaHost = set(input.env.OLLAMA_HOST);
  const fromOllama = ollamaHost ? ollamaHostToBaseUrl(ollamaHost) : undefined;
  if (fromOllama) return { baseUrl: fromOllama, source: 'OLLAMA_HOST' };
  return undefined;
}

/** SPEC §2: CLAW_API_KEY, OPENAI_API_KEY, settings apiKey, else `local`. The source is safe to print; the key is not. */
export function resolveApiKeyWithSource(input: BackendConfigInput): { apiKey: string; source: string } {
  const ordered: Array<[string, string | undefined]> = [
    ['CLAW_API_KEY', input.env.CLAW_API_KEY],
    ['OPENAI_API_KEY', input.env.OPENAI_API_KEY],
    ['settings', input.settings.apiKey],
  ];
  for (const [source, value] of ordered) {
    const v = set(value);
    if (v) return { apiKey: v, source };
  }
  return { apiKey: 'local', source: 'default' };
}

export function resolveApiKey(input: BackendConfigInput): string {
  return resolveApiKeyWithSource(input).apiKey;
}

/** SPEC §2: --model, CLAW_MODEL, OPENAI_MODEL, settings model (else the caller asks GET /models). */
export function resolveModelFromConfig(input: BackendConfigInput): { model: string; source: string } | undefined {
  const ordered: Array<[string, string | undefined]> = [
    [input.flagModelSource ?? '--model', input.flagModel],
    ['CLAW_MODEL', input.env.CLAW_MODEL],
    ['OPENAI_MODEL', input.env.OPENAI_MODEL],
    ['settings', input.settings.model],
  ];
  for (const [source, value] of ordered) {
    const v = set(value);
    if (v) return { model: v, source };
  }
  return undefined;
}

/**
 * Probes the candidates in parallel, each bounded by timeoutMs, and returns the first IN ORDER that
 * answers GET /models with 200 and a model list (so a live vLLM never beats a live Ollama).
 */
export async function probeLocalServersDetailed(
  opts: { timeoutMs?: number; candidates?: string[]; fetchImpl?: typeof fetch; apiKey?: string } = {},
): Promise<{ baseUrl: string; models: ServerModel[] } | undefined> {
  const candidates = (opts.candidates ?? PROBE_CANDIDATES).map(stripTrailingSlash);
  const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
  const stop = new AbortController();
  const attempts = candidates.map((baseUrl) =>
    fetchModels(baseUrl, opts.apiKey ?? 'local', {
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stop.signal]),
      fetchImpl: opts.fetchImpl,
    }).then(
      (models) => ({ baseUrl, models }),
      () => undefined,
    ),
  );
  try {
    for (const attempt of attempts) {
      const found = await attempt;
      if (found) return found;
    }
    return undefined;
  } finally {
    stop.abort(); // later candidates are no longer needed
  }
}

export async function probeLocalServers(
  opts: { timeoutMs?: number; candidates?: string[]; fetchImpl?: typeof fetch } = {},
): Promise<string | undefined> {
  return (await probeLocalServersDetailed(opts))?.baseUrl;
}

/**
 * Full SPEC §2 resolution. Without a configured model, asks GET /models for the first id (reusing the
 * probe's answer when there was one); if that fails, `model` stays undefined and `modelError` says why.
 * Throws NoServerError when nothing is configured and no local port answers.
 */
export async function resolveBackend(
  input: BackendConfigInput,
  opts: { timeoutMs?: number; modelsTimeoutMs?: number; candidates?: string[]; fetchImpl?: typeof fetch } = {},
): Promise<ResolvedBackend> {
  const { apiKey, source: apiKeySource } = resolveApiKeyWithSource(input);
  const configured = resolveBaseUrlFromConfig(input);
  let baseUrl: string;
  let baseUrlSource: string;
  let probedModels: ServerModel[] | undefined;
  if (configured) {
    ({ baseUrl, source: baseUrlSource } = configured);
  } else {
    const candidates = opts.candidates ?? PROBE_CANDIDATES;
    const found = await probeLocalServersDetailed({ ...opts, candidates, apiKey });
    if (!found) throw new NoServerError(candidates);
    baseUrl = found.baseUrl;
    baseUrlSource = 'probe';
    probedModels = found.models;
  }
  const resolved: ResolvedBackend = { baseUrl, baseUrlSource, apiKey, apiKeySource };

  const fromConfig = resolveModelFromConfig(input);
  if (fromConfig) {
    resolved.model = fromConfig.model;
    resolved.modelSource = fromConfig.source;
    return resolved;
  }
  const modelsTimeoutMs = opts.modelsTimeoutMs ?? 5000;
  try {
    const models =
      probedModels ??
      (await fetchModels(baseUrl, apiKey, { signal: AbortSignal.timeout(modelsTimeoutMs), fetchImpl: opts.fetchImpl }));
    const first = models[0]?.id;
    if (first) {
      resolved.model = first;
      resolved.modelSource = '/models';
    } else {
      resolved.modelError = `the server at ${baseUrl} lists no models`;
    }
  } catch (err) {
    const why = describeFetchError(err, modelsTimeoutMs);
    resolved.modelError =
      err instanceof ServerHttpError
        ? `the model server at ${baseUrl} refused GET /models (${why})`
        : `cannot reach the model server at ${baseUrl} (${why})`;
  }
  return resolved;
}
