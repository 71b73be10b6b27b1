import type { SlashCommand } from './types.js';

export const cost: SlashCommand = {
  name: 'cost',
  description: 'Session time and speed, tokens used (and cost, if prices are set)',
  run(_args, ctx) {
    ctx.print(ctx.services.costLine());
  },
};
