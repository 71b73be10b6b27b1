import type { SlashCommand } from './types.js';
import type { McpReplService } from '../../mcp/repl.js';

export const mcp: SlashCommand = {
  name: 'mcp',
  description: 'MCP servers: state, tools and their token cost',
  run(_args, ctx) {
    const service = ctx.services.mcp;
    ctx.print(service ? service.statusText() : 'No MCP servers configured. Add one with `claw mcp add NAME -- COMMAND [ARGS…]`.');
  },
};

/** Each MCP prompt as `/mcp__server__prompt args`: its messages become the next prompt. */
export function mcpPromptCommands(service: McpReplService | undefined): SlashCommand[] {
  return (service?.prompts() ?? []).map((p) => ({
    name: p.name,
    description: p.description,
    argumentHint: p.argumentHint,
    source: '(mcp)',
    async run(args, ctx) {
      let text: string;
      try {
        text = await service!.expandPrompt(p.name, args);
      } catch (error) {
        ctx.print(`/${p.name}: ${(error as Error).message}`, 'error');
        return;
      }
      await ctx.runPrompt(text, `/${p.name}${args ? ` ${args}` : ''}`);
    },
  }));
}
