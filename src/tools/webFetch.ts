import { z } from 'zod';
import { defineTool } from './define.js';
import type { AnyTool } from './types.js';
import { FetchError, fetchUrl } from '../web/fetchUrl.js';
import { binaryReason, decodeBody, htmlToMarkdown, isHtml } from '../web/toMarkdown.js';
import { condensePage, type SideModel } from '../web/condense.js';

// WebFetch (Claude Code's name and parameters). The permission gate decides per domain before this runs;
// the tool itself still refuses private and loopback addresses unless a rule names the host, because
// a public name can resolve to 127.0.0.1.

export interface WebFetchDeps {
  /** True when an allow rule names this host exactly (WebFetch(domain:host)). */
  allowPrivate(host: string): boolean;
  /** The model that condenses a page when `prompt` is given; without it the page itself is returned. */
  side?: SideModel;
  /** Characters of page text returned when there is no prompt (or condensing failed). */
  maxChars: number;
  now(): number;
  maxBytes?: number;
  timeoutMs?: number;
}

interface Page {
  url: string;
  status: number;
  title?: string;
  text: string;
  kind: 'html' | 'text';
  truncated: boolean;
}

const CACHE_MS = 15 * 60_000;
const CACHE_ENTRIES = 50;

export function createWebFetchTool(deps: WebFetchDeps): AnyTool {
  // Per tool instance, not per module: two sessions in one process never share pages.
  const cache = new Map<string, { at: number; page: Page }>();

  async function load(url: string, signal: AbortSignal): Promise<Page | { redirect: string; status: number }> {
    const hit = cache.get(url);
    if (hit && deps.now() - hit.at < CACHE_MS) return hit.page;
    const res = await fetchUrl(
      url,
      { maxBytes: deps.maxBytes ?? 5 * 1024 * 1024, timeoutMs: deps.timeoutMs ?? 30_000, maxRedirects: 5, allowPrivate: deps.allowPrivate },
      signal,
    );
    if (res.kind === 'redirect') return { redirect: res.location, status: res.status };
    const binary = binaryReason(res.contentType, res.body);
    if (binary) throw new FetchError(`${binary}, ${res.body.length}${res.truncated ? '+' : ''} bytes: WebFetch reads text and HTML only`);
    const raw = decodeBody(res.contentType, res.body);
    const converted = isHtml(res.contentType, res.body) ? await htmlToMarkdown(raw, res.url) : { markdown: raw, kind: 'text' as const, title: undefined };
    const page: Page = { url: res.url, status: res.status, title: converted.title, text: converted.markdown, kind: converted.kind, truncated: res.truncated };
    if (res.status < 400) {
      cache.set(url, { at: deps.now(), page });
      if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    }
    return page;
  }

  return defineTool({
    name: 'WebFetch',
    description:
      'Fetch an http(s) page as Markdown (its main article). With prompt, only the answer to prompt comes back: ' +
      'use it for long pages. A redirect to another host is reported, not followed. Cached for 15 minutes.',
    schema: z.object({
      url: z.string().describe('The http(s) URL to fetch'),
      prompt: z.string().optional().describe('What to find out from the page; the answer is returned instead of the page'),
    }),
    isReadOnly: () => true,
    async execute(args, ctx) {
      let page: Awaited<ReturnType<typeof load>>;
      try {
        page = await load(args.url, ctx.signal);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        return { output: `WebFetch of ${args.url} failed: ${message}.`, isError: true, summary: message };
      }
      if ('redirect' in page) {
        return {
          output: `${args.url} redirected (HTTP ${page.status}) to a different host: ${page.redirect}\nIt was not followed. To fetch it, call WebFetch again with url "${page.redirect}".`,
          summary: `redirect to ${page.redirect}`,
        };
      }
      const head = [`URL: ${page.url}`, page.status >= 400 ? `HTTP ${page.status}` : '', page.title ? `Title: ${page.title}` : '']
        .filter(Boolean)
        .join('\n');
      const note = page.truncated ? '\n\n[the page was larger than the download limit; only its start was read]' : '';
      const isError = page.status >= 400;
      if (args.prompt && deps.side && !isError) {
        try {
          const answer = await condensePage(deps.side, { url: page.url, text: page.text }, args.prompt, ctx.signal);
          return { output: `${head}\n\n${answer}${note}`, summary: `answered from ${page.text.length} chars` };
        } catch (err) {
          if (ctx.signal.aborted) return { output: 'Interrupted by user', isError: true, summary: 'interrupted' };
          const why = err instanceof Error ? err.message : String(err);
          return { ...pageResult(page, head, deps.maxChars, note, isError), output: `${pageResult(page, head, deps.maxChars, note, isError).output}\n\n[the page could not be condensed (${why}); it is shown as fetched]` };
        }
      }
      return pageResult(page, head, deps.maxChars, note, isError);
    },
  });
}

function pageResult(page: Page, head: string, maxChars: number, note: string, isError: boolean) {
  const cut = page.text.length > maxChars;
  const body = cut
    ? `${page.text.slice(0, maxChars)}\n\n[page cut at ${maxChars} of ${page.text.length} characters; call WebFetch with a prompt to ask about the whole page]`
    : page.text;
  return { output: `${head}\n\n${body}${note}`, isError, summary: `${page.text.length} chars${cut ? ' (cut)' : ''}` };
}
