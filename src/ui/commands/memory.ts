import fs from 'node:fs';
import type { SlashCommand } from './types.js';

function describe(file: string): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return `${text.split('\n').filter((l) => l.trim()).length} lines`;
  } catch {
    return 'not created';
  }
}

export const memory: SlashCommand = {
  name: 'memory',
  description: 'Show memory files (#text adds a line)',
  run(_args, ctx) {
    const t = ctx.memoryTargets;
    const editor = process.env.VISUAL || process.env.EDITOR;
    ctx.print(
      [
        'Memory files:',
        `  project   ${t.project} (${describe(t.project)})`,
        `  local     ${t.local} (${describe(t.local)})`,
        `  user      ${t.user} (${describe(t.user)})`,
        '',
        `Type "#text" to append a line to one of them${editor ? `, or edit with ${editor}` : ''}.`,
      ].join('\n'),
    );
  },
};
