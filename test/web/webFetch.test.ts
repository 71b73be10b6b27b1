// WebFetch against real HTTP servers on 127.0.0.1: what the model gets back for articles, redirects, slow,
// huge and binary answers, private addresses, the 15-minute cache, and condensing through a real model
// request (the openai SDK against the scripted server).
import { afterEach, describe, expect, it } from 'vitest';
import { createWebFetchTool } from '../../src/tools/webFetch.js';
import { createOpenAIClient } from '../../src/backend/openaiClient.js';
import { runTool } from '../../src/tools/define.js';
import type { ToolContext } from '../../src/tools/types.js';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { ARTICLE_HTML, html, redirect, startPageServer, type PageServer } from './pages.js';

let pages: PageServer | undefined;
let model: ScriptedServer | undefined;
afterEach(async () => {
  await pages?.close();
  await model?.close();
  pages = model = undefined;
});

function ctx(): ToolContext {
  return { cwd: '/', workingDirs: ['/'], signal: new AbortController().signal, readFiles: new Map(), env: {}, setCwd() {} };
}

function tool(overrides: Partial<Parameters<typeof createWebFetchTool>[0]> = {}) {
  let now = 1_000_000;
  const t = createWebFetchTool({ allowPrivate: () => true, maxChars: 50_000, now: () => now, ...overrides });
  return { t, advance: (ms: number) => (now += ms) };
}

