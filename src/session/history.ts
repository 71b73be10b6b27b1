import fs from 'node:fs';
import path from 'node:path';

// REPL prompt history: CLAW_HOME/history.jsonl, one {"prompt","cwd","timestamp"} a line (SPEC §3).
// Only the tail of the file is read, so a history that grows for years stays fast to open.

const TAIL_BYTES = 1024 * 1024;

function endsWithNewline(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    fs.readSync(fd, last, 0, 1, size - 1);
    return last[0] === 10;
  } catch {
    return true; // no file yet
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function appendHistory(historyPath: string, prompt: string, cwd: string, now: Date = new Date()): void {
  if (prompt.trim() === '') return;
  fs.mkdirSync(path.dirname(historyPath), { recursive: true });
  const line = JSON.stringify({ prompt, cwd, timestamp: now.toISOString() }) + '\n';
  fs.appendFileSync(historyPath, (endsWithNewline(historyPath) ? '' : '\n') + line, { mode: 0o600 });
}

function readTail(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    fs.readSync(fd, buffer, 0, buffer.length, start);
    const text = buffer.toString('utf8');
    // Starting mid-file: drop the partial first line.
    return start === 0 ? text : text.slice(text.indexOf('\n') + 1);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Prompts, oldest first and newest last, at most `limit`; consecutive repeats collapse into one.
 * With `cwd`, only prompts typed in that directory. Bad lines are skipped.
 */
export function readHistory(historyPath: string, limit = 1000, cwd?: string): string[] {
  let text: string;
  try {
    text = readTail(historyPath);
  } catch {
    return [];
  }
  const prompts: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof entry !== 'object' || entry === null) continue;
    const { prompt, cwd: where } = entry as { prompt?: unknown; cwd?: unknown };
    if (typeof prompt !== 'string' || prompt === '') continue;
    if (cwd !== undefined && where !== cwd) continue;
    if (prompts.at(-1) === prompt) continue;
    prompts.push(prompt);
  }
  return prompts.slice(-limit);
}
