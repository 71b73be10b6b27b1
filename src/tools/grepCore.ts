import fs from 'node:fs';
import { picomatchLib } from './lazy.js';

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

export type GlobVerdict = 'include' | 'exclude' | undefined;

/**
 * ripgrep `--glob` semantics: no slash → matches the name at any depth, else the path relative to the
 * search root; `!glob` excludes; the last matching glob wins; a matching glob overrides .gitignore; with
 * any positive glob, files matching none are excluded (directories are still entered).
 */
export async function globFilter(
  globs: string[],
): Promise<((rel: string, name: string, isDir: boolean) => GlobVerdict) | undefined> {
  if (globs.length === 0) return undefined;
  const picomatch = await picomatchLib();
  const rules = globs.map((raw) => {
    const negated = raw.startsWith('!');
    const g = (negated ? raw.slice(1) : raw).replace(/^\.?\//, '');
    const m = picomatch(g, { dot: true });
    const test = g.includes('/') ? (rel: string, _name: string) => m(rel) : (_rel: string, name: string) => m(name);
    return { negated, test };
  }).reverse();
  const hasPositive = rules.some((r) => !r.negated);
  return (rel, name, isDir) => {
    for (const r of rules) if (r.test(rel, name)) return r.negated ? 'exclude' : 'include';
    return !isDir && hasPositive ? 'exclude' : undefined;
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
