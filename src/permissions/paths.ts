import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

// Path confinement and path-rule matching. Everything here is POSIX path arithmetic on strings except
// realpathNearest/fileInfo, which the gate injects into the pure policy.

const P = path.posix;

/** Only a leading `~` or `~/` expands (a directory named `~` deeper in a path is just a name). */
export function expandHome(p: string, home: string | undefined): string {
  if (!home) return p;
  if (p === '~') return home;
  if (p.startsWith('~/')) return home + p.slice(1);
  return p;
}

/**
 * Absolute, lexically normalised form of a tool path, with its bytes as given: Linux file names are not
 * Unicode-normalised, so an NFD name must be resolved as NFD (an NFC copy would name another, missing file
 * while the tool opens a symlink). Rule matching compares NFC forms instead (pathRuleMatches).
 */
export function absolutize(p: string, cwd: string, home: string | undefined): string {
  return P.resolve(cwd, expandHome(p, home));
}

/** What one tool path means: the absolute path as spelled, and the real file it reaches. */
export interface ResolvedPath { literal: string; resolved: string }

/**
 * THE path resolution of claw: the permission gate judges `resolved` and the file tools open it, so the
 * verdict is always about the file that is really read or written.
 */
export function resolveTarget(p: string, cwd: string, home: string | undefined, realpath: (abs: string) => string = realpathNearest): ResolvedPath {
  const literal = absolutize(p, cwd, home);
  return { literal, resolved: realpath(literal) };
}

/** Component-wise containment: /srv/app2 is not inside /srv/app. */
export function isInside(p: string, dir: string): boolean {
  if (dir === '/') return p.startsWith('/');
  return p === dir || p.startsWith(dir + '/');
}

export function insideAny(p: string, dirs: readonly string[]): boolean {
  return dirs.some((d) => isInside(p, d));
}

/**
 * realpath of the nearest existing ancestor, with the missing tail appended (lexically normalised).
 * A dangling symlink is followed to where it points (`notes.md → ~/.ssh/authorized_keys` that does not exist
 * yet): writing through it creates the target, so the target is what the policy must judge.
 */
export function realpathNearest(p: string): string {
  return resolveNearest(P.resolve(p), undefined, 0);
}

/**
 * realpathNearest for one decision, memoised: a command naming a thousand missing files costs one lstat
 * each instead of a thrown exception per level. Not for reuse across decisions: the tree changes.
 */
export function cachedRealpathNearest(): (p: string) => string {
  const memo = new Map<string, string>();
  return (p) => {
    const abs = P.resolve(p);
    let out = memo.get(abs);
    if (out === undefined) memo.set(abs, (out = resolveNearest(abs, memo, 0)));
    return out;
  };
}

const MAX_LINK_HOPS = 40; // like the kernel's limit

function resolveNearest(abs: string, memo: Map<string, string> | undefined, hops: number): string {
  const tail: string[] = [];
  let head = abs;
  let base: string | undefined;
  for (let i = 0; i < 4096 && base === undefined; i++) {
    base = memo?.get(head);
    if (base !== undefined) break;
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(head, { throwIfNoEntry: false }); // a missing name answers without an exception
    } catch {
      st = undefined;
    }
    if (st) {
      try {
        base = fs.realpathSync.native(head);
        memo?.set(head, base);
        break;
      } catch {
        // a dangling or looping symlink somewhere: follow this one by hand if it is the link
      }
      if (st.isSymbolicLink() && hops < MAX_LINK_HOPS) {
        try {
          const target = fs.readlinkSync(head);
          const dir = head === '/' ? '/' : resolveNearest(P.dirname(head), memo, hops + 1);
          base = resolveNearest(P.resolve(dir, target), memo, hops + 1);
          break;
        } catch {
          // unreadable link: fall through and treat the name lexically
        }
      }
    }
    if (head === '/') { base = '/'; break; }
    tail.push(P.basename(head));
    head = P.dirname(head);
  }
  if (base === undefined) return abs;
  return tail.length ? P.resolve(base, ...tail.reverse()) : base;
}

