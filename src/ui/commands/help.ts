import type { SlashCommand } from './types.js';

const SHORTCUTS = [
  '  !cmd        run a shell command; its output goes into the conversation',
  '  #text       add a line to a memory file',
  '  @path       attach a file (tab completes)',
  '  \\ + enter   newline (also shift+enter, ctrl+j)',
  '  esc         interrupt the running turn',
  '  shift+tab   cycle permission mode',
  '  ctrl+c      clear input; twice to exit · ctrl+d on empty input exits',
];

export const help: SlashCommand = {
  name: 'help',
  description: 'Show commands and shortcuts',
  run(_args, ctx) {
    const cmds = ctx.commands();
    const width = Math.max(...cmds.map((c) => c.name.length + (c.argumentHint ? c.argumentHint.length + 1 : 0))) + 2;
    const lines = cmds.map((c) => {
      const head = `/${c.name}${c.argumentHint ? ` ${c.argumentHint}` : ''}`;
      return `  ${head.padEnd(width + 1)} ${c.description}${c.source ? ` ${c.source}` : ''}`;
    });
    ctx.print(['Commands:', ...lines, '', 'Shortcuts:', ...SHORTCUTS].join('\n'));
  },
};
