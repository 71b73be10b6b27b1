import path from 'node:path';
import { resolveTarget, type ResolvedPath } from '../permissions/paths.js';
import type { ToolContext } from './types.js';

/**
 * A model-supplied path as the permission gate judged it: the pipeline hands each call the same resolver
 * the gate used (ctx.resolvePath); called outside the pipeline (tests), the same function resolves afresh.
 * `literal` is for messages, `resolved` (symlinks followed) is the file to open.
 */
export function resolveIn(ctx: Pick<ToolContext, 'cwd' | 'home' | 'resolvePath'>, p: string): ResolvedPath {
  return ctx.resolvePath ? ctx.resolvePath(p) : resolveTarget(p, ctx.cwd, ctx.home);
}

/** Short path for output: relative to cwd when inside it (fewer tokens for small models), else absolute. */
export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  if (rel === '') return '.';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return abs;
  return rel;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const [v, unit] = n < 1024 * 1024 ? [n / 1024, 'KB'] : [n / 1024 / 1024, 'MB'];
  return `${v.toFixed(1).replace(/\.0$/, '')} ${unit}`;
}
