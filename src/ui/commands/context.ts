import type { SlashCommand } from './types.js';

export const context: SlashCommand = {
  name: 'context',
  description: 'Show what fills the context window',
  run(_args, ctx) {
    ctx.show({ kind: 'context', breakdown: ctx.agent.contextBreakdown() });
  },
};
