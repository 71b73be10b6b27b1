import type { SlashCommand } from './types.js';

export const agents: SlashCommand = {
  name: 'agents',
  description: 'List the subagents the Task tool can start',
  run(_args, ctx) {
    const list = ctx.agent.agents ?? [];
    if (list.length === 0) {
      ctx.print('No subagents available.');
      return;
    }
    const lines = list.map((a) => {
      const tools = a.tools ? a.tools.map((n) => (n === 'Bash' && a.readOnlyBash ? 'read-only Bash' : n)).join(', ') : 'all tools but Task';
      const where = a.file ?? a.source;
      return `  ${a.name} — ${a.description}\n      tools: ${tools} · model: ${a.model ?? 'inherit'} · ${where}`;
    });
    ctx.print(`Agents (${list.length}); add your own in .claw/agents/, .claude/agents/ or ~/.claw/agents/ (Markdown with name, description, tools, model front matter):\n${lines.join('\n')}`);
  },
};
