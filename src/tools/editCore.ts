import fs from 'node:fs';
import { compactDiff } from './diff.js';
import { atomicWrite, decodeText, encodeText, hashBytes, type DecodedText } from './fileio.js';
import { numberLines, splitLines } from './read.js';
import { checkFresh } from './readState.js';
import type { ToolContext, ToolResult } from './types.js';

export interface EditSpec {
  old_string: string;
  new_string: string;
  replace_all?: boolean | undefined;
}

export type EditOutcome = { ok: true; text: string; count: number; at: number } | { ok: false; error: string };

/** An existing file loaded for modification, or an error result. */
export interface Loaded {
  realPath: string;
  mode: number;
  owner: { uid: number; gid: number };
  decoded: DecodedText;
}

export function loadForWrite(ctx: ToolContext, realPath: string, partial = false): Loaded | ToolResult {
  const stat = fs.statSync(realPath);
  if (stat.isDirectory()) return err(`${realPath} is a directory.`);
  const buf = fs.readFileSync(realPath);
  const stale = checkFresh(ctx, realPath, buf, stat.mtimeMs);
  if (stale) return err(stale);
  const decoded = decodeText(buf);
  // Editing part of a non-UTF-8 file would silently corrupt the rest of it.
  if (partial && !encodeText(decoded).equals(buf)) {
    return err(`${realPath} is not valid UTF-8 text; it cannot be edited safely with this tool. Use Write to replace it whole, or Bash.`, 'not UTF-8');
  }
  return { realPath, mode: stat.mode, owner: { uid: stat.uid, gid: stat.gid }, decoded };
}

export function err(output: string, summary?: string): ToolResult {
  return { output, isError: true, summary: summary ?? output.split('\n')[0]?.slice(0, 60) };
}

export function isResult(x: Loaded | ToolResult): x is ToolResult {
  return 'output' in x;
}

/** Writes the new text keeping BOM/EOL/mode, updates the read record so the next edit needs no re-read. */
export function commit(ctx: ToolContext, realPath: string, decoded: DecodedText, text: string, from?: Loaded): void {
  const data = encodeText({ ...decoded, text });
  ctx.beforeWrite?.(realPath);
  atomicWrite(realPath, data, from?.mode, from?.owner, { confined: true });
  const stat = fs.statSync(realPath);
  ctx.readFiles.set(realPath, { hash: hashBytes(data), mtimeMs: stat.mtimeMs });
}

/** Normalises model text to the file's LF view. */
export function toLf(s: string, decoded: DecodedText): string {
  return decoded.eol === '\r\n' ? s.replace(/\r\n/g, '\n') : s;
}

/** Applies one edit literally (never String.replace with a string: `$&` and `$1` must stay as typed). */
export function applyEdit(text: string, edit: EditSpec): EditOutcome {
  const { old_string: oldS, new_string: newS } = edit;
  if (oldS === newS) return { ok: false, error: 'No changes to make: old_string and new_string are exactly the same.' };
  if (oldS === '') return { ok: false, error: 'Cannot create new file - file already exists.' };
  const positions = findAll(text, oldS);
  if (positions.length === 0) {
    const stripped = stripLineNumbers(oldS);
    if (stripped !== undefined && stripped !== oldS) {
      const retry = applyEdit(text, { ...edit, old_string: stripped, new_string: stripLineNumbers(newS) ?? newS });
      if (retry.ok) return retry;
    }
    return { ok: false, error: `String to replace not found in file.\nString: ${oldS}${closestLines(text, oldS)}` };
  }
  if (positions.length > 1 && !edit.replace_all) {
    const lines = positions.map((p) => lineAt(text, p));
    return {
      ok: false,
      error:
        `Found ${positions.length} matches of the string to replace, but replace_all is false. To replace all occurrences, set replace_all to true. To replace only one occurrence, please provide more context to uniquely identify the instance.\nString: ${oldS}\n` +
        `Matches start at lines: ${lines.join(', ')}`,
    };
  }
  const first = positions[0] ?? 0;
  const out = edit.replace_all ? text.split(oldS).join(newS) : text.slice(0, first) + newS + text.slice(first + oldS.length);
  return { ok: true, text: out, count: positions.length, at: first };
}

function findAll(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) out.push(i);
  return out;
}

function lineAt(text: string, pos: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

// Small models often paste Read's "     12\t" prefixes into old_string.
function stripLineNumbers(s: string): string | undefined {
  const lines = s.split('\n');
  if (!lines.every((l) => /^\s*\d+(\t|→)/.test(l))) return undefined;
  return lines.map((l) => l.replace(/^\s*\d+(\t|→)/, '')).join('\n');
}

/** The window of the file most like old_string, numbered, so the model can copy the real text. */
export function closestLines(text: string, oldS: string): string {
  const want = oldS.split('\n').map((l) => l.trim()).filter((l) => l !== '').slice(0, 5);
  if (want.length === 0) return '';
  const lines = text.split('\n');
  const trimmed = lines.map((l) => l.trim());
  const wantGrams = want.map(bigrams);
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < lines.length; i++) {
    let score = 0;
    for (let j = 0; j < want.length && i + j < lines.length; j++) score += dice(wantGrams[j]!, trimmed[i + j]!);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  if (best < 0 || bestScore / want.length < 0.3) return '';
  const from = Math.max(0, best - 1);
  const to = Math.min(lines.length, best + want.length + 1);
  return `\n\nClosest lines in the file (copy text exactly, without the line numbers):\n${numberLines(lines.slice(from, to), from + 1)}`;
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) {
    const g = s.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

function dice(a: Map<string, number>, b: string): number {
  if (a.size === 0 || b.length < 2) return 0;
  let total = 0;
  for (const n of a.values()) total += n;
  let inter = 0;
  const seen = new Map<string, number>();
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2);
    const used = seen.get(g) ?? 0;
    if (used < (a.get(g) ?? 0)) inter++;
    seen.set(g, used + 1);
  }
  return (2 * inter) / (total + b.length - 1);
}

/** A few numbered lines around the first change, so the model sees the result without re-reading. */
export function snippet(text: string, at: number, inserted: string): string {
  const lines = splitLines(text);
  const startLine = text.slice(0, at).split('\n').length;
  const span = inserted.split('\n').length;
  const from = Math.max(1, startLine - 3);
  const to = Math.min(lines.length, startLine + span + 2, from + 30);
  return `Here's the result of running \`cat -n\` on a snippet of the edited file:\n${numberLines(lines.slice(from - 1, to), from)}`;
}

export async function diffResult(path: string, before: string, after: string, output: string): Promise<ToolResult> {
  const d = await compactDiff(before, after);
  return {
    output,
    summary: `${d.added} addition${d.added === 1 ? '' : 's'}, ${d.removed} removal${d.removed === 1 ? '' : 's'}`,
    display: { kind: 'diff', path, diff: d.diff, added: d.added, removed: d.removed },
  };
}
