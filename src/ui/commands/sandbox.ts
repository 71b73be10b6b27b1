import type { SlashCommand } from './types.js';

const USAGE = 'Usage: /sandbox [on|off|toggle]  (for this session; set "sandbox": {"enabled": true} in settings to keep it)';

export const sandbox: SlashCommand = {
  name: 'sandbox',
  description: 'Show or switch the OS sandbox for Bash',
  argumentHint: '[on|off|toggle]',
  run(args, ctx) {
    const control = ctx.services.sandbox?.();
    if (!control) {
      ctx.print('The OS sandbox is not available in this session.', 'warning');
      return;
    }
    const verb = args.trim().toLowerCase();
    if (verb && !['on', 'off', 'toggle'].includes(verb)) {
      ctx.print(USAGE, 'warning');
      return;
    }
    const before = control.status();
    const status = verb ? control.setEnabled(verb === 'toggle' ? !before.enabled : verb === 'on') : before;
    const tone = status.enabled && !status.active ? 'error' : verb ? 'success' : undefined;
    ctx.print(`Sandbox: ${status.summary}${verb ? '' : `\n${USAGE}`}`, tone);
  },
};
