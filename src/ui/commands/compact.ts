import type { SlashCommand } from './types.js';

export const compact: SlashCommand = {
  name: 'compact',
  description: 'Summarise the conversation to free context',
  argumentHint: '[instructions]',
  async run(args, ctx) {
    if (ctx.agent.messages.length === 0) {
      ctx.print('Nothing to compact yet.', 'dim');
      return;
    }
    await ctx.runEvents(ctx.agent.compact(args || undefined, ctx.signal), 'Compacting');
    ctx.refresh();
  },
};
