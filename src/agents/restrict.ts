import path from 'node:path';
import type { AgentDefinition } from './definitions.js';
import type { ToolContext } from '../tools/types.js';
import { decide } from '../permissions/policy.js';
import { cachedRealpathNearest, fileInfo } from '../permissions/paths.js';
import type { ShellParser } from '../permissions/bash/parser.js';

// A subagent is sent the main conversation's tool list byte for byte (so the server's prefix cache
// serves it), so its own narrower tool set is enforced here, in the tool-call pipeline: a call outside
// the set gets a tool error naming the tools it may use. Task is refused to every subagent.

export type ToolRestriction = (toolName: string, input: unknown, ctx: Omit<ToolContext, 'signal'>) => Promise<string | undefined>;

/** `shellParser`: the gate's parser (read-only Bash is judged by the same policy). */
export function restrictionFor(agent: AgentDefinition, shellParser?: () => Promise<ShellParser>): ToolRestriction {
  const allowed = agent.tools ? new Set(agent.tools.filter((name) => name !== 'Task')) : undefined;
  const list = allowed ? [...allowed].map((name) => (name === 'Bash' && agent.readOnlyBash ? 'read-only Bash' : name)).join(', ') : '';
  return async (toolName, input, ctx) => {
    if (toolName === 'Task') return `Error: a subagent cannot start subagents; Task is not available to the ${agent.name} agent. Do the work with your own tools.`;
    if (allowed && !allowed.has(toolName)) {
      return `Error: the ${agent.name} agent cannot use ${toolName}. Its tools are: ${list}. Use one of them, or finish and say in your answer what the main agent should do.`;
    }
    if (toolName === 'Bash' && agent.readOnlyBash && !(await isReadOnlyCommand(input, ctx, shellParser))) {
      return `Error: the ${agent.name} agent may run only read-only commands (ls, cat, git log, rg …); this command may change something. Use Read, Glob, Grep or LS, or a read-only command.`;
    }
    return undefined;
  };
}

/**
 * Read-only means: the permission policy, with no rules and in default mode, would run it without
 * asking, which it does only for commands it proves read-only inside the working directories.
 */
async function isReadOnlyCommand(input: unknown, ctx: Omit<ToolContext, 'signal'>, shellParser: (() => Promise<ShellParser>) | undefined): Promise<boolean> {
  const command = (input as { command?: unknown } | undefined)?.command;
  if (typeof command !== 'string' || !shellParser) return false;
  let shell: ShellParser;
  try {
    shell = await shellParser();
  } catch {
    return false;
  }
  const env = { cwd: path.resolve(ctx.cwd), workingDirs: ctx.workingDirs, home: ctx.home ?? '/nonexistent', shell, realpath: cachedRealpathNearest(), fileInfo };
  try {
    return decide({ toolName: 'Bash', input: { command } }, 'default', { allow: [], ask: [], deny: [] }, env).behavior === 'allow';
  } catch {
    return false;
  }
}
