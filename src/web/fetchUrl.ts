import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';
import net from 'node:net';
import { isPrivateAddress } from './address.js';

// One HTTP(S) GET for WebFetch, with the limits a model-driven fetch needs: http(s) only, a size and time
// cap, redirects followed only on the same host (a cross-host redirect is reported, not followed), and no
// connection to a private or loopback address unless the caller allows that host by name. The address is
// checked at connect time (in `lookup`), so a public name that resolves to 127.0.0.1 is refused too.

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
  /** True when a rule names this host explicitly: then private and loopback addresses are allowed for it. */
  allowPrivate(host: string): boolean;
}

export type FetchOutcome =
  | { kind: 'page'; url: string; status: number; contentType: string; body: Buffer; truncated: boolean }
  | { kind: 'redirect'; url: string; location: string; status: number };

export class FetchError extends Error {}

/** The host as rules name it: lower case, no trailing dot, no IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
}

export async function fetchUrl(rawUrl: string, limits: FetchLimits, signal: AbortSignal): Promise<FetchOutcome> {
  let url = parseHttpUrl(rawUrl);
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(limits.timeoutMs)]);
  for (let hop = 0; ; hop++) {
    const res = await getOnce(url, limits, deadline);
    if (res.kind === 'page') return res;
    const next = new URL(res.location, url);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new FetchError(`redirected to a ${next.protocol} URL, which is not fetched`);
    // http → https on the same host is the one change of URL that is followed silently.
    if (hostOf(next) !== hostOf(url) || (next.protocol === 'http:' && url.protocol === 'https:')) {
      return { kind: 'redirect', url: url.href, location: next.href, status: res.status };
    }
    if (hop >= limits.maxRedirects) throw new FetchError(`more than ${limits.maxRedirects} redirects`);
    url = next;
  }
}

function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchError(`"${raw}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError(`only http and https URLs can be fetched, not ${url.protocol}`);
  if (url.username || url.password) throw new FetchError('URLs with credentials are not fetched');
  return url;
}

type Once = FetchOutcome | { kind: 'redirect'; url: string; location: string; status: number };

function getOnce(url: URL, limits: FetchLimits, signal: AbortSignal): Promise<Once> {
  const host = hostOf(url);
  const allowPrivate = limits.allowPrivate(host);
  const lookup: net.LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: false }, (err, address, family) => {
      if (err) return callback(err, '', 0);
      if (!allowPrivate && isPrivateAddress(address as string)) {
        return callback(new FetchError(`${hostname} resolves to ${address as string}, a private or loopback address; a rule must name the host to allow it (WebFetch(domain:${host}))`), '', 0);
      }
      callback(null, address as string, family as number);
    });
  };
  if (!allowPrivate && net.isIP(host) && isPrivateAddress(host)) {
    return Promise.reject(new FetchError(`${host} is a private or loopback address; a rule must name it to allow it (WebFetch(domain:${host}))`));
  }
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise<Once>((resolve, reject) => {
    const req = mod.get(
      url,
      { lookup, signal, headers: { 'user-agent': 'claw (WebFetch)', accept: 'text/html,text/markdown,text/plain,application/json;q=0.9,*/*;q=0.5', 'accept-encoding': 'identity' } },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          resolve({ kind: 'redirect', url: url.href, location: res.headers.location, status });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        res.on('data', (chunk: Buffer) => {
          if (truncated) return;
          const room = limits.maxBytes - size;
          if (chunk.length >= room) {
            chunks.push(chunk.subarray(0, room));
            size = limits.maxBytes;
            truncated = true;
            res.destroy();
            finish();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          resolve({ kind: 'page', url: url.href, status, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks), truncated });
        };
        res.on('end', finish);
        res.on('error', (err) => (truncated ? finish() : reject(err)));
      },
    );
    req.on('error', (err) => {
      if (signal.aborted) {
        const reason = signal.reason as Error | undefined;
        reject(new FetchError(reason?.name === 'TimeoutError' ? `no complete answer within ${Math.round(limits.timeoutMs / 1000)} s` : 'interrupted'));
      } else reject(err instanceof FetchError ? err : new FetchError(describeNetError(err)));
    });
  });
}

function describeNetError(err: Error & { code?: string }): string {
  if (err.code === 'ENOTFOUND') return 'the host name could not be resolved';
  if (err.code === 'ECONNREFUSED') return 'the connection was refused';
  if (err.code === 'ECONNRESET') return 'the connection was reset';
  return err.message;
}
