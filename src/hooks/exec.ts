import { spawn } from 'node:child_process';
import type { HookRun } from './types.js';

const MAX_OUTPUT = 64 * 1024;

export interface ExecOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Seconds. */
  timeout: number;
  signal?: AbortSignal;
}

/**
 * Runs one hook command through the shell with the JSON on stdin. The command gets its own process
 * group so a timeout or an abort kills it with everything it started. Never throws.
 */
export function execHook(command: string, source: string, input: string, options: ExecOptions): Promise<HookRun> {
  return new Promise((resolve) => {
    const run: HookRun = { command, source, exitCode: null, stdout: '', stderr: '', timedOut: false };
    if (options.signal?.aborted) return resolve({ ...run, error: 'aborted before it started' });
    let child;
    try {
      child = spawn('/bin/sh', ['-c', command], { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (error) {
      return resolve({ ...run, error: (error as Error).message });
    }
    let settled = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      run.timedOut = true;
      killGroup();
    }, options.timeout * 1000);
    const onAbort = () => {
      run.error = 'aborted';
      killGroup();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (code: number | null, error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ ...run, exitCode: code, ...(error && !run.error ? { error } : {}) });
    };
    child.stdout.on('data', (d: Buffer) => {
      if (run.stdout.length < MAX_OUTPUT) run.stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      if (run.stderr.length < MAX_OUTPUT) run.stderr += d.toString('utf8');
    });
    child.on('error', (error) => finish(null, error.message));
    child.on('close', (code) => finish(code));
    // A background process the hook started may hold the pipes open: do not wait for it.
    child.on('exit', (code) => setTimeout(() => finish(code), 200).unref());
    child.stdin.on('error', () => undefined); // a hook that never reads stdin is fine (EPIPE)
    child.stdin.end(input);
  });
}
