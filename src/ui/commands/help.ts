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
    // Names and hints in one column capped at 26 characters, so the list reads at 80 columns;
    // a longer head puts its description on the next line.
    const heads = cmds.map((c) => `/${c.name}${c.argumentHint ? ` ${c.argumentHint}` : ''}`);
    const width = Math.min(26, Math.max(...heads.map((h) => h.length)));
    const lines = cmds.map((c, i) => {
      const head = heads[i]!;
      const desc = `${c.description}${c.source ? ` ${c.source}` : ''}`;
      return head.length > width ? `  ${head}\n  ${' '.repeat(width)}  ${desc}` : `  ${head.padEnd(width)}  ${desc}`;
    });
    ctx.print(['Commands:', ...lines, '', 'Shortcuts:', ...SHORTCUTS].join('\n'));
  },
};
