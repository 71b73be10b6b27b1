import fs from 'node:fs';
import { z } from 'zod';
import type { BackgroundShells } from './background.js';
import { defineTool } from './define.js';
import { bool, num } from './zodx.js';
import { CappedOutput } from './outputCap.js';
import { isInside } from '../permissions/paths.js';
import { spawnShell } from './shell.js';
import type { ToolContext, ToolResult } from './types.js';

export const DEFAULT_TIMEOUT_MS = 120_000;
export const MAX_TIMEOUT_MS = 600_000;

const schema = z.object({
  command: z.string().describe('The shell command to run'),
  timeout: num().optional().describe(`Timeout in ms (default ${DEFAULT_TIMEOUT_MS}, max ${MAX_TIMEOUT_MS})`),
  description: z.string().optional().describe('What it does, in 5-10 words'),
  run_in_background: bool().optional().describe('Return an id at once; read output with BashOutput'),
  dangerouslyDisableSandbox: bool().optional().describe('Run outside the OS sandbox (asks the user); only after the sandbox blocked it'),
});

export interface BashOptions {
  /** Output cap: head and tail bytes kept. */
  headBytes?: number;
  tailBytes?: number;
  /** Grace between SIGTERM and SIGKILL is fixed in shell.ts; this is only for tests of the timeout path. */
}

export function createBashTool(bg: BackgroundShells, opts: BashOptions = {}) {
  return defineTool({
    name: 'Bash',
    description:
      'Run a shell command in the project directory; returns stdout, stderr and exit code. A cd inside the project ' +
      'persists. stdin is empty: use non-interactive flags. Quote paths with spaces. ' +
      'Long output is cut in the middle. run_in_background for servers and watchers. Use Read, Grep, Glob, LS and ' +
      'Edit, not cat, grep, find, ls and sed.',
    schema,
    isReadOnly: () => false,
    async execute(args, ctx) {
      if (!fs.existsSync(ctx.cwd)) {
        return { output: `The working directory ${ctx.cwd} no longer exists.`, isError: true, summary: 'no cwd' };
      }
      if (args.run_in_background) {
        const id = bg.start(args.command, ctx.cwd, ctx.env, ctx.sandbox);
        return {
          output: `Command running in background with ID: ${id}. Use BashOutput with bash_id "${id}" to read its output, KillShell to stop it.`,
          summary: `background ${id}`,
        };
      }
      return runForeground(args.command, args.timeout, ctx, opts);
    },
  });
}

async function runForeground(command: string, timeout: number | undefined, ctx: ToolContext, opts: BashOptions): Promise<ToolResult> {
  const limit = Math.min(Math.max(timeout ?? DEFAULT_TIMEOUT_MS, 1), MAX_TIMEOUT_MS);
  const out = new CappedOutput(opts.headBytes, opts.tailBytes);
  let cwdReport = '';
  const progress = throttle(ctx.onProgress);
  // The trailer reports the final directory on fd 3, keeping it out of the command's own output.
  const script = `${command}\n__claw_status=$?\n{ pwd -P >&3; } 2>/dev/null\nexit $__claw_status`;
  const shell = spawnShell(script, {
    cwd: ctx.cwd,
    env: ctx.env,
    sandbox: ctx.sandbox,
    onData: (b) => {
      out.push(b);
      progress?.(b);
    },
    onFd3: (b) => {
      if (cwdReport.length < 8192) cwdReport += b.toString();
    },
  });
  let stoppedBy: string | undefined;
  const timer = setTimeout(() => {
    stoppedBy = 'timeout';
    shell.terminate();
  }, limit);
  const onAbort = () => {
    stoppedBy = 'interrupted';
    shell.terminate();
  };
  if (ctx.signal.aborted) onAbort();
  else ctx.signal.addEventListener('abort', onAbort, { once: true });
  const { code, signal } = await shell.done;
  clearTimeout(timer);
  ctx.signal.removeEventListener('abort', onAbort);
  progress?.flush();

  let text = out.text().replace(/\n+$/, '');
  const notes: string[] = [];
  if (stoppedBy === 'timeout') notes.push(`Command timed out after ${formatMs(limit)} and was stopped; output above is partial.`);
  else if (stoppedBy === 'interrupted') notes.push('Command was interrupted by the user; output above is partial.');
  else if (code !== 0) notes.push(code === null ? `Command was killed by ${signal}` : `Exit code ${code}`);
  const blocked = !stoppedBy && code !== 0 ? ctx.sandbox?.explain(text) : undefined;
  if (blocked) notes.push(blocked);
  const newCwd = cwdReport.trim();
  if (!stoppedBy && newCwd) notes.push(...moveCwd(newCwd, ctx));
  if (text === '' && notes.length === 0) text = '(no output)';
  const output = [text, ...notes].filter(Boolean).join('\n');
  const exitCode = stoppedBy ? null : code;
  const tailLines = text.split('\n').slice(-5).join('\n');
  return {
    output,
    isError: Boolean(stoppedBy) || code !== 0,
    summary: stoppedBy === 'timeout' ? 'timed out' : stoppedBy ? 'interrupted' : code === 0 ? 'ok' : `exit ${code ?? signal}`,
    display: { kind: 'bash', exitCode, tail: tailLines, ...(stoppedBy ? { stoppedBy } : {}) },
  };
}

/** Follows a `cd` when it stays inside the working directories; otherwise says the shell went back. */
function moveCwd(dir: string, ctx: ToolContext): string[] {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return p;
    }
  };
  if (dir === real(ctx.cwd)) return [];
  if (ctx.workingDirs.some((w) => isInside(dir, real(w)))) {
    ctx.setCwd(dir);
    return [];
  }
  return [`Shell cwd was reset to ${ctx.cwd}`];
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Streams output to the UI at most every 100 ms, never more than the last 4 KB per update. */
function throttle(fn: ((text: string) => void) | undefined) {
  if (!fn) return undefined;
  let pending: Buffer[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (size === 0) return;
    let buf = Buffer.concat(pending);
    if (buf.length > 4096) buf = buf.subarray(buf.length - 4096);
    pending = [];
    size = 0;
    fn(buf.toString('utf8'));
  };
  const push = (b: Buffer) => {
    pending.push(b);
    size += b.length;
    while (pending.length > 1 && size - pending[0]!.length > 4096) size -= pending.shift()!.length;
    timer ??= setTimeout(flush, 100);
  };
  return Object.assign(push, {
    flush: () => {
      if (timer) clearTimeout(timer);
      flush();
    },
  });
}
