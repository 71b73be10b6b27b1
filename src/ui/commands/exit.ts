import type { SlashCommand } from './types.js';

export const exit: SlashCommand = {
  name: 'exit',
  description: 'Leave claw',
  run(_args, ctx) {
    ctx.exit(0);
  },
};
