import { z } from 'zod';
import { defineTool } from './define.js';
import type { AgentDefinition } from '../agents/definitions.js';

/**
 * The Task tool (Claude Code's name and parameters). It only hands the call to the agent's subagent
 * launcher, which the tool context carries for the main agent and leaves out for subagents.
 * The description lists the agents once, at start-up, so the tool list stays byte-stable.
 */
export function createTaskTool(agents: AgentDefinition[], maxParallel: number) {
  const list = agents.map((agent) => `- ${agent.name}: ${agent.description}`).join('\n');
  const readOnly = new Set(agents.filter((a) => a.tools && a.tools.every((t) => ['Read', 'Glob', 'Grep', 'LS', 'Bash'].includes(t)) && (a.readOnlyBash || !a.tools.includes('Bash'))).map((a) => a.name));
  return defineTool({
    name: 'Task',
    description: `Run a subagent on a task in a fresh conversation; only its final report comes back. Use it for broad searches and independent investigations, to keep your context small. It cannot see this conversation: give it everything in the prompt and say what to report. Agent types:\n${list}`,
    schema: z.object({
      description: z.string().describe('The task in 3-5 words'),
      prompt: z.string().describe('The full task for the subagent'),
      subagent_type: z.string().describe('One of the agent types'),
    }),
    // Read-only agents may run side by side when the server has several slots (maxParallelAgents > 1).
    isReadOnly: (args) => maxParallel > 1 && readOnly.has(args.subagent_type),
    async execute(args, ctx) {
      if (!ctx.subagents) {
        return { output: 'Error: a subagent cannot start subagents. Do the work with your own tools.', isError: true, summary: 'not available' };
      }
      return ctx.subagents.run(
        { description: args.description, prompt: args.prompt, subagentType: args.subagent_type, callId: ctx.callId ?? `task_${Date.now()}` },
        ctx.signal,
        ctx.emit ?? (() => undefined),
        ctx.approve,
      );
    },
  });
}