describe('WebFetch', () => {
  it('returns the article as Markdown without navigation, banners, sidebars or scripts', async () => {
    pages = await startPageServer({ '/post': html(ARTICLE_HTML) });
    const { t } = tool();
    const r = await runTool(t, { url: `${pages.url}/post` }, ctx());
    expect(r.isError).toBeFalsy();
    expect(r.output).toContain('Title: Tuning the Widget Cache');
    expect(r.output).toContain('`WIDGET_CACHE_MB`');
    expect(r.output).toContain('least-recently-used');
    expect(r.output).toContain('```\nwidgetd --cache-mb 256 --evict lru\n```');
    // relative links become absolute, so the model can fetch them as they stand
    expect(r.output).toContain(`(${pages.url}/docs/eviction)`);
    for (const junk of ['NAVIGATION-PRICING-LINK', 'SITE-BANNER-TEXT', 'SIDEBAR-RELATED-POSTS', 'FOOTER-COPYRIGHT', 'tracker-script-body', 'SCRIPT-AT-END', 'color: red']) {
      expect(r.output).not.toContain(junk);
    }
  });

  it('passes other text types through and refuses binary content', async () => {
    pages = await startPageServer({
      '/data.json': (_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"version":"1.2.3"}'),
      '/logo.png': (_q, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1])),
      '/blob': (_q, res) => res.writeHead(200).end(Buffer.from([1, 2, 0, 3])),
    });
    const { t } = tool();
    expect((await runTool(t, { url: `${pages.url}/data.json` }, ctx())).output).toContain('{"version":"1.2.3"}');
    const png = await runTool(t, { url: `${pages.url}/logo.png` }, ctx());
    expect(png.isError).toBe(true);
    expect(png.output).toMatch(/binary content \(image\/png\)/);
    expect((await runTool(t, { url: `${pages.url}/blob` }, ctx())).output).toMatch(/binary content/);
  });

  it('follows same-host redirects and reports a redirect to another host without following it', async () => {
    pages = await startPageServer({ '/a': redirect('/b', 301), '/b': redirect('/c'), '/c': html('<html><body><p>final page text here</p></body></html>') });
    const port = new URL(pages.url).port;
    const other = `http://localhost:${port}/c`;
    pages.hits.length = 0;
    const { t } = tool();
    const followed = await runTool(t, { url: `${pages.url}/a` }, ctx());
    expect(followed.output).toContain('final page text here');
    expect(followed.output).toContain(`URL: ${pages.url}/c`);
    expect(pages.hits).toEqual(['/a', '/b', '/c']);

    const p2 = await startPageServer({ '/away': redirect(other) });
    try {
      const r = await runTool(t, { url: `${p2.url}/away` }, ctx());
      expect(r.isError).toBeFalsy();
      expect(r.output).toContain(`redirected (HTTP 302) to a different host: ${other}`);
      expect(r.output).toContain('call WebFetch again');
    } finally {
      await p2.close();
    }
  });

  it('stops a redirect loop', async () => {
    pages = await startPageServer({ '/loop': redirect('/loop') });
    const r = await runTool(tool().t, { url: `${pages.url}/loop` }, ctx());
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/more than 5 redirects/);
  });

  it('gives up on a slow server at the time cap', async () => {
    pages = await startPageServer({ '/slow': () => undefined });
    const started = Date.now();
    const r = await runTool(tool({ timeoutMs: 400 }).t, { url: `${pages.url}/slow` }, ctx());
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/no complete answer within/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('reads only the start of a huge page and says so; cuts long text to the character cap', async () => {
    const big = `<html><body><article><p>${'word '.repeat(400_000)}</p></article></body></html>`;
    pages = await startPageServer({ '/huge': html(big), '/long.txt': (_q, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(30_000)) });
    const huge = await runTool(tool({ maxBytes: 100_000 }).t, { url: `${pages.url}/huge` }, ctx());
    expect(huge.output).toContain('larger than the download limit');
    const long = await runTool(tool({ maxChars: 10_000 }).t, { url: `${pages.url}/long.txt` }, ctx());
    expect(long.output).toContain('page cut at 10000 of 30000 characters');
    expect(long.output.length).toBeLessThan(11_000);
  });

  it('refuses loopback and private addresses unless the host is allowed by name', async () => {
    pages = await startPageServer({ '/post': html(ARTICLE_HTML) });
    const asked: string[] = [];
    const t = tool({ allowPrivate: (h) => (asked.push(h), false) }).t;
    const r = await runTool(t, { url: `${pages.url}/post` }, ctx());
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/private or loopback address/);
    // a name that resolves to 127.0.0.1 is refused at connect time too
    const byName = await runTool(t, { url: pages.url.replace('127.0.0.1', 'localhost') + '/post' }, ctx());
    expect(byName.isError).toBe(true);
    expect(byName.output).toMatch(/resolves to .*private or loopback/);
    expect(pages.hits).toEqual([]);
    expect(asked).toContain('127.0.0.1');
  });

  it('serves a page from its cache for 15 minutes', async () => {
    pages = await startPageServer({ '/post': html(ARTICLE_HTML) });
    const { t, advance } = tool();
    await runTool(t, { url: `${pages.url}/post` }, ctx());
    advance(14 * 60_000);
    await runTool(t, { url: `${pages.url}/post` }, ctx());
    expect(pages.hits).toHaveLength(1);
    advance(2 * 60_000);
    await runTool(t, { url: `${pages.url}/post` }, ctx());
    expect(pages.hits).toHaveLength(2);
  });

  it('with a prompt, returns only the side model answer; the page went to the side request', async () => {
    pages = await startPageServer({ '/post': html(ARTICLE_HTML) });
    model = await startScriptedServer({ replies: [{ text: '<think>look for the variable</think>Set WIDGET_CACHE_MB=256 before starting.' }] });
    const side = { client: createOpenAIClient({ baseUrl: model.url, apiKey: 'local' }), model: 'small-model', contextWindow: 8_192 };
    const r = await runTool(tool({ side }).t, { url: `${pages.url}/post`, prompt: 'How do I raise the cache size?' }, ctx());
    expect(r.output).toContain('Set WIDGET_CACHE_MB=256 before starting.');
    expect(r.output).not.toContain('least-recently-used');
    expect(r.output).not.toContain('look for the variable');
    const req = model.chatRequests()[0]!.body;
    expect(req.model).toBe('small-model');
    expect(req.messages[1].content).toContain('least-recently-used');
    expect(req.messages[1].content).toContain('How do I raise the cache size?');
    expect(req.tools ?? []).toEqual([]);
  });

  it('falls back to the page itself when the side request fails', async () => {
    pages = await startPageServer({ '/post': html(ARTICLE_HTML) });
    model = await startScriptedServer({ replies: [{ error: { status: 500, message: 'boom' } }] });
    const side = { client: createOpenAIClient({ baseUrl: model.url, apiKey: 'local' }), model: 'm', contextWindow: 8_192 };
    const r = await runTool(tool({ side }).t, { url: `${pages.url}/post`, prompt: 'size?' }, ctx());
    expect(r.output).toContain('least-recently-used');
    expect(r.output).toContain('could not be condensed');
  });
});
