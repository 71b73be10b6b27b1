import type { SlashCommand } from './types.js';

export const clear: SlashCommand = {
  name: 'clear',
  description: 'Start a new conversation (the old one stays resumable)',
  run(_args, ctx) {
    ctx.clearConversation();
  },
};
