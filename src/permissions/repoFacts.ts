import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseRule } from './rules.js';
import { createRuleMemo, pathRuleMatches, ruleRoots, type Anchors } from './paths.js';

// Filesystem and git facts the gate gives the pure policy (PolicyEnv.linkedDenied / gitRepoHazard / gitRoot).

/** Entries walked while listing denied files; past this the answer is "unknown" (the policy then asks). */
export const MAX_DENIED_WALK = 5000;

/**
 * `dev:ino` of every file a Read deny rule covers that has more than one link (another name of it exists
 * somewhere). Walks each rule's root without following symlinks; null when a walk is too large to finish.
 */
export function linkedDeniedIds(deny: readonly string[], anchors: Anchors, limit = MAX_DENIED_WALK): Set<string> | null {
  const ids = new Set<string>();
  const memo = createRuleMemo();
  let budget = limit;
  for (const raw of deny) {
    const r = parseRule(raw);
    if (!r || r.tool !== 'Read' || r.content === undefined) continue;
    const spec = r.content;
    // [path, may hold matches at any depth]; a shallow root's entries count only where they match themselves
    const stack: Array<[string, boolean]> = ruleRoots(spec, anchors).map((x) => [x.root, x.deep]);
    const seen = new Set<string>();
    while (stack.length) {
      const [p, deep] = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      if (--budget < 0) return null;
      let st: fs.Stats | undefined;
      try { st = fs.lstatSync(p, { throwIfNoEntry: false }); } catch { st = undefined; }
      if (!st) continue;
      if (st.isDirectory()) {
        let names: string[] = [];
        try { names = fs.readdirSync(p); } catch { continue; }
        for (const n of names) {
          const child = path.join(p, n);
          if (deep) stack.push([child, true]);
          else if (pathRuleMatches(spec, child, child, anchors, memo, true)) stack.push([child, true]);
        }
      } else if (st.isFile() && st.nlink > 1 && pathRuleMatches(spec, p, p, anchors, memo, true)) {
        ids.add(`${st.dev}:${st.ino}`);
      }
    }
  }
  return ids;
}

// Repository config that makes read-only git (status, diff, log -p, show) run a program: an external diff, a
// diff driver's command or textconv, a clean/smudge/process filter. Only what the repository itself sets
// (local and worktree scope): the user's own global settings are theirs.
const HAZARD_KEYS = '^(diff\\.external|diff\\..+\\.(command|textconv)|filter\\..+\\.(clean|smudge|process))$';

/** Why git run in `dir` would start a program named by the repository's own config, or undefined. */
export function gitRepoHazard(dir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const count = Number(env.GIT_CONFIG_COUNT) || 0;
  const r = spawnSync('git', ['config', '--show-scope', '--get-regexp', HAZARD_KEYS], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 3000,
    env: {
      ...env,
      GIT_OPTIONAL_LOCKS: '0',
      GIT_CONFIG_COUNT: String(count + 1),
      [`GIT_CONFIG_KEY_${count}`]: 'safe.bareRepository',
      [`GIT_CONFIG_VALUE_${count}`]: 'explicit',
    },
  });
  if (r.error) return r.error.message.includes('ENOENT') ? undefined : `git config could not be read: ${r.error.message}`;
  const keys = (r.stdout ?? '').split('\n').flatMap((line) => {
    const m = /^(local|worktree)\t(\S+)/.exec(line);
    return m ? [m[2]!] : [];
  });
  return keys.length ? keys.slice(0, 3).join(', ') : undefined;
}

/** Nearest directory at or above `dir` holding a `.git` entry (the work tree git would use), or undefined. */
export function gitRootOf(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (d === path.dirname(d)) return undefined;
  }
}
