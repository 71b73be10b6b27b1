// Deferred MCP tools (issue 15): when the servers' schemas would take more than the budget, they are not
// sent. ToolSearch returns matching schemas; McpCall, a declared proxy, calls any of them by full name. The
// `tools` list of every request stays byte-identical (the server's prompt cache survives), and servers
// whose grammar allows only declared names (llama.cpp) still reach every tool.
import { z } from 'zod';
import { toolSchema } from '../tools/define.js';
import type { AnyTool } from '../tools/types.js';
import type { ToolCall } from '../core/messages.js';
import { estimateTokens } from '../core/tokens.js';
import { parseArguments } from '../backend/repair.js';

export const SEARCH_TOOL = 'ToolSearch';
export const PROXY_TOOL = 'McpCall';

/** Estimated tokens of the tools' schemas as sent. */
export function schemaTokens(tools: AnyTool[]): number {
  return tools.length ? estimateTokens(JSON.stringify(tools.map(toolSchema))) : 0;
}

/** `mcp.toolBudget`: ≤ 1 is a share of the window, more is tokens; default 10 %. */
export function budgetTokens(setting: number | undefined, contextWindow: number): number {
  const value = setting ?? 0.1;
  return value <= 1 ? Math.floor(contextWindow * value) : Math.floor(value);
}

function words(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 1);
}

/** Best matches first: name hits count more than description hits. `select:a,b` picks by name. */
export function searchTools(tools: AnyTool[], query: string, max: number): AnyTool[] {
  const q = query.trim();
  if (q.startsWith('select:')) {
    const wanted = q.slice(7).split(',').map((s) => s.trim()).filter(Boolean);
    return tools.filter((t) => wanted.includes(t.name)).slice(0, max);
  }
  const terms = words(q);
  if (!terms.length) return tools.slice(0, max);
  const scored = tools.map((tool) => {
    const name = words(tool.name.replace(/^mcp__/, ''));
    const desc = words(tool.description);
    let score = 0;
    for (const term of terms) {
      if (name.includes(term)) score += 4;
      else if (name.some((w) => w.startsWith(term) || term.startsWith(w))) score += 2;
      if (desc.includes(term)) score += 1;
    }
    return { tool, score };
  });
  return scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score).slice(0, max).map((s) => s.tool);
}

/** The two declared tools that stand for every deferred one. `deferred()` is read at call time. */
export function createDeferredTools(servers: string[], deferred: () => AnyTool[]): AnyTool[] {
  const search: AnyTool = {
    name: SEARCH_TOOL,
    description: `Find MCP tools (servers: ${servers.join(', ')}) by keywords, or "select:<name>,…". Returns their names and JSON schemas; call one with ${PROXY_TOOL}.`,
    schema: z.object({ query: z.string().describe('keywords, e.g. "echo text" or "read file"'), max_results: z.number().int().optional().describe('default 5') }),
    isReadOnly: () => true,
    async execute(args: { query: string; max_results?: number }) {
      const available = deferred().filter((t) => t.available?.() !== false);
      const hits = searchTools(available, args.query, Math.max(1, Math.min(args.max_results ?? 5, 20)));
      if (!hits.length) {
        const names = available.map((t) => t.name);
        return { output: `No MCP tool matches "${args.query}". Available: ${names.join(', ') || 'none (no server is connected)'}.`, summary: 'no match' };
      }
      const schemas = hits.map((t) => JSON.stringify(toolSchema(t).function));
      return {
        output: `${hits.length} tool(s). Call with ${PROXY_TOOL} {"name": "<name>", "arguments": {…}}:\n${schemas.join('\n')}`,
        summary: hits.map((t) => t.name).join(', '),
      };
    },
  };
  const proxy: AnyTool = {
    name: PROXY_TOOL,
    description: `Call an MCP tool found with ${SEARCH_TOOL}: its full name (mcp__server__tool) and its arguments.`,
    schema: z.object({ name: z.string().describe('full tool name, mcp__server__tool'), arguments: z.record(z.string(), z.unknown()).optional().describe('the tool\'s arguments') }),
    isReadOnly: () => false,
    // Reached only when the call could not be unwrapped (see expandProxyCall).
    async execute(args: { name: string }) {
      return { output: `Error: "${args.name}" is not an MCP tool available now (${PROXY_TOOL} calls mcp__server__tool names only; its server may still be connecting). Use ${SEARCH_TOOL} to find the name.`, isError: true, summary: 'not an MCP tool' };
    },
  };
  return [search, proxy];
}

/**
 * A proxy call becomes a call of the tool it names, before anything else happens to it: the permission
 * rules, plan mode and validation then see the real MCP tool, as for a direct call.
 */
export function expandProxyCall(call: ToolCall, isMcpTool: (name: string) => boolean): ToolCall {
  if (call.function.name.replace(/^functions[.:]/i, '').toLowerCase() !== PROXY_TOOL.toLowerCase()) return call;
  const parsed = parseArguments(call.function.arguments);
  if (!parsed.ok) return call;
  const v = parsed.value;
  const name = [v.name, v.tool, v.tool_name].find((x): x is string => typeof x === 'string');
  if (!name || !isMcpTool(name)) return call;
  const inner = v.arguments ?? v.args ?? v.input ?? {};
  return { ...call, function: { name, arguments: typeof inner === 'string' ? inner : JSON.stringify(inner) } };
}
