import type { Decision, PermissionMode, PermissionRules, PolicyEnv } from './types.js';
import { parseRule, ruleToolMatches, type ParsedRule } from './rules.js';
import { createRuleMemo, pathRuleMatches, resolveTarget, type Anchors, type ResolvedPath, type RuleMemo } from './paths.js';

// What every per-tool decision needs: the compiled rules, the mode, resolved working dirs and anchors.

export type Kind = 'allow' | 'ask' | 'deny';

export interface Ctx {
  mode: PermissionMode;
  env: PolicyEnv;
  rules: Record<Kind, Array<ParsedRule & { raw: string }>>;
  anchors: Anchors;
  realDirs: string[];
  ruleCache: Map<string, Array<ParsedRule & { raw: string }>>;
  ruleMemo: RuleMemo;
}

export function makeCtx(mode: PermissionMode, rules: PermissionRules, env: PolicyEnv): Ctx {
  const compile = (list: readonly string[] | undefined): Array<ParsedRule & { raw: string }> =>
    (list ?? []).flatMap((raw) => {
      const p = parseRule(raw);
      return p ? [{ ...p, raw }] : [];
    });
  const realCwd = env.realpath(env.cwd);
  return {
    mode,
    env,
    rules: { allow: compile(rules.allow), ask: compile(rules.ask), deny: compile(rules.deny) },
    anchors: { cwd: env.cwd, realCwd, home: env.home, realHome: env.realpath(env.home) },
    realDirs: [env.cwd, ...env.workingDirs].map((d) => env.realpath(d)),
    ruleCache: new Map(),
    ruleMemo: env.ruleMemo ?? createRuleMemo(),
  };
}

export function rulesFor(ctx: Ctx, kind: Kind, tools: readonly string[]): Array<ParsedRule & { raw: string }> {
  // memoised per decision: path checks of a long command ask for the same list thousands of times
  const key = `${kind}\0${tools.join('\0')}`;
  let hit = ctx.ruleCache.get(key);
  if (!hit) ctx.ruleCache.set(key, (hit = ctx.rules[kind].filter((r) => tools.some((t) => ruleToolMatches(r.tool, t)))));
  return hit;
}

export type { ResolvedPath };

/** The shared resolution (paths.ts resolveTarget) with the decision's realpath, which the tool also uses. */
export function resolvePath(ctx: Ctx, p: string, base = ctx.env.cwd): ResolvedPath {
  return resolveTarget(p, base, ctx.env.home, ctx.env.realpath);
}

/** First path rule (of the given tools) that matches; bare rules (`Read`) match every path. */
export function matchPathRule(ctx: Ctx, kind: Kind, tools: readonly string[], rp: ResolvedPath, asDir = false): string | undefined {
  for (const r of rulesFor(ctx, kind, tools)) {
    if (r.content === undefined) return r.raw;
    // `/x` is relative to the settings file that defined it; the loader rewrites it to `//abs`. One that
    // reaches us unrewritten has an unknown anchor: it may restrict (taken from cwd) but never allow.
    if (kind === 'allow' && /^\/(?!\/)/.test(r.content)) continue;
    if (pathRuleMatches(r.content, rp.literal, rp.resolved, ctx.anchors, ctx.ruleMemo, asDir)) return r.raw;
  }
  return undefined;
}

const RANK: Record<Kind, number> = { allow: 0, ask: 1, deny: 2 };

/** Most restrictive of several decisions (deny > ask > allow); the first of equal rank keeps its reason. */
export function strictest(ds: Decision[]): Decision {
  let best: Decision = { behavior: 'allow' };
  for (const d of ds) if (RANK[d.behavior] > RANK[best.behavior]) best = d;
  return best;
}

/** Paths in messages: relative to cwd when inside it, so the model can act on them. */
export function show(ctx: Ctx, abs: string): string {
  const c = ctx.env.cwd;
  if (abs === c) return '.';
  if (abs.startsWith(c.endsWith('/') ? c : c + '/')) return abs.slice(c.length + 1);
  return abs;
}
