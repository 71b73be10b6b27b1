import type { SlashCommand } from './types.js';

export const tools: SlashCommand = {
  name: 'tools',
  description: 'List the tools the model can use',
  run(_args, ctx) {
    const names = ctx.agent.toolNames();
    ctx.print(names.length ? `Tools (${names.length}):\n${names.map((n) => `  ${n}`).join('\n')}` : 'No tools available.');
  },
};
