import type { SlashCommand } from './types.js';
import { formatAge, truncate } from '../format.js';

export const resume: SlashCommand = {
  name: 'resume',
  description: 'Resume an earlier conversation of this directory',
  argumentHint: '[id]',
  async run(args, ctx) {
    let id = args.trim();
    if (!id) {
      const sessions = (await ctx.services.listSessions()).filter((s) => s.id !== ctx.agent.sessionId);
      if (sessions.length === 0) {
        ctx.print('No other conversations in this directory.', 'dim');
        return;
      }
      const choice = await ctx.pick(
        'Resume a conversation',
        sessions.map((s) => ({
          label: truncate(s.title || s.firstPrompt || '(no prompt)', 50),
          detail: `${formatAge(s.modified)} · ${s.messageCount} messages`,
        })),
      );
      if (choice === undefined) return;
      id = sessions[choice]!.id;
    }
    try {
      ctx.setAgent(await ctx.services.resumeSession(id));
    } catch (err) {
      ctx.print(`Could not resume ${id}: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  },
};
