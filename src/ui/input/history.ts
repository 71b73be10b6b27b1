import fs from 'node:fs';
import path from 'node:path';

// Prompt history in CLAW_HOME/history.jsonl: one {"prompt","cwd","timestamp"} a line (SPEC §3).
// Small local reader/writer; swap for src/session/history.ts once that exists.

export interface HistoryEntry {
  prompt: string;
  cwd: string;
  timestamp: string;
}

/** Prompts for this cwd, oldest first, at most `limit`. Corrupt lines are skipped. */
export function readPromptHistory(file: string, cwd: string, limit = 500): string[] {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const prompts: string[] = [];
  for (const line of raw.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as Partial<HistoryEntry>;
      if (typeof entry.prompt === 'string' && entry.cwd === cwd && prompts[prompts.length - 1] !== entry.prompt) {
        prompts.push(entry.prompt);
      }
    } catch {
      // a torn line from a crash: ignore
    }
  }
  return prompts.slice(-limit);
}

export function appendPromptHistory(file: string, cwd: string, prompt: string, now: Date = new Date()): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const entry: HistoryEntry = { prompt, cwd, timestamp: now.toISOString() };
    fs.appendFileSync(file, JSON.stringify(entry) + '\n');
  } catch {
    // history is a convenience; never fail a prompt because of it
  }
}
