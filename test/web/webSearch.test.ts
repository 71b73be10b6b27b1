// WebSearch through a fake SearXNG on 127.0.0.1 answering its JSON format.
import { afterEach, describe, expect, it } from 'vitest';
import { createWebSearchTool } from '../../src/tools/webSearch.js';
import { searxngProvider, hostMatches } from '../../src/web/search.js';
import { runTool } from '../../src/tools/define.js';
import type { ToolContext } from '../../src/tools/types.js';
import { SEARX_RESULTS, startPageServer, type PageServer } from './pages.js';

let srv: PageServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

const ctx = (): ToolContext => ({ cwd: '/', workingDirs: ['/'], signal: new AbortController().signal, readFiles: new Map(), env: {}, setCwd() {} });

describe('WebSearch (SearXNG)', () => {
  it('returns titles, URLs and snippets, and sends the query as SearXNG expects', async () => {
    let seen = '';
    srv = await startPageServer({
      '/search': (req, res) => {
        seen = req.url ?? '';
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(SEARX_RESULTS));
      },
    });
    const r = await runTool(createWebSearchTool(searxngProvider(srv.url + '/')), { query: 'widget cache' }, ctx());
    expect(new URLSearchParams(seen.split('?')[1]).get('format')).toBe('json');
    expect(new URLSearchParams(seen.split('?')[1]).get('q')).toBe('widget cache');
    expect(r.output).toContain('1. Widget cache docs\n   https://docs.widget.dev/cache\n   How the widget cache works.');
    expect(r.output).toContain('2. Ten widget tips\n   https://blog.example.com/widgets');
  });

  it('keeps or drops results by domain', async () => {
    srv = await startPageServer({ '/search': (_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(SEARX_RESULTS)) });
    const t = createWebSearchTool(searxngProvider(srv.url));
    const only = await runTool(t, { query: 'widget cache', allowed_domains: ['widget.dev'] }, ctx());
    expect(only.output).toContain('docs.widget.dev');
    expect(only.output).not.toContain('blog.example.com');
    const blocked = await runTool(t, { query: 'widget cache', blocked_domains: ['example.org', 'example.com'] }, ctx());
    expect(blocked.output).toContain('docs.widget.dev');
    expect(blocked.output).not.toMatch(/example\.(com|org)/);
    const none = await runTool(t, { query: 'widget cache', allowed_domains: ['nothing.test'] }, ctx());
    expect(none.output).toBe('No results for "widget cache".');
  });

  it('explains a SearXNG instance without JSON output and an unreachable one', async () => {
    srv = await startPageServer({ '/search': (_q, res) => res.writeHead(403).end('Forbidden') });
    const r = await runTool(createWebSearchTool(searxngProvider(srv.url)), { query: 'x y' }, ctx());
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/add "json" to search\.formats/);
    await srv.close();
    const down = await runTool(createWebSearchTool(searxngProvider(srv.url)), { query: 'x y' }, ctx());
    srv = undefined;
    expect(down.isError).toBe(true);
    expect(down.output).toMatch(/did not answer/);
  });

  it('matches domains by host suffix only', () => {
    expect(hostMatches('https://docs.python.org/3/', 'python.org')).toBe(true);
    expect(hostMatches('https://notpython.org/', 'python.org')).toBe(false);
    expect(hostMatches('https://python.org/', '*.python.org')).toBe(true);
  });
});
