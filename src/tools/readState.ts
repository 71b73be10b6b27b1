import { hashBytes } from './fileio.js';
import type { ToolContext } from './types.js';

export const NOT_READ = 'File has not been read yet. Read it first before writing to it.';
export const MODIFIED =
  'File has been modified since read, either by the user or by a linter. Read it again before attempting to write it.';

export function recordRead(ctx: ToolContext, realPath: string, buf: Buffer, mtimeMs: number): void {
  ctx.readFiles.set(realPath, { hash: hashBytes(buf), mtimeMs });
}

/**
 * Error text when the file may not be overwritten, else undefined. Compares content, not mtime:
 * a touch (or a save with identical bytes) is harmless.
 */
export function checkFresh(ctx: ToolContext, realPath: string, buf: Buffer, mtimeMs: number): string | undefined {
  const rec = ctx.readFiles.get(realPath);
  if (!rec) return NOT_READ;
  if (rec.hash !== hashBytes(buf)) return MODIFIED;
  rec.mtimeMs = mtimeMs;
  return undefined;
}
