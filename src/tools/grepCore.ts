import fs from 'node:fs';
import picomatch from 'picomatch';

export type OutputMode = 'content' | 'files_with_matches' | 'count';

/** One search, already resolved to absolute paths; both backends take this and return GrepHits. */
export interface GrepQuery {
  pattern: string;
  /** Absolute file or directory to search. */
  root: string;
  rootIsFile: boolean;
  globs: string[];
  type?: string | undefined;
  mode: OutputMode;
  ignoreCase: boolean;
  before: number;
  after: number;
  multiline: boolean;
  signal?: AbortSignal | undefined;
}

export interface HitLine {
  n: number;
  text: string;
  match: boolean;
}

export type GrepHits =
  | { mode: 'files_with_matches'; files: string[] }
  | { mode: 'count'; counts: Array<{ path: string; count: number }> }
  | { mode: 'content'; files: Array<{ path: string; lines: HitLine[] }> };

/** A search that cannot run (bad regex, unknown type): reported to the model as an error result. */
export class GrepError extends Error {}

/** Splits `"*.ts,*.tsx"` or `"*.ts *.tsx"` into globs, keeping brace lists like `*.{ts,tsx}` whole. */
export function splitGlobs(glob: string | undefined): string[] {
  if (!glob) return [];
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of glob) {
    if (ch === '{') depth++;
    if (ch === '}') depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === ',' || ch === ' ')) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

/** ripgrep glob semantics: no slash → matches the file name at any depth; `!glob` excludes. */
export function globFilter(globs: string[]): ((rel: string, name: string, isDir: boolean) => boolean) | undefined {
  if (globs.length === 0) return undefined;
  const compile = (g: string) => {
    const m = picomatch(g.replace(/^\//, ''), { dot: true });
    return g.includes('/') ? (rel: string) => m(rel) : (_rel: string, name: string) => m(name);
  };
  const pos = globs.filter((g) => !g.startsWith('!')).map(compile);
  const neg = globs.filter((g) => g.startsWith('!')).map((g) => compile(g.slice(1)));
  return (rel, name, isDir) => {
    if (neg.some((m) => m(rel, name))) return false;
    if (isDir || pos.length === 0) return true;
    return pos.some((m) => m(rel, name));
  };
}

/** Sorts for output: files newest first (as Claude Code), other modes by path for stable text. */
export function sortHits(hits: GrepHits): GrepHits {
  if (hits.mode === 'files_with_matches') {
    const mtimes = new Map<string, number>();
    for (const f of hits.files) {
      try {
        mtimes.set(f, fs.statSync(f).mtimeMs);
      } catch {
        mtimes.set(f, 0);
      }
    }
    hits.files.sort((a, b) => mtimes.get(b)! - mtimes.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  } else if (hits.mode === 'count') {
    hits.counts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  } else {
    hits.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  return hits;
}
