import type { SlashCommand } from './types.js';
import { help } from './help.js';
import { clear } from './clear.js';
import { compact } from './compact.js';
import { resume } from './resume.js';
import { model } from './model.js';
import { init } from './init.js';
import { memory } from './memory.js';
import { cost } from './cost.js';
import { context } from './context.js';
import { status } from './status.js';
import { permissions } from './permissions.js';
import { tools } from './tools.js';
import { skills } from './skills.js';
import { agents } from './agents.js';
import { doctor } from './doctor.js';
import { exit } from './exit.js';
import { sandbox } from './sandbox.js';
import { hooks } from './hooks.js';
import { rewind } from './rewind.js';
import { mcp } from './mcp.js';

export const BUILTIN_COMMANDS: readonly SlashCommand[] = [
  help, clear, compact, resume, model, init, memory, cost, context, status, permissions, sandbox, tools, mcp, skills, hooks, rewind, agents, doctor, exit,
];

/** Built-ins win over custom commands of the same name (a file cannot shadow /exit). */
export function mergeCommands(builtins: readonly SlashCommand[], custom: readonly SlashCommand[]): SlashCommand[] {
  const names = new Set(builtins.map((c) => c.name));
  return [...builtins, ...custom.filter((c) => !names.has(c.name))];
}

/** `/name rest` → name and args; null when the text is not a command (e.g. a path like /usr/bin). */
export function parseSlash(text: string): { name: string; args: string } | null {
  const m = /^\/([\w:-]+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m) return null;
  return { name: m[1]!, args: (m[2] ?? '').trim() };
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The closest command name, if it is close enough to be a plausible typo. */
export function suggestCommand(name: string, commands: readonly { name: string }[]): string | undefined {
  const lower = name.toLowerCase();
  const prefix = commands.find((c) => c.name.startsWith(lower) || lower.startsWith(c.name));
  if (prefix) return prefix.name;
  let best: { name: string; d: number } | undefined;
  for (const c of commands) {
    const d = distance(lower, c.name);
    if (!best || d < best.d) best = { name: c.name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(lower.length / 2)) ? best.name : undefined;
}

export function unknownCommandMessage(name: string, commands: readonly { name: string }[]): string {
  const s = suggestCommand(name, commands);
  return s ? `Unknown command /${name}. Did you mean /${s}?` : `Unknown command /${name}. Type /help for the list of commands.`;
}
