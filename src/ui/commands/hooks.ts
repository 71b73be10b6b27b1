import type { SlashCommand } from './types.js';

export const hooks: SlashCommand = {
  name: 'hooks',
  description: 'List the active hooks and the settings file each comes from',
  run(_args, ctx) {
    const list = ctx.services.hooks?.() ?? [];
    if (!list.length) {
      ctx.print('No hooks are configured. Add them under "hooks" in ~/.claw/settings.json or (in a trusted project) .claude/settings.json.');
      return;
    }
    const lines = list.map((h) => `  ${h.event}${h.matcher ? ` [${h.matcher}]` : ''}  ${h.command}  (timeout ${h.timeout}s)\n    from ${h.source}`);
    ctx.print(`Active hooks (${list.length}):\n${lines.join('\n')}`);
  },
};
