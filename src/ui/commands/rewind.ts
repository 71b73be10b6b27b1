import type { SlashCommand } from './types.js';

const MODES = [
  { mode: 'both', label: 'Restore code and conversation' },
  { mode: 'conversation', label: 'Restore conversation only' },
  { mode: 'code', label: 'Restore code only' },
] as const;

export const rewind: SlashCommand = {
  name: 'rewind',
  description: 'Go back to before an earlier prompt: code, conversation, or both (also Esc twice)',
  async run(_args, ctx) {
    const service = ctx.services.checkpoints;
    const list = service?.list() ?? [];
    if (!service || !list.length) {
      ctx.print('Nothing to rewind yet: checkpoints are recorded before each prompt of this session.');
      return;
    }
    const newestFirst = [...list].reverse();
    const index = await ctx.pick(
      'Rewind to before which prompt?',
      newestFirst.map((c) => ({
        label: c.prompt.replace(/\s+/g, ' ').slice(0, 70),
        detail: `${c.files.length ? `${c.files.length} file${c.files.length === 1 ? '' : 's'} changed` : 'no file changes'} · ${new Date(c.at).toLocaleTimeString()}`,
      })),
    );
    const chosen = index === undefined ? undefined : newestFirst[index];
    if (!chosen) return;
    const how = await ctx.pick(`Rewind to before "${chosen.prompt.slice(0, 50)}"`, MODES.map((m) => ({ label: m.label })));
    if (how === undefined) return;
    const mode = MODES[how]!.mode;
    const outcome = service.rewind(chosen.turn, mode);
    if (outcome.conversationRewound) ctx.setAgent(ctx.agent, 'Conversation rewound.');
    ctx.print(outcome.lines.join('\n'), outcome.conflicts ? 'warning' : 'success');
  },
};
