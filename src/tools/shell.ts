import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ShellSandbox } from './types.js';

const POSIX_SHELLS = new Set(['bash', 'zsh', 'sh', 'dash', 'ksh']);

/** The user's shell when it understands POSIX `-c` scripts (not fish, nu, ...), else bash. */
export function userShell(env: NodeJS.ProcessEnv): string {
  const sh = env.SHELL;
  if (sh && POSIX_SHELLS.has(path.basename(sh)) && fs.existsSync(sh)) return sh;
  return fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

/** Process groups still alive, killed when claw exits. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killAllGroups);
}

export function killAllGroups(): void {
  for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
  liveGroups.clear();
}

export function signalGroup(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, sig);
    return true;
  } catch {
    return false;
  }
}

export interface SpawnedShell {
  child: ChildProcess;
  pid: number;
  /** Resolves when the shell has exited and its output streams are done (or given up on). */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM to the whole group, SIGKILL ~2 s later if anything is left. */
  terminate(): void;
}

export interface SpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  onData(chunk: Buffer): void;
  /** Runs the shell inside the OS sandbox. */
  sandbox?: ShellSandbox;
  /** Extra pipe on fd 3 (used to report the final working directory). */
  onFd3?(chunk: Buffer): void;
}

/**
 * The child's environment, closed against a repository that wants to run code through it: no start-up
 * files (BASH_ENV, ENV), no CDPATH (`cd src` must mean ./src, as the permission gate assumes), no empty or
 * relative PATH entries (a repository's own `ls`), no pager, and git told not to start an fsmonitor hook
 * or a signature program from the repository's config when it only reads.
 */
/**
 * For claw's own git calls (start-up status, checkpoints): the Bash tool's hardening, and no index lock
 * taken from under the user's own git commands.
 */
export function clawGitEnv(): NodeJS.ProcessEnv {
  return hardenedEnv({ ...process.env, GIT_OPTIONAL_LOCKS: '0' });
}

export function hardenedEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, GIT_PAGER: 'cat', PAGER: 'cat' };
  delete env.BASH_ENV;
  delete env.ENV;
  delete env.CDPATH;
  if (env.PATH) env.PATH = env.PATH.split(':').filter((dir) => path.isAbsolute(dir)).join(':');
  const count = Number(env.GIT_CONFIG_COUNT) || 0;
  const extra: Array<[string, string]> = [
    ['core.fsmonitor', 'false'],
    ['log.showSignature', 'false'],
    // a bare repository planted in the project (HEAD, objects/, config with core.fsmonitor or filters) is used
    // only when named with --git-dir / GIT_DIR, never found by walking up from the working directory
    ['safe.bareRepository', 'explicit'],
  ];
  extra.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${count + i}`] = key;
    env[`GIT_CONFIG_VALUE_${count + i}`] = value;
  });
  env.GIT_CONFIG_COUNT = String(count + extra.length);
  return env;
}

/** Runs `script` with the user's shell in its own process group, stdin from /dev/null. */
export function spawnShell(script: string, opts: SpawnOptions): SpawnedShell {
  installExitHook();
  const shell = userShell(opts.env);
  let env = hardenedEnv(opts.env);
  const quiet = path.basename(shell) === 'bash' ? ['--noprofile', '--norc'] : [];
  let file = shell;
  let args = [...quiet, '-c', script];
  if (opts.sandbox) {
    // bwrap (or sandbox-exec) is the group leader; the shell and its children stay inside it
    const wrapped = opts.sandbox.wrap(file, args);
    ({ file, args } = wrapped);
    env = { ...env, ...wrapped.env };
  }
  const child = spawn(file, args, {
    cwd: opts.cwd,
    env,
    detached: true,
    stdio: opts.onFd3 ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid ?? -1;
  if (pid > 0) liveGroups.add(pid);
  child.stdout!.on('data', opts.onData);
  child.stderr!.on('data', opts.onData);
  if (opts.onFd3) (child.stdio[3] as NodeJS.ReadableStream).on('data', opts.onFd3);
  let killTimer: NodeJS.Timeout | undefined;
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let open = 2;
    const finish = () => {
      if (!exit) return;
      const result = exit;
      exit = undefined;
      if (!signalGroup(pid, 0)) liveGroups.delete(pid);
      resolve(result);
    };
    const closed = () => {
      if (--open === 0) finish();
    };
    child.stdout!.on('close', closed);
    child.stderr!.on('close', closed);
    child.on('error', (e) => {
      opts.onData(Buffer.from(`${e.message}\n`));
      exit = { code: 127, signal: null };
      finish();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      if (open === 0) return finish();
      // A process left running in the background may hold the pipes open; do not wait for it.
      setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
        finish();
      }, 250).unref();
    });
  });
  return {
    child,
    pid,
    done,
    terminate() {
      if (pid <= 0 || killTimer) return;
      signalGroup(pid, 'SIGTERM');
      killTimer = setTimeout(() => {
        if (signalGroup(pid, 'SIGKILL')) liveGroups.delete(pid);
      }, 2000);
      killTimer.unref();
      void done.then(() => {
        // Shell gone; clear the SIGKILL timer only once the whole group has gone too.
        if (!signalGroup(pid, 0)) {
          clearTimeout(killTimer);
          liveGroups.delete(pid);
        }
      });
    },
  };
}
