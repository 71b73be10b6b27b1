import type { SlashCommand } from './types.js';

export const doctor: SlashCommand = {
  name: 'doctor',
  description: 'Check the model server and tool calls',
  async run(_args, ctx) {
    ctx.print('Checking the model server…', 'dim');
    try {
      ctx.print(await ctx.services.runDoctor());
    } catch (err) {
      ctx.print(`doctor failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  },
};
