// Real HTTP servers on 127.0.0.1 for the web tests: an article page wrapped in navigation and scripts,
// redirects, a slow answer, a huge page, a binary file, and a fake SearXNG.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const ARTICLE_HTML = `<!doctype html>
<html><head><title>Tuning the Widget Cache</title>
<script>window.TRACKER_SECRET = "tracker-script-body";</script>
<style>.nav { color: red }</style></head>
<body>
<nav class="nav"><a href="/">Home</a> <a href="/pricing">NAVIGATION-PRICING-LINK</a> <a href="/about">About us</a></nav>
<header><div class="banner">SITE-BANNER-TEXT subscribe now</div></header>
<main><article>
<h1>Tuning the Widget Cache</h1>
<p>The widget cache keeps recently rendered widgets in memory so that a second request is served without
recomputing the layout. Its size is set with the <code>WIDGET_CACHE_MB</code> variable and defaults to 64 megabytes.</p>
<p>To raise it, export <code>WIDGET_CACHE_MB=256</code> before starting the server. Values above the machine's free memory
are clamped, and a warning is logged once at start-up so that operators notice the clamp.</p>
<h2>Eviction</h2>
<p>Entries are evicted least-recently-used first. An entry that was read in the last second is never evicted, which
keeps bursts of identical requests cheap even when the cache is full. See <a href="/docs/eviction">the eviction notes</a>.</p>
<pre><code>widgetd --cache-mb 256 --evict lru</code></pre>
</article></main>
<aside>SIDEBAR-RELATED-POSTS</aside>
<footer>FOOTER-COPYRIGHT 2026</footer>
<script>console.log("SCRIPT-AT-END")</script>
</body></html>`;

export interface PageServer {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

export async function startPageServer(routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>): Promise<PageServer> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const route = routes[(req.url ?? '').split('?')[0]!];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    route(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const html = (body: string) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
};

export const redirect = (to: string, status = 302) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(status, { location: to }).end();
};

export const SEARX_RESULTS = {
  query: 'widget cache',
  results: [
    { url: 'https://docs.widget.dev/cache', title: 'Widget cache docs', content: 'How the   widget cache\nworks.', engine: 'duckduckgo' },
    { url: 'https://blog.example.com/widgets', title: 'Ten widget tips', content: 'Tips.', engine: 'bing' },
    { url: 'https://spam.example.org/x', title: 'Spam', content: '', engine: 'bing' },
  ],
};
