import fs from 'node:fs';
import { GrepError, globFilter, type GrepHits, type GrepQuery, type HitLine } from './grepCore.js';
import { FILE_TYPES } from './grepTypes.js';
import { picomatchLib } from './lazy.js';
import { walk } from './walk.js';

/** Pure-JS grep with ripgrep's traversal rules (ignore files honoured, ignored directories never entered). */
export async function grepJs(q: GrepQuery): Promise<GrepHits> {
  const { line, whole } = compile(q);
  const files = q.rootIsFile ? [q.root] : await listFiles(q);
  const results = new Map<string, HitLine[] | number>();
  // Sync reads of small files beat the promise API by a wide margin; yield now and then for the UI.
  for (let i = 0; i < files.length; i++) {
    if (i % 64 === 63) {
      await new Promise((r) => setImmediate(r));
      if (q.signal?.aborted) break;
    }
    const file = files[i]!;
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch {
      continue;
    }
    if (buf.includes(0)) continue; // binary, skipped like rg does
    const r = searchText(buf.toString('utf8'), line, whole, q);
    if (r !== undefined) results.set(file, r);
  }
  const entries = [...results.entries()];
  if (q.mode === 'files_with_matches') return { mode: q.mode, files: entries.map(([p]) => p) };
  if (q.mode === 'count') return { mode: q.mode, counts: entries.map(([p, c]) => ({ path: p, count: c as number })) };
  return { mode: q.mode, files: entries.map(([p, lines]) => ({ path: p, lines: lines as HitLine[] })) };
}

async function listFiles(q: GrepQuery): Promise<string[]> {
  let typeMatch: ((name: string) => boolean) | undefined;
  if (q.type) {
    const globs = FILE_TYPES[q.type];
    if (!globs) throw new GrepError(`unrecognized file type: ${q.type}`);
    typeMatch = (await picomatchLib())(globs, { dot: true });
  }
  const globOk = await globFilter(q.globs);
  const out: string[] = [];
  await walk(q.root, { signal: q.signal, override: globOk }, (e) => {
    if (e.isDir) return;
    if (typeMatch && !typeMatch(e.name)) return;
    out.push(e.abs);
  });
  return out;
}

/** Translates the common Rust-regex-only syntax to JavaScript. */
function compile(q: GrepQuery): { line: RegExp; whole: RegExp } {
  let src = q.pattern;
  let flags = q.ignoreCase ? 'i' : '';
  const inline = /^\(\?([imsx]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    if (inline[1]!.includes('i') && !flags.includes('i')) flags += 'i';
  }
  src = src.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\z/g, '$');
  if (/\\[pP]\{/.test(src)) flags += 'u';
  try {
    if (q.multiline) return { line: new RegExp(src, `${flags}gms`), whole: new RegExp(src, `${flags}gms`) };
    return { line: new RegExp(src, flags), whole: new RegExp(src, `${flags}m`) };
  } catch (e) {
    throw new GrepError(`regex parse error: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
}

/** Matching lines (or count) of one file, undefined when none. */
function searchText(text: string, line: RegExp, whole: RegExp, q: GrepQuery): HitLine[] | number | undefined {
  // Cheap whole-file test first: most files do not match.
  whole.lastIndex = 0;
  if (!whole.test(text)) return undefined;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const matched = new Set<number>();
  if (q.multiline) {
    const starts = lineStarts(text);
    line.lastIndex = 0;
    for (let m = line.exec(text); m; m = line.exec(text)) {
      const from = lineOf(starts, m.index);
      const to = lineOf(starts, m.index + Math.max(0, m[0].length - 1));
      for (let i = from; i <= to; i++) matched.add(i);
      if (m[0].length === 0) line.lastIndex++;
    }
  } else {
    for (let i = 0; i < lines.length; i++) if (line.test(lines[i]!)) matched.add(i);
  }
  if (matched.size === 0) return undefined;
  if (q.mode === 'count') return matched.size;
  if (q.mode === 'files_with_matches') return [];
  const sorted = [...matched].sort((a, b) => a - b);
  const shown = new Set<number>();
  for (const i of sorted) {
    for (let j = Math.max(0, i - q.before); j <= Math.min(lines.length - 1, i + q.after); j++) shown.add(j);
  }
  return [...shown].sort((a, b) => a - b).map((i) => ({ n: i + 1, text: lines[i]!, match: matched.has(i) }));
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

