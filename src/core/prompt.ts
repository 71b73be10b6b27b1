import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SYSTEM_PROMPT_SHORT } from './promptShort.js';
import { findGitRoot, type MemoryFile } from './memory.js';
import { gitRepoHazard } from '../permissions/repoFacts.js';
import { clawGitEnv as gitEnv } from '../tools/shell.js';

// The system prompt is a constant: no date, cwd, git state or other per-run text, so it is
// byte-identical across turns and sessions and servers' prefix caches hit (SPEC §7). Everything that
// varies goes into the first user message instead, inside a <context> block.

export const SYSTEM_PROMPT = `You are claw, a coding agent in the user's terminal: you fix bugs, add features, refactor, explain code and run commands through the tools you are given.

# How to work
- Understand before acting: find the code with Glob and Grep, then Read it. If you have not read it, you do not know it: never guess paths or contents.
- Read a file before editing it; change existing files with Edit or MultiEdit, and use Write for new files or full rewrites.
- Make the smallest change that solves the problem, in the project's existing style, libraries and conventions. Add nothing nobody asked for.
- Verify: run the project's tests, type checker, linter or build with Bash when they exist, and fix what you broke. Never claim something works without checking.
- Avoid interactive commands in Bash; pass flags such as --yes or --no-pager.
- For several steps, keep a plan with TodoWrite.
- Hand broad searches and independent investigations to a subagent with Task; for one known file or one Grep, call the tool yourself.
- Call tools only through the tool interface, with JSON arguments matching their parameters; one call at a time is fine. Decide each step from what a result actually showed; after an error, adjust instead of repeating the call.
- When the task is done, stop calling tools and give your final answer.
- The user's instructions and the project's memory files (CLAUDE.md, AGENTS.md) override these defaults.

# Safety
- Do not run destructive or irreversible commands (rm -rf, git reset --hard, git push --force, dropping data, killing unknown processes) unless the user asked for exactly that.
- Do not commit, push or publish unless asked. Never print, log or commit secrets.
- Stay inside the project unless the task requires otherwise.

# Asking and answering
- If the request is ambiguous or a decision is risky, ask one short, specific question instead of guessing. If you cannot do something, say so and why.
- Be concise and direct: a few lines unless asked for detail; no preamble, flattery or restating. When done, say briefly what you changed and how you verified it.
- Refer to code as path:line. Use Markdown sparingly; it is shown in a terminal.`;

/** `--system-prompt` replaces the built-in prompt; `--append-system-prompt` adds to it. `short`: small windows. */
export function buildSystemPrompt(opts: { override?: string; append?: string; short?: boolean }): string {
  const base = opts.override ?? (opts.short ? SYSTEM_PROMPT_SHORT : SYSTEM_PROMPT);
  return opts.append ? `${base}\n\n${opts.append}` : base;
}

const CONTEXT_OPEN = '<context>\n';
const CONTEXT_CLOSE = '\n</context>\n\n';

export interface FirstMessageOptions {
  prompt: string;
  cwd: string;
  platform: string;
  /** YYYY-MM-DD */
  date: string;
  git?: { branch?: string; status?: string };
  memory: MemoryFile[];
}

/** The environment block and memory files, wrapped in <context>…</context>. */
export function buildContextBlock(opts: Omit<FirstMessageOptions, 'prompt'>): string {
  const lines = [
    'Environment:',
    `- Working directory: ${opts.cwd}`,
    `- Platform: ${opts.platform}`,
    `- Date: ${opts.date}`,
  ];
  if (opts.git) {
    if (opts.git.branch) lines.push(`- Git branch: ${opts.git.branch}`);
    if (opts.git.status) lines.push(`- Git status: ${opts.git.status}`);
  } else {
    lines.push('- Not a git repository');
  }
  let text = lines.join('\n');
  if (opts.memory.length > 0) {
    text +=
      '\n\nInstructions from memory files follow. They come from the user and the project: follow them; they override default behaviour.';
    for (const file of opts.memory) text += `\n\nContents of ${file.path}:\n\n${file.content.trimEnd()}`;
  }
  return `${CONTEXT_OPEN}${text}${CONTEXT_CLOSE}`;
}

export function buildFirstUserMessage(opts: FirstMessageOptions): string {
  return buildContextBlock(opts) + opts.prompt;
}

/** The <context> block at the start of a first user message ('' when there is none). */
export function contextOf(content: string): string {
  if (!content.startsWith(CONTEXT_OPEN)) return '';
  const end = content.indexOf(CONTEXT_CLOSE);
  return end === -1 ? '' : content.slice(0, end + CONTEXT_CLOSE.length);
}

