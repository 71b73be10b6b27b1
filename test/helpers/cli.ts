// Helpers for end-to-end tests and benchmarks: spawn the built claw with a temporary CLAW_HOME.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLAW_BIN = path.join(ROOT, 'bin/claw.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** A fresh CLAW_HOME and project directory; never the real ~/.claw. */
export function makeSandbox(files: Record<string, string> = {}): { home: string; project: string; clawHome: string } {
  const home = tempDir('claw-home-');
  const project = tempDir('claw-proj-');
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(project, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return { home, project, clawHome: path.join(home, '.claw') };
}

/** Environment for a child claw: no inherited model/server variables, HOME and CLAW_HOME sandboxed. */
export function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(CLAW_|OPENAI_|OLLAMA_)/.test(key)) continue;
    env[key] = value;
  }
  env.NO_COLOR = '1';
  // A session title is a side request after the first exchange; scripted replies are a queue, so tests
  // that do not test titles leave it off (pass CLAW_SESSION_TITLES: '1' to test it).
  env.CLAW_SESSION_TITLES = '0';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function runClaw(
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLAW_BIN, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
    child.stdin.end(opts.input ?? '');
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
