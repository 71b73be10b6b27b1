import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

// Path confinement and path-rule matching. Everything here is POSIX path arithmetic on strings except
// realpathNearest/fileInfo, which the gate injects into the pure policy.

const P = path.posix;

/** Only a leading `~` or `~/` expands (a directory named `~` deeper in a path is just a name). */
export function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return home + p.slice(1);
  return p;
}

/** Absolute, lexically normalised, NFC form of a tool path. */
export function absolutize(p: string, cwd: string, home: string): string {
  return P.resolve(cwd, expandHome(p.normalize('NFC'), home));
}

/** Component-wise containment: /srv/app2 is not inside /srv/app. */
export function isInside(p: string, dir: string): boolean {
  if (dir === '/') return p.startsWith('/');
  return p === dir || p.startsWith(dir + '/');
}

export function insideAny(p: string, dirs: readonly string[]): boolean {
  return dirs.some((d) => isInside(p, d));
}

/** realpath of the nearest existing ancestor, with the missing tail appended (lexically normalised). */
export function realpathNearest(p: string): string {
  const abs = P.resolve(p);
  let head = abs;
  const tail: string[] = [];
  for (let i = 0; i < 4096; i++) {
    try {
      const real = fs.realpathSync.native(head);
      return tail.length ? P.resolve(real, ...tail.reverse()) : real;
    } catch {
      if (head === '/') return abs;
      tail.push(P.basename(head));
      head = P.dirname(head);
    }
  }
  return abs;
}

export interface FileInfo { kind: 'file' | 'dir' | 'other' | 'missing'; nlink: number }

export function fileInfo(resolved: string): FileInfo {
  try {
    const st = fs.statSync(resolved);
    return { kind: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other', nlink: st.nlink };
  } catch {
    return { kind: 'missing', nlink: 0 };
  }
}

// Win32/NTFS spellings that alias a name: trailing dots/spaces are stripped, `::$INDEX_ALLOCATION` streams.
// HFS+ ignores default-ignorable code points in names (`.git<U+200C>` is `.git`).
function foldComponent(c: string): string {
  return c.normalize('NFC').replace(/\p{Default_Ignorable_Code_Point}/gu, '').toLowerCase().replace(/::?\$[a-z_]*$/i, '').replace(/[. ]+$/, '');
}

const RC_FILES = new Set([
  '.bashrc', '.bash_profile', '.bash_login', '.bash_logout', '.profile', '.zshrc', '.zshenv', '.zprofile',
  '.zlogin', '.zlogout', '.gitconfig', '.mcp.json', '.gitmodules', '.npmrc',
]);
const PROTECTED_DIRS = new Set(['.git', '.ssh', '.vscode', '.husky', '.idea']);

/** Why writing this absolute path must always ask, or undefined if it is not protected. */
export function protectedReason(abs: string): string | undefined {
  const comps = abs.split('/').filter(Boolean).map(foldComponent);
  const base = comps[comps.length - 1] ?? '';
  const parent = comps[comps.length - 2];
  for (const c of comps) if (PROTECTED_DIRS.has(c)) return `${c} is a protected location`;
  // Windows 8.3 short names (`GIT~1` for `.git`) can alias any protected name
  for (const c of comps) if (/~\d+(\.[^.]{0,3})?$/.test(c)) return `${c} may be a short-name alias of a protected location`;
  if (RC_FILES.has(base)) return `${base} is a protected file (shells or tools execute it)`;
  if ((parent === '.claw' || parent === '.claude') && /^settings.*\.json$/.test(base)) return `${parent}/${base} holds permission settings`;
  if (base === 'config.fish' && parent === 'fish' && comps[comps.length - 3] === '.config') return 'fish config is a protected file';
  return undefined;
}

export interface Anchors { cwd: string; realCwd: string; home: string; realHome: string }

const cache = new Map<string, Ignore>();
function matcher(pattern: string): Ignore {
  let ig = cache.get(pattern);
  if (!ig) {
    ig = ignore({ ignorecase: true }).add(pattern);
    if (cache.size > 500) cache.clear();
    cache.set(pattern, ig);
  }
  return ig;
}

/**
 * gitignore-style path rule (claude-code-behaviour §3.2): `//abs`, `~/home`, `./cwd` (anchored),
 * `name` (any depth under cwd), `a/b` (anchored at cwd). A leading single `/` was rewritten by the
 * settings loader to `//<settings dir>`; if one is still here it is taken relative to cwd.
 */
export function pathRuleMatches(spec: string, literal: string, resolved: string, a: Anchors, asDir = false): boolean {
  let pattern = spec.normalize('NFC');
  let bases: Array<[string, string]>;
  if (pattern.startsWith('//')) { bases = [['/', '/']]; pattern = pattern.slice(1); }
  else if (pattern === '~' || pattern.startsWith('~/')) { bases = [[a.home, a.realHome]]; pattern = '/' + pattern.slice(2); }
  else if (pattern.startsWith('./')) { bases = [[a.cwd, a.realCwd]]; pattern = pattern.slice(1); }
  else { bases = [[a.cwd, a.realCwd]]; }
  if (pattern === '/' || pattern === '') pattern = '**';
  let ig: Ignore;
  try { ig = matcher(pattern); } catch { return false; }
  const test = (abs: string, base: string): boolean => {
    const rel = P.relative(base, abs);
    if (rel === '' || rel.startsWith('..') || P.isAbsolute(rel)) return false;
    try {
      return ig.ignores(rel) || (asDir && ig.ignores(rel + '/x'));
    } catch {
      return false;
    }
  };
  return bases.some(([lit, real]) => test(literal, lit) || test(resolved, real) || test(resolved, lit));
}

/** A working dir so wide that adding it needs its own confirmation (filesystem root or home). */
export function isOverlyBroadDir(dir: string, home: string): boolean {
  const r = P.resolve(dir);
  return r === '/' || r === P.resolve(home) || r === P.dirname(P.resolve(home));
}
