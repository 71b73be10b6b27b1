import fs from 'node:fs';
import path from 'node:path';
import { parseRule, ruleToolMatches } from '../permissions/rules.js';

// Read deny rules become masked paths inside the sandbox: files read as empty (/dev/null over them),
// directories as empty. Only what exists when the command starts can be masked, so the walk looks for
// the paths the rules match, from the fixed part of each pattern, within a budget.

export interface Mask {
  path: string;
  kind: 'file' | 'dir';
}

export interface MaskInput {
  denyRules: readonly string[];
  cwd: string;
  home: string;
  /** The gate's own matcher, so the sandbox masks exactly what Read refuses. */
  isReadDenied(absPath: string): boolean;
  /** Entries visited at most (a huge tree is cut short, and says so). */
  budget?: number;
}

const SKIP = new Set(['node_modules', '.git', '.hg', '.svn']);
const GLOB = /[*?[\]{}!]/;

/**
 * Where a path rule starts matching: the path its fixed prefix names, and whether a glob follows it.
 * `name` patterns match at any depth under cwd, so they start at cwd with a glob.
 */
function startOf(content: string, cwd: string, home: string): { fixed: string; glob: boolean } {
  let p = content;
  let base = cwd;
  if (p.startsWith('//')) {
    base = '/';
    p = p.slice(2);
  } else if (p === '~' || p.startsWith('~/')) {
    base = home;
    p = p.slice(2);
  } else if (p.startsWith('./')) p = p.slice(2);
  else if (p.startsWith('/')) p = p.slice(1);
  else if (!p.replace(/\/+$/, '').includes('/')) return { fixed: cwd, glob: true };
  const parts = p.split('/').filter(Boolean);
  const fixed: string[] = [];
  for (const part of parts) {
    if (GLOB.test(part)) break;
    fixed.push(part);
  }
  return { fixed: path.join(base, ...fixed), glob: fixed.length < parts.length };
}

export function readDenyMasks(input: MaskInput): { masks: Mask[]; truncated: boolean } {
  const starts = new Map<string, boolean>();
  for (const raw of input.denyRules) {
    const r = parseRule(raw);
    if (!r || !ruleToolMatches(r.tool, 'Read') || r.content === undefined) continue;
    const { fixed, glob } = startOf(r.content, input.cwd, input.home);
    starts.set(fixed, (starts.get(fixed) ?? false) || glob);
  }
  const masks: Mask[] = [];
  const seen = new Set<string>();
  let budget = input.budget ?? 20_000;
  let truncated = false;
  const visit = (p: string, depth: number): void => {
    if (seen.has(p)) return;
    seen.add(p);
    if (--budget < 0) {
      truncated = true;
      return;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    const isDir = st.isDirectory();
    if (input.isReadDenied(p)) {
      masks.push({ path: p, kind: isDir ? 'dir' : 'file' });
      return;
    }
    if (!isDir || depth > 12 || SKIP.has(path.basename(p))) return;
    let names: string[];
    try {
      names = fs.readdirSync(p);
    } catch {
      return;
    }
    for (const name of names) visit(path.join(p, name), depth + 1);
  };
  for (const [start, glob] of starts) {
    let isDir: boolean;
    try {
      isDir = fs.statSync(start).isDirectory();
    } catch {
      continue;
    }
    if (start !== '/' && input.isReadDenied(start)) {
      masks.push({ path: start, kind: isDir ? 'dir' : 'file' });
      continue;
    }
    if (!glob || !isDir) continue;
    let names: string[] = [];
    try {
      names = fs.readdirSync(start);
    } catch {
      continue;
    }
    for (const name of names) visit(path.join(start, name), 1);
  }
  return { masks, truncated };
}
