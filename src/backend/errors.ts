// One error type for everything that can go wrong talking to a model server, with a sentence for the user.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

export type BackendErrorKind = 'connection' | 'timeout' | 'http' | 'stream_cut' | 'overflow' | 'aborted' | 'bad_response';

export interface BackendErrorInit {
  status?: number;
  retryAfterMs?: number;
  baseUrl?: string;
  outputStarted?: boolean;
  /** Short cause, e.g. "connection refused" or the server's own message. */
  detail?: string;
  /** The context window the server named in an overflow error, when it did. */
  contextLimit?: number;
  cause?: unknown;
}

export class BackendError extends Error {
  kind: BackendErrorKind;
  status?: number;
  retryAfterMs?: number;
  baseUrl?: string;
  outputStarted?: boolean;
  detail?: string;
  contextLimit?: number;

  constructor(kind: BackendErrorKind, message: string, init: BackendErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'BackendError';
    this.kind = kind;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.baseUrl = init.baseUrl;
    this.outputStarted = init.outputStarted;
    this.detail = init.detail;
    this.contextLimit = init.contextLimit;
  }
}

// Context-overflow texts of vLLM, llama.cpp, LM Studio, Ollama, LiteLLM, OpenAI (local-backends §4.1).
const OVERFLOW: RegExp[] = [
  /maximum context length is (\d+) tokens/i,
  /exceeds the available context size(?: \((\d+) tokens\))?/i,
  /context size has been exceeded/i,
  /exceed_context_size_error/i,
  /model is loaded with context length of only (\d+) tokens/i,
  /cannot truncate prompt with n_keep \(\d+\) >= n_ctx \((\d+)\)/i,
  /context[_ ]length[_ ]exceeded|contextwindowexceeded/i,
  /(?:prompt|input) (?:is )?too long|exceeds? (?:the )?(?:max(?:imum)? )?context (?:length|window)/i,
];

