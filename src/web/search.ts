// WebSearch backends. Users of local models rarely have a cloud search key; many run SearXNG, so its JSON
// API comes first. A provider is one small object: another (Brave, Kagi, a company search) is a new file.

export interface SearchHit {
  title: string;
  url: string;
  snippet?: string;
}

export interface SearchProvider {
  readonly name: string;
  search(query: string, signal: AbortSignal): Promise<SearchHit[]>;
}

/** SearXNG: GET <base>/search?q=…&format=json (the instance must list `json` in search.formats). */
export function searxngProvider(baseUrl: string, timeoutMs = 15_000): SearchProvider {
  const base = baseUrl.replace(/\/+$/, '').replace(/\/search$/, '');
  return {
    name: 'SearXNG',
    async search(query, signal) {
      const url = `${base}/search?${new URLSearchParams({ q: query, format: 'json' })}`;
      let res: Response;
      try {
        res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]), headers: { accept: 'application/json' } });
      } catch (err) {
        throw new Error(`the search server at ${base} did not answer (${(err as Error).message})`);
      }
      if (res.status === 403) throw new Error(`the search server at ${base} refused JSON output (HTTP 403): add "json" to search.formats in its settings.yml`);
      if (!res.ok) throw new Error(`the search server at ${base} answered HTTP ${res.status}`);
      let data: unknown;
      try {
        data = await res.json();
      } catch {
        throw new Error(`the search server at ${base} did not return JSON`);
      }
      const results = (data as { results?: unknown }).results;
      if (!Array.isArray(results)) return [];
      return results
        .filter((r): r is Record<string, unknown> => !!r && typeof r === 'object' && typeof (r as { url?: unknown }).url === 'string')
        .map((r) => ({
          title: typeof r.title === 'string' && r.title ? r.title : String(r.url),
          url: String(r.url),
          snippet: typeof r.content === 'string' && r.content ? r.content : undefined,
        }));
    },
  };
}

/** `docs.python.org` matches `python.org` and `docs.python.org`, not `notpython.org`. */
export function hostMatches(url: string, domain: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  const d = domain.toLowerCase().replace(/^\*\./, '').replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return host === d || host.endsWith(`.${d}`);
}
