import fs from 'node:fs';
import type { SlashCommand } from './types.js';

function describe(file: string): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const n = text.split('\n').filter((l) => l.trim()).length;
    return `${n} line${n === 1 ? '' : 's'}`;
  } catch {
    return 'not created yet';
  }
}

/** `/memory`: pick a memory file and edit it in $EDITOR; without an editor, list the files. */
export const memory: SlashCommand = {
  name: 'memory',
  description: 'Edit a memory file (#text adds a line)',
  async run(_args, ctx) {
    const t = ctx.memoryTargets;
    const files = [
      { label: 'Project memory', file: t.project },
      { label: 'Project memory (local)', file: t.local },
      { label: 'User memory', file: t.user },
    ];
    const choice = await ctx.pick(
      'Edit which memory file?',
      files.map((f) => ({ label: `${f.label}  ${f.file}`, detail: describe(f.file) })),
    );
    if (choice === undefined) return;
    const target = files[choice]!;
    if (ctx.editFile(target.file)) {
      ctx.print(`Edited ${target.file} (${describe(target.file)}). It is read at the start of each session.`, 'dim');
    } else {
      ctx.print(`No editor set: set $EDITOR or $VISUAL, or type "#text" to add a line to ${target.file}.`, 'warning');
    }
  },
};
