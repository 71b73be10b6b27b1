import path from 'node:path';
import { parseFrontmatter, toList } from '../config/frontmatter.js';
import { markdownFiles, readText } from '../config/markdownFiles.js';

// Subagent definitions: the built-in ones and custom ones from Markdown files with YAML front matter
// (`.claude/agents/*.md`, `.claw/agents/*.md`, `~/.claw/agents/*.md`), as Claude Code defines them.

export interface AgentDefinition {
  name: string;
  description: string;
  /** Tool names the agent may call; undefined means every tool (Task is never allowed to a subagent). */
  tools?: string[];
  /** Bash only for commands the permission policy proves read-only (Explore). */
  readOnlyBash?: boolean;
  /** A different model for this agent; undefined means the main conversation's. */
  model?: string;
  /** Custom agents: the Markdown body, their system prompt. Built-ins keep the main system prompt. */
  systemPrompt?: string;
  /** Built-ins: a few lines put before the task in the first user message (the system prompt stays shared). */
  preamble?: string;
  source: 'built-in' | 'project' | 'user';
  file?: string;
}

export const READ_ONLY_TOOLS = ['Read', 'Glob', 'Grep', 'LS', 'Bash'];

export const BUILTIN_AGENTS: AgentDefinition[] = [
  {
    name: 'general-purpose',
    description:
      'Researches questions, searches code and carries out multi-step tasks. Every tool except Task.',
    preamble:
      'You are a subagent: the main agent delegated the task below to you. Do it with your tools, then answer with a concise report of what you found or did (paths as path:line). Your final message is all the main agent will see.',
    source: 'built-in',
  },
  {
    name: 'Explore',
    description:
      'Fast and read-only: finds files, searches code, answers questions about the codebase (Read, Glob, Grep, LS, read-only Bash).',
    tools: READ_ONLY_TOOLS,
    readOnlyBash: true,
    preamble:
      'You are a read-only Explore subagent: the main agent delegated the search below to you. Use Glob, Grep, LS, Read and read-only Bash; do not try to change anything. Answer with a concise report (paths as path:line). Your final message is all the main agent will see.',
    source: 'built-in',
  },
];

/** Claude Code's model aliases mean nothing to a local server: they use the main model. */
const INHERIT = new Set(['inherit', 'sonnet', 'opus', 'haiku']);

/** Parses one agent file; returns an error text when it is not a usable agent. */
export function parseAgentFile(text: string, source: AgentDefinition['source'], file: string): AgentDefinition | string {
  if (!/^---\r?\n[\s\S]*?\r?\n---/.test(text)) return 'no YAML front matter (--- … ---)';
  const { data: fields, body } = parseFrontmatter(text);
  const name = typeof fields.name === 'string' ? fields.name.trim() : '';
  if (!name) return 'front matter has no name (or is not valid YAML)';
  if (name === 'Task') return 'an agent cannot be named Task';
  const description = typeof fields.description === 'string' ? fields.description.trim() : '';
  if (!description) return 'front matter has no description';
  const definition: AgentDefinition = { name, description, source, file, systemPrompt: body.trim() };
  // `Bash(git log:*)` counts as Bash: the restriction is by tool; the permission rules still apply.
  const tools = [...new Set(toList(fields.tools).map((item) => item.replace(/\(.*\)$/, '').trim()).filter(Boolean))];
  if (tools.length) {
    definition.tools = tools;
    definition.readOnlyBash = false;
  }
  if (typeof fields.model === 'string' && fields.model.trim() && !INHERIT.has(fields.model.trim())) definition.model = fields.model.trim();
  return definition;
}

export interface AgentDirs {
  cwd: string;
  clawHome: string;
}

/** Lowest precedence first: user, then the project's .claude, then .claw; a later name replaces an earlier one. */
export function agentDirs(dirs: AgentDirs): Array<{ dir: string; source: AgentDefinition['source'] }> {
  return [
    { dir: path.join(dirs.clawHome, 'agents'), source: 'user' },
    { dir: path.join(dirs.cwd, '.claude', 'agents'), source: 'project' },
    { dir: path.join(dirs.cwd, '.claw', 'agents'), source: 'project' },
  ];
}

/** Built-in and custom agents, custom ones replacing built-ins of the same name. Warnings name bad files. */
export function loadAgents(dirs: AgentDirs): { agents: AgentDefinition[]; warnings: string[] } {
  const byName = new Map<string, AgentDefinition>(BUILTIN_AGENTS.map((agent) => [agent.name, agent]));
  const warnings: string[] = [];
  for (const { dir, source } of agentDirs(dirs)) {
    for (const { file } of markdownFiles(dir, false)) {
      const text = readText(file);
      if (text === undefined) continue;
      const parsed = parseAgentFile(text, source, file);
      if (typeof parsed === 'string') warnings.push(`Agent file ${file} ignored: ${parsed}.`);
      else byName.set(parsed.name, parsed);
    }
  }
  return { agents: [...byName.values()], warnings };
}
