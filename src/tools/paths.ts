import fs from 'node:fs';
import path from 'node:path';

/**
 * Resolves a model-supplied path: absolute, `~/…` (the home directory, as the permission gate reads it,
 * so a repository's `~` symlink cannot make the two disagree), or relative to the working directory.
 */
export function resolvePath(cwd: string, p: string, home?: string): string {
  if (home && (p === '~' || p.startsWith('~/'))) return path.join(home, p.slice(1));
  return path.resolve(cwd, p);
}

/** Real path of an existing file; for a dangling or missing path, the path with its parent resolved. */
export function realPathOf(abs: string): string {
  try {
    return fs.realpathSync(abs);
  } catch {
    // A dangling symlink: write to where it points rather than replacing the link.
    try {
      const target = fs.readlinkSync(abs);
      return realPathOf(path.resolve(path.dirname(abs), target));
    } catch {
      try {
        return path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
      } catch {
        return abs;
      }
    }
  }
}

/** Short path for output: relative to cwd when inside it (fewer tokens for small models), else absolute. */
export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  if (rel === '') return '.';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return abs;
  return rel;
}

export function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const [v, unit] = n < 1024 * 1024 ? [n / 1024, 'KB'] : [n / 1024 / 1024, 'MB'];
  return `${v.toFixed(1).replace(/\.0$/, '')} ${unit}`;
}
