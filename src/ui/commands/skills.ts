import type { SlashCommand } from './types.js';

export const skills: SlashCommand = {
  name: 'skills',
  description: 'List the skills the model can load',
  run(_args, ctx) {
    const list = ctx.services.skills();
    if (list.length === 0) {
      ctx.print('No skills. Add a folder with a SKILL.md (front matter: name, description) to .claude/skills/, .claw/skills/ or ~/.claw/skills/, then restart claw.');
      return;
    }
    const width = Math.max(...list.map((s) => s.name.length));
    const lines = list.map((s) => {
      const line = `  ${s.name.padEnd(width)}  ${s.description}  (${s.source}: ${s.dir})`;
      // Claude Code grants these while the skill runs; claw does not, so say so where a user would look.
      const tools = s.allowedTools?.length ? `\n  ${' '.repeat(width)}  allowed-tools: ${s.allowedTools.join(', ')} (not granted: these ask as usual)` : '';
      return line + tools;
    });
    ctx.print(`Skills (${list.length}); the model loads one with the Skill tool when it applies:\n${lines.join('\n')}`);
  },
};