function overflowLimit(text: string): { limit?: number } | undefined {
  for (const re of OVERFLOW) {
    const m = re.exec(text);
    if (m) return { limit: m[1] ? Number(m[1]) : undefined };
  }
  return undefined;
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (headers && typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  if (headers && typeof headers === 'object') {
    const v = (headers as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

/** Retry-After as milliseconds: `retry-after-ms`, seconds, or an HTTP date. */
export function parseRetryAfter(headers: unknown, now = Date.now()): number | undefined {
  const ms = headerOf(headers, 'retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = headerOf(headers, 'retry-after');
  if (!ra) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(ra)) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const CODE_REASON: Record<string, [BackendErrorKind, string]> = {
  ECONNREFUSED: ['connection', 'connection refused'],
  ENOTFOUND: ['connection', 'host not found'],
  EAI_AGAIN: ['connection', 'host name lookup failed'],
  EHOSTUNREACH: ['connection', 'host unreachable'],
  ENETUNREACH: ['connection', 'network unreachable'],
  ECONNRESET: ['connection', 'connection reset'],
  EPIPE: ['connection', 'connection closed'],
  UND_ERR_CONNECT_TIMEOUT: ['connection', 'connect timeout'],
  UND_ERR_SOCKET: ['stream_cut', 'the server closed the connection'],
  UND_ERR_CLOSED: ['stream_cut', 'the server closed the connection'],
  UND_ERR_HEADERS_TIMEOUT: ['timeout', 'no response headers within the client timeout'],
  UND_ERR_BODY_TIMEOUT: ['timeout', 'the response stalled'],
  ETIMEDOUT: ['timeout', 'timed out'],
};

/** The first errno/undici code found along the cause chain. */
function causeCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 6; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CODE_REASON[code]) return code;
    const errors = (e as { errors?: unknown }).errors; // AggregateError from happy-eyeballs connects
    if (Array.isArray(errors)) for (const x of errors) {
      const c = causeCode(x);
      if (c) return c;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err) ?? String(err));

function fromPayload(status: number | undefined, body: unknown, text: string, baseUrl: string, headers: unknown, cause: unknown): BackendError {
  const full = `${text} ${body === undefined ? '' : JSON.stringify(body)}`;
  const over = overflowLimit(full);
  const nCtx = (body as { n_ctx?: unknown } | undefined)?.n_ctx;
  if (over) {
    return new BackendError('overflow', text, {
      status, baseUrl, detail: text, cause, contextLimit: over.limit ?? (typeof nCtx === 'number' ? nCtx : undefined),
    });
  }
  if (status === undefined) {
    // An error sent inside the SSE stream after a 200 (llama.cpp, proxies); its payload may carry a code.
    const code = (body as { code?: unknown } | undefined)?.code;
    const s = typeof code === 'number' && code >= 400 ? code : undefined;
    return new BackendError(s ? 'http' : 'bad_response', text, { status: s, baseUrl, detail: text, cause });
  }
  return new BackendError('http', text, { status, baseUrl, detail: text, retryAfterMs: parseRetryAfter(headers), cause });
}

/** Turns whatever the SDK, fetch or a stream threw into a BackendError. */
export function classifyError(err: unknown, baseUrl: string): BackendError {
  if (err instanceof BackendError) {
    err.baseUrl ??= baseUrl;
    return err;
  }
  const name = (err as { name?: unknown })?.name;
  if (err instanceof APIUserAbortError || name === 'AbortError') {
    return new BackendError('aborted', 'request aborted', { baseUrl, cause: err });
  }
  if (err instanceof APIConnectionTimeoutError) {
    return new BackendError('timeout', 'request timed out', { baseUrl, detail: 'timed out', cause: err });
  }
  const code = causeCode(err);
  if (code) {
    const [kind, reason] = CODE_REASON[code]!;
    return new BackendError(kind, reason, { baseUrl, detail: reason, cause: err });
  }
  if (err instanceof APIConnectionError) {
    return new BackendError('connection', messageOf(err), { baseUrl, detail: 'connection error', cause: err });
  }
  if (err instanceof APIError) {
    const body = err.error as unknown;
    const text = (body as { message?: unknown } | undefined)?.message;
    return fromPayload(err.status, body, typeof text === 'string' ? text : err.message, baseUrl, err.headers, err);
  }
  const msg = messageOf(err);
  if (err instanceof TypeError && /terminated|other side closed|premature close/i.test(msg)) {
    return new BackendError('stream_cut', msg, { baseUrl, detail: 'the stream ended early', cause: err });
  }
  if (err instanceof TypeError && /fetch failed/i.test(msg)) {
    return new BackendError('connection', msg, { baseUrl, detail: 'connection failed', cause: err });
  }
  const over = overflowLimit(msg);
  if (over) return new BackendError('overflow', msg, { baseUrl, detail: msg, contextLimit: over.limit, cause: err });
  return new BackendError('bad_response', msg, { baseUrl, detail: msg, cause: err });
}

// What to start, per default port (SPEC §2 probe order).
function startHint(baseUrl: string): string {
  const port = /:(\d+)(?:\/|$)/.exec(baseUrl)?.[1];
  const server = { '11434': 'Ollama', '8000': 'vLLM', '1234': 'LM Studio', '8080': 'llama-server' }[port ?? ''];
  return server ? `Start ${server}, or set CLAW_BASE_URL.` : 'Check that the server is running, or set CLAW_BASE_URL.';
}

const clip = (s: string | undefined, n = 160): string => {
  const one = (s ?? '').replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

/** One sentence for the user: what failed, where, and what to do. */
export function userMessage(err: BackendError): string {
  const url = err.baseUrl ?? 'the configured base URL';
  const detail = clip(err.detail ?? err.message);
  switch (err.kind) {
    case 'connection':
      return `cannot reach the model server at ${url} (${detail}). ${startHint(url)}`;
    case 'timeout':
      return `the model server at ${url} did not respond in time (${detail}). It may still be loading the model or reading a long prompt; try again, or check the server's logs.`;
    case 'stream_cut':
      return `the model server at ${url} ended the response early (${detail}). Try again; if it keeps happening, check the server's logs.`;
    case 'overflow':
      return `the conversation is too long for the model's context window${err.contextLimit ? ` (${err.contextLimit} tokens)` : ''} at ${url}. Run /compact, or load the model with a larger context.`;
    case 'aborted':
      return 'the request was cancelled.';
    case 'bad_response':
      return `the model server at ${url} sent a response claw could not use (${detail}). Check the server's logs, or try another model.`;
    case 'http':
      break;
  }
  const s = err.status;
  if (s === 401 || s === 403) return `the model server at ${url} refused the API key (${s} ${detail}). Set CLAW_API_KEY.`;
  if (s === 404) {
    return /model/i.test(detail)
      ? `the model server at ${url} does not have the requested model (404: ${detail}). Set --model or CLAW_MODEL; list models with \`claw doctor\`.`
      : `the model server at ${url} has no chat endpoint there (404: ${detail}). Check that the base URL ends in /v1 (CLAW_BASE_URL).`;
  }
  if (/--jinja/i.test(detail)) return `llama-server at ${url} cannot take tools (${detail}). Restart it with --jinja.`;
  if (/enable-auto-tool-choice|tool-call-parser/i.test(detail)) {
    return `vLLM at ${url} has tool calling off (${detail}). Restart it with --enable-auto-tool-choice --tool-call-parser qwen3_coder (or the parser for your model).`;
  }
  if (s === 429) return `the model server at ${url} is rate-limiting requests (429: ${detail}). Wait a moment and try again.`;
  if (s !== undefined && s >= 500) {
    // Say what the server said; only a busy-type status suggests load (a 500 is usually the model's output).
    const busy = s === 502 || s === 503 || s === 504 || s === 529;
    const when = err.outputStarted ? ' mid-answer' : '';
    return `the model server at ${url} failed${when} (${s}: ${detail}). ${busy ? 'It may be overloaded or still loading; try again shortly.' : "Try again; if it keeps happening, check the server's logs."}`;
  }
  return `the model server at ${url} rejected the request (${s ?? 'error'}: ${detail}). Check the model and server settings with \`claw doctor\`.`;
}
