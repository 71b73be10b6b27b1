import { z } from 'zod';
import { defineTool } from './define.js';
import type { AnyTool } from './types.js';
import { hostMatches, type SearchProvider } from '../web/search.js';

// WebSearch (Claude Code's name and parameters) over the search backend the user configured. Without a
// backend the tool is not created at all, so the model is never offered a tool that cannot work.

const MAX_HITS = 10;

export function createWebSearchTool(provider: SearchProvider): AnyTool {
  return defineTool({
    name: 'WebSearch',
    description:
      `Search the web (through the user's ${provider.name} server). Returns titles, URLs and snippets; ` +
      'read a result with WebFetch. allowed_domains / blocked_domains keep or drop results by host.',
    schema: z.object({
      query: z.string().min(2).describe('The search query'),
      allowed_domains: z.array(z.string()).optional().describe('Only return results from these domains'),
      blocked_domains: z.array(z.string()).optional().describe('Never return results from these domains'),
    }),
    isReadOnly: () => true,
    async execute(args, ctx) {
      let hits;
      try {
        hits = await provider.search(args.query, ctx.signal);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        return { output: `WebSearch failed: ${message}.`, isError: true, summary: message };
      }
      const allowed = args.allowed_domains ?? [];
      const blocked = args.blocked_domains ?? [];
      const kept = hits
        .filter((h) => (allowed.length === 0 || allowed.some((d) => hostMatches(h.url, d))) && !blocked.some((d) => hostMatches(h.url, d)))
        .slice(0, MAX_HITS);
      if (kept.length === 0) return { output: `No results for "${args.query}".`, summary: 'no results' };
      const lines = kept.map((h, i) => `${i + 1}. ${h.title}\n   ${h.url}${h.snippet ? `\n   ${h.snippet.replace(/\s+/g, ' ').slice(0, 300)}` : ''}`);
      return { output: `Results for "${args.query}":\n\n${lines.join('\n\n')}`, summary: `${kept.length} results` };
    },
  });
}
