// Drives the built claw in a real pseudo-terminal (for REPL end-to-end tests and the first-frame bench).
import { createRequire } from 'node:module';
import type { IPty } from '@lydell/node-pty';
import { CLAW_BIN } from './cli.js';

const require = createRequire(import.meta.url);
const pty = require('@lydell/node-pty') as typeof import('@lydell/node-pty');

// CSI/OSC sequences and other escapes, so tests can match what a user reads.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
export const stripAnsi = (text: string) => text.replace(ANSI, '');

export interface PtySession {
  readonly raw: string;
  /** Screen text with escapes removed (everything written so far). */
  text(): string;
  write(data: string): void;
  waitFor(pattern: string | RegExp, timeoutMs?: number, from?: number): Promise<number>;
  mark(): number;
  exited: Promise<number>;
  kill(): void;
}

export function spawnClaw(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; cols?: number; rows?: number }): PtySession {
  const child: IPty = pty.spawn(process.execPath, [CLAW_BIN, ...args], {
    name: 'xterm-256color',
    cols: opts.cols ?? 100,
    rows: opts.rows ?? 30,
    cwd: opts.cwd,
    env: { ...opts.env, TERM: 'xterm-256color' } as Record<string, string>,
  });
  let raw = '';
  const waiters = new Set<() => void>();
  child.onData((data) => {
    raw += data;
    for (const wake of waiters) wake();
  });
  const exited = new Promise<number>((resolve) => child.onExit(({ exitCode }) => resolve(exitCode)));
  const session: PtySession = {
    get raw() {
      return raw;
    },
    text: () => stripAnsi(raw),
    write: (data) => child.write(data),
    mark: () => stripAnsi(raw).length,
    waitFor(pattern, timeoutMs = 10_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const text = stripAnsi(raw).slice(from);
          const index = typeof pattern === 'string' ? text.indexOf(pattern) : text.search(pattern);
          if (index >= 0) {
            cleanup();
            resolve(from + index);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${String(pattern)}; screen:\n${stripAnsi(raw).slice(-2000)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    exited,
    kill: () => {
      try {
        child.kill();
      } catch {
        /* already gone */
      }
    },
  };
  return session;
}
