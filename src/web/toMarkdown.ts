// Page bytes → text the model can use. HTML is reduced to the readable article (Mozilla's Readability,
// the engine of Firefox's reader view, on linkedom's light DOM) and turned into Markdown by turndown;
// other text types pass through; binary content is refused. The libraries load on first use only, so
// neither `claw -p` start-up nor a session without WebFetch pays for them.

export interface PageText {
  title?: string;
  markdown: string;
  kind: 'html' | 'text';
}

const TEXTUAL = /^(text\/|application\/(json|xml|xhtml\+xml|javascript|ecmascript|x-javascript|ld\+json|rss\+xml|atom\+xml|x-yaml|yaml|toml|x-sh)|[^;]*\+(json|xml))/i;

export function isHtml(contentType: string, body: Buffer): boolean {
  if (/^(text\/html|application\/xhtml\+xml)/i.test(contentType)) return true;
  if (contentType) return false;
  return /^\s*(<!doctype html|<html)/i.test(body.subarray(0, 512).toString('utf8'));
}

/** Why a body is not text, or undefined when it is. */
export function binaryReason(contentType: string, body: Buffer): string | undefined {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type && !TEXTUAL.test(type)) return `binary content (${type})`;
  if (body.subarray(0, 8000).includes(0)) return `binary content${type ? ` (${type})` : ''}`;
  return undefined;
}

export function decodeBody(contentType: string, body: Buffer): string {
  const charset = /charset=([\w-]+)/i.exec(contentType)?.[1]?.toLowerCase();
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

export async function htmlToMarkdown(html: string, url: string): Promise<PageText> {
  const [{ parseHTML }, { Readability }, turndownMod] = await Promise.all([
    import('linkedom'),
    import('@mozilla/readability'),
    import('turndown'),
  ]);
  const TurndownService = (turndownMod as unknown as { default: typeof import('turndown') }).default;
  const { document } = parseHTML(html);
  const title = document.querySelector('title')?.textContent?.trim() || undefined;
  let content: string | undefined;
  let articleTitle: string | undefined;
  try {
    // Readability mutates the DOM it reads, and needs a document; linkedom's is close enough.
    const article = new Readability(document as unknown as Document, { charThreshold: 200 }).parse();
    if (article?.content && (article.textContent ?? '').trim().length > 0) {
      content = article.content;
      articleTitle = article.title ?? undefined;
    }
  } catch {
    // not an article: fall back to the body without its chrome
  }
  if (content === undefined) {
    const { document: doc } = parseHTML(html);
    for (const el of doc.querySelectorAll('script, style, noscript, nav, header, footer, aside, form, iframe, svg')) el.remove();
    content = doc.querySelector('body')?.innerHTML ?? html;
  }
  const td = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-' });
  td.remove(['script', 'style', 'noscript', 'iframe']);
  const markdown = absolutiseLinks(td.turndown(content), url).replace(/\n{3,}/g, '\n\n').trim();
  return { title: articleTitle || title, markdown, kind: 'html' };
}

/** `[x](/docs)` → `[x](https://host/docs)`, so links the model follows are fetchable as they stand. */
function absolutiseLinks(markdown: string, base: string): string {
  return markdown.replace(/\]\(([^)\s]+)(\s+"[^"]*")?\)/g, (whole, href: string, title: string | undefined) => {
    if (/^[a-z][\w+.-]*:/i.test(href) || href.startsWith('#')) return whole;
    try {
      return `](${new URL(href, base).href}${title ?? ''})`;
    } catch {
      return whole;
    }
  });
}
