// What the REPL gets from MCP: the `/mcp` overview and prompts as `/mcp__server__prompt` commands.
// Plain text in, plain text out; the Ink side lives in src/ui/commands/mcp.ts.
import type { McpSetup } from './start.js';
import { schemaTokens } from './deferred.js';
import { mcpToolName } from './names.js';
import { resourceText } from './result.js';

export interface McpPromptCommand {
  name: string;
  description: string;
  argumentHint?: string;
}

export interface McpReplService {
  /** Servers, their state, tools and token cost. */
  statusText(): string;
  prompts(): McpPromptCommand[];
  /** The prompt's messages as one user prompt; `args` split on spaces, the last argument takes the rest. */
  expandPrompt(name: string, args: string): Promise<string>;
  /** Names of the configured servers (an `@name:uri` mention names one of them). */
  serverNames(): string[];
  /** `server:uri` of every resource the connected servers list, for `@` completion. */
  resourceMentions(): string[];
  /** One resource's contents as text (`@server:uri` in a prompt). */
  readResource(server: string, uri: string): Promise<string>;
}

const STATE: Record<string, string> = { connected: '✓ connected', pending: '… connecting', failed: '✗ failed', disconnected: '✗ disconnected', 'needs-approval': '⏸ needs approval' };

export function mcpReplService(mcp: McpSetup | undefined): McpReplService | undefined {
  const manager = mcp?.manager;
  if (!mcp || !manager) return undefined;
  const promptIndex = () =>
    manager.servers().flatMap((s) => (s.status === 'connected' ? s.prompts.map((p) => ({ server: s.name, prompt: p, command: mcpToolName(s.name, p.name) })) : []));
  return {
    statusText() {
      const lines: string[] = [];
      const tools = manager.tools();
      const mode = mcp.cost.deferred ? `deferred (schemas ${mcp.cost.schemaTokens} tokens > budget ${mcp.cost.budget}: found with ToolSearch, called with McpCall)` : 'sent with every request';
      lines.push(`MCP servers (${manager.servers().length}) · tools ${mode}`);
      for (const s of manager.servers()) {
        const own = tools.filter((t) => t.name.startsWith(mcpToolName(s.name, '')));
        const cost = own.length ? ` · ${own.length} tools ≈ ${schemaTokens(own)} tokens` : '';
        lines.push(`  ${s.name} (${s.entry.scope}) ${STATE[s.status] ?? s.status}${cost}${s.prompts.length ? ` · ${s.prompts.length} prompts` : ''}`);
        if (s.error) lines.push(`    ${s.error}`);
        if (s.logFile && (s.status === 'failed' || s.status === 'disconnected')) lines.push(`    log: ${s.logFile}`);
        for (const t of own) lines.push(`    ${t.name} ≈ ${schemaTokens([t])} tokens${t.isReadOnly({}) ? ' (read-only)' : ''}`);
      }
      return lines.join('\n');
    },
    prompts() {
      return promptIndex().map(({ prompt, command, server }) => ({
        name: command,
        description: `${prompt.description ?? prompt.title ?? prompt.name} (MCP ${server})`,
        argumentHint: prompt.arguments?.map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`)).join(' ') || undefined,
      }));
    },
    serverNames: () => manager.servers().map((s) => s.name),
    resourceMentions: () => manager.servers().flatMap((s) => (s.status === 'connected' ? s.resources.map((r) => `${s.name}:${r.uri}`) : [])),
    readResource: async (server, uri) => resourceText(await manager.readResource(server, uri)),
    async expandPrompt(name, args) {
      const hit = promptIndex().find((p) => p.command === name);
      if (!hit) throw new Error(`no MCP prompt ${name}`);
      const names = hit.prompt.arguments?.map((a) => a.name) ?? [];
      const words = args.trim() ? args.trim().split(/\s+/) : [];
      const values: Record<string, string> = {};
      names.forEach((n, i) => {
        const value = i === names.length - 1 ? words.slice(i).join(' ') : words[i];
        if (value) values[n] = value;
      });
      const result = await manager.getPrompt(hit.server, hit.prompt.name, values);
      return result.messages
        .map((m) => {
          const c = m.content as { type: string; text?: string; resource?: { uri: string; text?: string } };
          if (c.type === 'text') return c.text ?? '';
          if (c.type === 'resource' && c.resource?.text) return `[${c.resource.uri}]\n${c.resource.text}`;
          return `[${c.type} content not shown]`;
        })
        .join('\n\n');
    },
  };
}