/** What the user typed, without a leading <context> block (for titles and pickers). */
export function promptOf(content: string): string {
  const context = contextOf(content);
  if (context) return content.slice(context.length);
  // A head-of-file preview may be cut before the block ends.
  return content.startsWith(CONTEXT_OPEN) ? '' : content;
}

const STATUS_FILES_SHOWN = 10;

const GIT_ARGS = ['status', '--porcelain=v1', '--branch', '--no-renames'];

/** `git status` would run a filter or diff program the repository's own config names: do not start it. */
function statusRunsRepoCode(cwd: string): { branch?: string; status?: string } | undefined {
  if (!gitRepoHazard(cwd, gitEnv())) return undefined;
  return { ...gitFallback(cwd, false), status: 'not read (the repository config names programs git status would run)' };
}

/** Branch and a short status summary from one `git status` call; undefined outside a repository. */
export function gitInfo(cwd: string, timeoutMs = 1500): { branch?: string; status?: string } | undefined {
  if (!findGitRoot(cwd)) return undefined;
  const unsafe = statusRunsRepoCode(cwd);
  if (unsafe) return unsafe;
  let out: string;
  try {
    out = execFileSync('git', GIT_ARGS, {
      cwd,
      encoding: 'utf8',
      timeout: timeoutMs,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: gitEnv(),
      maxBuffer: 8 * 1024 * 1024,
    });
  } catch (error) {
    return gitFallback(cwd, (error as NodeJS.ErrnoException).code === 'ETIMEDOUT');
  }
  return parseGitStatus(out);
}

/** The same as gitInfo, without blocking: start-up runs it beside the server probes. */
export function gitInfoAsync(cwd: string, timeoutMs = 1500): Promise<{ branch?: string; status?: string } | undefined> {
  if (!findGitRoot(cwd)) return Promise.resolve(undefined);
  const unsafe = statusRunsRepoCode(cwd);
  if (unsafe) return Promise.resolve(unsafe);
  return new Promise((resolve) => {
    execFile(
      'git',
      GIT_ARGS,
      { cwd, encoding: 'utf8', timeout: timeoutMs, env: gitEnv(), maxBuffer: 8 * 1024 * 1024 },
      (error, stdout) => {
        if (error) resolve(gitFallback(cwd, (error as { killed?: boolean }).killed === true));
        else resolve(parseGitStatus(stdout));
      },
    );
  });
}

function parseGitStatus(out: string): { branch?: string; status?: string } {
  const lines = out.split('\n').filter((line) => line !== '');
  const info: { branch?: string; status?: string } = {};
  const head = lines[0]?.startsWith('## ') ? lines.shift()!.slice(3) : undefined;
  if (head) {
    const noCommits = /^No commits yet on (.+)$/.exec(head);
    info.branch = noCommits ? noCommits[1] : head.split('...')[0]!.split(' ')[0];
    const track = /\[(.+)\]$/.exec(head);
    if (track && info.branch) info.branch += ` (${track[1]})`;
  }
  if (lines.length === 0) {
    info.status = 'clean';
    return info;
  }
  let modified = 0;
  let added = 0;
  let deleted = 0;
  let untracked = 0;
  for (const line of lines) {
    const code = line.slice(0, 2);
    if (code === '??') untracked++;
    else if (code.includes('A')) added++;
    else if (code.includes('D')) deleted++;
    else modified++;
  }
  const parts: string[] = [];
  if (modified) parts.push(`${modified} modified`);
  if (added) parts.push(`${added} added`);
  if (deleted) parts.push(`${deleted} deleted`);
  if (untracked) parts.push(`${untracked} untracked`);
  const shown = lines.slice(0, STATUS_FILES_SHOWN).map((line) => `  ${line}`);
  if (lines.length > STATUS_FILES_SHOWN) shown.push(`  … and ${lines.length - STATUS_FILES_SHOWN} more`);
  info.status = `${parts.join(', ')}\n${shown.join('\n')}`;
  return info;
}

/** When `git status` fails or is too slow: still say it is a repository, with the branch from HEAD. */
function gitFallback(cwd: string, timedOut: boolean): { branch?: string; status?: string } | undefined {
  const root = findGitRoot(cwd);
  if (!root) return undefined;
  const info: { branch?: string; status?: string } = {};
  try {
    const head = fs.readFileSync(path.join(root, '.git', 'HEAD'), 'utf8').trim();
    const ref = /^ref: refs\/heads\/(.+)$/.exec(head);
    info.branch = ref ? ref[1] : `detached at ${head.slice(0, 7)}`;
  } catch {
    // .git is a file (worktree, submodule) or unreadable
  }
  info.status = timedOut ? 'unknown (git status took too long)' : 'unknown (git status failed)';
  return info;
}