export interface FileInfo { kind: 'file' | 'dir' | 'other' | 'missing'; nlink: number; /** `dev:ino` */ id?: string }

export function fileInfo(resolved: string): FileInfo {
  try {
    const st = fs.statSync(resolved, { throwIfNoEntry: false });
    if (!st) return { kind: 'missing', nlink: 0 };
    return { kind: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other', nlink: st.nlink, id: `${st.dev}:${st.ino}` };
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
  '.zlogin', '.zlogout', '.gitconfig', '.mcp.json', '.gitmodules', '.npmrc', '.envrc',
]);
// .claude holds commands, agents, skills, hooks and settings that claw (as Claude Code) loads and runs
const PROTECTED_DIRS = new Set(['.git', '.ssh', '.vscode', '.husky', '.idea', '.claude']);
// under .claw: what becomes a prompt, a tool grant or a hook (settings*.json is checked below)
const CLAW_PROTECTED = new Set(['commands', 'skills', 'hooks']);

/** Why writing this absolute path must always ask, or undefined if it is not protected. */
export function protectedReason(abs: string): string | undefined {
  const comps = abs.split('/').filter(Boolean).map(foldComponent);
  const base = comps[comps.length - 1] ?? '';
  const parent = comps[comps.length - 2];
  for (const c of comps) if (PROTECTED_DIRS.has(c)) return `${c} is a protected location`;
  // Windows 8.3 short names (`GIT~1` for `.git`) can alias any protected name
  for (const c of comps) if (/~\d+(\.[^.]{0,3})?$/.test(c)) return `${c} may be a short-name alias of a protected location`;
  const claw = comps.indexOf('.claw');
  if (claw >= 0 && CLAW_PROTECTED.has(comps[claw + 1] ?? '') && claw + 1 < comps.length) return `.claw/${comps[claw + 1]} is loaded as slash commands, skills or hooks`;
  if (RC_FILES.has(base)) return `${base} is a protected file (shells or tools execute it)`;
  if ((parent === '.claw' || parent === '.claude') && /^settings.*\.json$/.test(base)) return `${parent}/${base} holds permission settings`;
  if (base === 'config.fish' && parent === 'fish' && comps[comps.length - 3] === '.config') return 'fish config is a protected file';
  return undefined;
}

export interface Anchors { cwd: string; realCwd: string; home: string; realHome: string }

const UNNORMAL = /\/\/|\/\.\.?(\/|$)|.\/$/;

/**
 * Path of abs below base (non-empty), or undefined when abs is base itself or outside it. A string slice
 * for the normalised absolute paths the policy works with (path.relative is the hot spot of long
 * commands); anything else goes through path.relative.
 */
function relativeInside(base: string, abs: string): string | undefined {
  if (UNNORMAL.test(base) || UNNORMAL.test(abs) || !base.startsWith('/') || !abs.startsWith('/')) {
    const rel = P.relative(base, abs);
    return rel === '' || rel === '..' || rel.startsWith('../') || P.isAbsolute(rel) ? undefined : rel;
  }
  if (base === '/') return abs.length > 1 ? abs.slice(1) : undefined;
  return abs.length > base.length + 1 && abs.startsWith(base) && abs[base.length] === '/' ? abs.slice(base.length + 1) : undefined;
}

/**
 * gitignore-style path rule (claude-code-behaviour §3.2): `//abs`, `~/home`, `./cwd` (anchored),
 * `name` (any depth under cwd), `a/b` (anchored at cwd). A leading single `/` was rewritten by the
 * settings loader to `//<settings dir>`; if one is still here it is taken relative to cwd.
 */
interface CompiledRule { anchor: 'root' | 'home' | 'cwd'; ig: Ignore | null }

/**
 * Compiled rule matchers, owned by whoever makes decisions (the gate keeps one; a bare decide() makes one per
 * call): the policy matches thousands of paths per decision against a handful of rules.
 */
export interface RuleMemo { compiled: Map<string, CompiledRule>; uses: number }

export function createRuleMemo(): RuleMemo {
  return { compiled: new Map(), uses: 0 };
}

/** Anchor and matcher of a rule spec, computed once per spec per memo. */
function compileRule(spec: string, memo: RuleMemo): CompiledRule {
  const compiled = memo.compiled;
  let c = compiled.get(spec);
  if (c) return c;
  let pattern = spec.normalize('NFC');
  let anchor: CompiledRule['anchor'] = 'cwd';
  if (pattern.startsWith('//')) { anchor = 'root'; pattern = pattern.slice(1); }
  else if (pattern === '~' || pattern.startsWith('~/')) { anchor = 'home'; pattern = '/' + pattern.slice(2); }
  else if (pattern.startsWith('./')) { pattern = pattern.slice(1); }
  if (pattern === '/' || pattern === '') pattern = '**';
  let ig: Ignore | null;
  try { ig = ignore({ ignorecase: true }).add(pattern); } catch { ig = null; }
  c = { anchor, ig };
  if (compiled.size > 500) compiled.clear();
  compiled.set(spec, c);
  return c;
}

/**
 * Where a path rule can match (literal and resolved spellings of its anchor): the anchor plus the pattern's
 * leading segments without wildcards. `deep` when matches can lie at any depth below `root` (`./secrets/**`,
 * `*.pem`, a literal name); not deep when only `root`'s direct entries can match (`./.env.*`), or what
 * lies inside a matched directory. A tree that neither contains nor lies inside a deep root, and does not
 * contain a shallow root, holds no match.
 */
export interface RuleRoot { root: string; deep: boolean }

export function ruleRoots(spec: string, a: Anchors): RuleRoot[] {
  let pattern = spec.normalize('NFC');
  let bases = [a.cwd, a.realCwd];
  if (pattern.startsWith('//')) { bases = ['/']; pattern = pattern.slice(1); }
  else if (pattern === '~' || pattern.startsWith('~/')) { bases = [a.home, a.realHome]; pattern = '/' + pattern.slice(2); }
  else if (pattern.startsWith('./')) pattern = pattern.slice(1);
  const body = pattern.replace(/\/+$/, '');
  // gitignore: a pattern without a slash before its end matches at any depth below the anchor
  const segs = body.split('/').filter(Boolean);
  const anchored = body.includes('/');
  let k = 0;
  if (anchored) while (k < segs.length && !/[*?[\]{}!\\]/.test(segs[k]!)) k++;
  const rest = segs.slice(k);
  const deep = !anchored || rest.length !== 1 || rest[0] === '**';
  const prefix = segs.slice(0, k);
  return [...new Set(bases.map((b) => P.join(b, ...prefix)))].map((root) => ({ root, deep }));
}
// ASCII (nearly every path) needs no normalisation pass
const nfc = (s: string): string => (/^[\x00-\x7f]*$/.test(s) ? s : s.normalize('NFC'));

export function pathRuleMatches(spec: string, literal: string, resolved: string, a: Anchors, memo: RuleMemo, asDir = false): boolean {
  // an Ignore instance remembers every path it has tested: start fresh now and then so a long session
  // does not keep every path it ever checked
  if (++memo.uses > 100_000) { memo.uses = 0; memo.compiled.clear(); }
  const { anchor, ig } = compileRule(spec, memo);
  if (!ig) return false;
  const [lit, real] = anchor === 'root' ? ['/', '/'] : anchor === 'home' ? [a.home, a.realHome] : [a.cwd, a.realCwd];
  const test = (abs: string, base: string): boolean => {
    // rules are NFC (compileRule); a name on disk may be NFD: compare one form
    const rel = relativeInside(nfc(base), nfc(abs));
    if (rel === undefined) return false;
    try {
      return ig.ignores(rel) || (asDir && ig.ignores(rel + '/x'));
    } catch {
      return false;
    }
  };
  return test(literal, lit) || (resolved === literal && real === lit ? false : test(resolved, real) || (resolved !== literal && test(resolved, lit)));
}

/** A working dir so wide that adding it needs its own confirmation (filesystem root or home). */
export function isOverlyBroadDir(dir: string, home: string): boolean {
  const r = P.resolve(dir);
  return r === '/' || r === P.resolve(home) || r === P.dirname(P.resolve(home));
}
