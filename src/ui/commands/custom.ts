import path from 'node:path';
import { parseFrontmatter, toList } from '../../config/frontmatter.js';
import { markdownFiles, readText } from '../../config/markdownFiles.js';
import type { SlashCommand } from './types.js';
import { findAttachments, withAttachments } from '../input/attachments.js';

// Custom slash commands: `name.md` in a command folder becomes `/name` (sub-folders: `/dir:name`).
// Frontmatter: description, argument-hint, allowed-tools, model. Body: $ARGUMENTS, $1…$9, !`cmd`, @file.

export interface CustomCommand {
  name: string;
  description: string;
  argumentHint?: string;
  allowedTools: string[];
  model?: string;
  body: string;
  file: string;
  source: 'project' | 'user';
}

/** Commands from `dirs` in precedence order: the first folder defining a name wins. */
export function loadCustomCommands(dirs: readonly string[], cwd: string): CustomCommand[] {
  const byName = new Map<string, CustomCommand>();
  for (const dir of dirs) {
    const rel = path.relative(cwd, dir);
    const source = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? 'project' : 'user';
    for (const { file, name } of markdownFiles(dir)) {
      if (byName.has(name)) continue;
      const text = readText(file);
      if (text === undefined) continue;
      const { data, body } = parseFrontmatter(text);
      const firstLine = body.split('\n').find((l) => l.trim())?.replace(/^#+\s*/, '').trim() ?? '';
      byName.set(name, {
        name,
        description: typeof data.description === 'string' ? data.description : firstLine.slice(0, 80) || 'Custom command',
        argumentHint: typeof data['argument-hint'] === 'string' ? data['argument-hint'] : undefined,
        allowedTools: toList(data['allowed-tools']),
        model: typeof data.model === 'string' ? data.model : undefined,
        body,
        file,
        source,
      });
    }
  }
  return [...byName.values()];
}

/** Whitespace split that keeps "quoted strings" together. */
export function splitArgs(args: string): string[] {
  const out: string[] = [];
  for (const m of args.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

export function substituteArguments(body: string, args: string): string {
  const positional = splitArgs(args);
  let used = false;
  const out = body
    .replace(/\$ARGUMENTS/g, () => {
      used = true;
      return args;
    })
    .replace(/\$([1-9])(?!\d)/g, (_, n: string) => {
      used = true;
      return positional[Number(n) - 1] ?? '';
    });
  // Arguments given to a command without placeholders are still passed on, as Claude Code does.
  return !used && args.trim() ? `${out.trimEnd()}\n\nARGUMENTS: ${args}` : out;
}

export interface ExpandEnv {
  cwd: string;
  signal: AbortSignal;
  runShell(command: string, signal: AbortSignal): Promise<{ output: string; exitCode: number | null; denied?: string }>;
}

/** Runs each !`cmd` (through the permission gate) and inlines its output; then attaches @files. */
export async function expandCommandBody(body: string, args: string, env: ExpandEnv): Promise<string> {
  let text = substituteArguments(body, args);
  const shells = [...text.matchAll(/!`([^`]+)`/g)];
  for (const m of shells) {
    const r = await env.runShell(m[1]!, env.signal);
    const output = r.denied ? `(not run: ${r.denied})` : r.output.trimEnd();
    text = text.replace(m[0], () => output);
  }
  return withAttachments(text.trim(), findAttachments(text, env.cwd));
}

export function customToSlash(cmd: CustomCommand): SlashCommand {
  return {
    name: cmd.name,
    description: cmd.description,
    argumentHint: cmd.argumentHint,
    source: `(${cmd.source})`,
    async run(args, ctx) {
      // `allowed-tools` covers the !`cmd` expansion and the model's turn, and nothing after it.
      const revoke = cmd.allowedTools.length ? ctx.agent.permissions.allowTemporarily(cmd.allowedTools) : undefined;
      try {
        const prompt = await expandCommandBody(cmd.body, args, { cwd: ctx.cwd, signal: ctx.signal, runShell: ctx.runShell });
        await ctx.runPrompt(prompt, `/${cmd.name}${args ? ` ${args}` : ''}`, { model: cmd.model });
      } finally {
        revoke?.();
      }
    },
  };
}
