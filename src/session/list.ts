import fs from 'node:fs';
import path from 'node:path';
import { projectSlug } from '../config/paths.js';
import { promptOf } from '../core/prompt.js';

// The session picker must open instantly even with hundreds of large sessions, so listing reads only
// the head of each file plus its stat. Message counts are exact for files up to EXACT_COUNT_LIMIT
// bytes (the whole file is read and its '\n' bytes counted, minus the header line); above that they
// are estimated from the file size and the average line length in the head (`approximate: true`).

const HEAD_BYTES = 64 * 1024;
const EXACT_COUNT_LIMIT = 256 * 1024;

export interface SessionSummary {
  id: string;
  path: string;
  /** What the user typed first (without the environment block), cut to 200 characters. */
  firstPrompt: string;
  /** The session's short title, when one was written (after the first exchange). */
  title?: string;
  modified: Date;
  messageCount: number;
  approximate?: boolean;
}

function sessionFiles(projectsDir: string, cwd: string): string[] {
  const dir = path.join(projectsDir, projectSlug(cwd));
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => name.endsWith('.jsonl')).map((name) => path.join(dir, name));
}

function readHead(file: string, size: number): Buffer {
  const length = Math.min(size, size <= EXACT_COUNT_LIMIT ? size : HEAD_BYTES);
  const buffer = Buffer.allocUnsafe(length);
  const fd = fs.openSync(file, 'r');
  try {
    let read = 0;
    while (read < length) {
      const n = fs.readSync(fd, buffer, read, length - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

function countNewlines(buffer: Buffer): number {
  let count = 0;
  let at = buffer.indexOf(10);
  while (at !== -1) {
    count++;
    at = buffer.indexOf(10, at + 1);
  }
  return count;
}

/** A JSON string literal's value from possibly cut-off text. */
function stringField(line: string, key: string): string | undefined {
  const at = line.indexOf(`"${key}":"`);
  if (at === -1) return undefined;
  const match = /^"((?:[^"\\]|\\.)*)/.exec(line.slice(at + key.length + 3));
  if (!match) return undefined;
  let body = match[1] ?? '';
  for (let tries = 0; tries < 6; tries++) {
    try {
      return JSON.parse(`"${body}"`) as string;
    } catch {
      body = body.slice(0, -1); // cut inside an escape sequence
    }
  }
  return undefined;
}

/** First user prompt from the head of a session file (the first user line may be cut off). */
function firstPromptOf(head: string): string | undefined {
  for (const line of head.split('\n')) {
    if (!line.startsWith('{"type":"user"')) continue;
    const prompt = stringField(line, 'prompt');
    if (prompt !== undefined) return prompt;
    const content = stringField(line, 'content');
    if (content !== undefined) return promptOf(content).slice(0, 200);
  }
  return undefined;
}

/** The last title record in the head (written early: after the first exchange). */
function titleOf(head: string): string | undefined {
  let title: string | undefined;
  for (const line of head.split('\n')) {
    if (!line.startsWith('{"type":"system"') || !line.includes('"subtype":"title"')) continue;
    title = stringField(line, 'title') ?? title;
  }
  return title;
}

function summarize(file: string): SessionSummary | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (!stat.isFile() || stat.size === 0) return undefined;
  const head = readHead(file, stat.size);
  const headText = head.toString('utf8');
  const firstPrompt = firstPromptOf(headText);
  if (firstPrompt === undefined) return undefined; // nothing the user would recognise
  const lines = countNewlines(head) + (head.at(-1) === 10 ? 0 : 1);
  let messageCount: number;
  let approximate: boolean | undefined;
  if (head.length === stat.size) {
    messageCount = Math.max(0, lines - 1);
  } else {
    const complete = Math.max(1, countNewlines(head));
    messageCount = Math.max(0, Math.round((stat.size / head.length) * complete) - 1);
    approximate = true;
  }
  const summary: SessionSummary = {
    id: path.basename(file, '.jsonl'),
    path: file,
    firstPrompt,
    modified: stat.mtime,
    messageCount,
  };
  if (approximate) summary.approximate = true;
  const title = titleOf(headText);
  if (title) summary.title = title;
  return summary;
}

/** Sessions of this directory that hold at least one user prompt, newest first. */
export function listSessions(projectsDir: string, cwd: string): SessionSummary[] {
  const out: SessionSummary[] = [];
  for (const file of sessionFiles(projectsDir, cwd)) {
    const summary = summarize(file);
    if (summary) out.push(summary);
  }
  return out.sort((a, b) => b.modified.getTime() - a.modified.getTime());
}

/** A session path by full id, unique id prefix, or path to a .jsonl file. */
export function findSession(projectsDir: string, cwd: string, idOrPrefix: string): string | undefined {
  if (idOrPrefix.endsWith('.jsonl') && fs.existsSync(idOrPrefix)) return path.resolve(idOrPrefix);
  const files = sessionFiles(projectsDir, cwd);
  const exact = files.find((file) => path.basename(file, '.jsonl') === idOrPrefix);
  if (exact) return exact;
  if (idOrPrefix.length === 0) return undefined;
  const matches = files.filter((file) => path.basename(file).startsWith(idOrPrefix));
  return matches.length === 1 ? matches[0] : undefined;
}

/** The most recently modified non-empty session of this directory (`--continue`). */
export function latestSession(projectsDir: string, cwd: string): string | undefined {
  let best: { file: string; mtime: number } | undefined;
  for (const file of sessionFiles(projectsDir, cwd)) {
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile() || stat.size === 0) continue;
      if (!best || stat.mtimeMs > best.mtime) best = { file, mtime: stat.mtimeMs };
    } catch {
      // vanished while listing
    }
  }
  return best?.file;
}
