import type { SlashCommand } from './types.js';

export const cost: SlashCommand = {
  name: 'cost',
  description: 'Tokens used in this session (and cost, where prices are set)',
  run(_args, ctx) {
    ctx.print(ctx.services.costLine());
  },
};
