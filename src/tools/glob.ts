import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defineTool } from './define.js';
import { displayPath, resolveIn } from './paths.js';
import { picomatchLib } from './lazy.js';
import { VCS_DIRS, walk } from './walk.js';

export const GLOB_LIMIT = 100;

export const globTool = defineTool({
  name: 'Glob',
  description:
    'Find files by glob, e.g. "**/*.ts" (a pattern without "/" matches names at any depth); newest first. ' +
    'Skips .gitignore\'d files, .git and node_modules.',
  schema: z.object({
    pattern: z.string().describe('Glob pattern'),
    path: z.string().optional().describe('Directory to search in (default: working directory)'),
  }),
  isReadOnly: () => true,
  async execute(args, ctx) {
    const picomatch = await picomatchLib();
    let root = resolveIn(ctx, args.path ?? '.').literal;
    let pattern = args.pattern;
    // A pattern with a slash is anchored to the search root; one without matches names at any depth.
    const bySlash = pattern.includes('/');
    if (path.isAbsolute(pattern)) {
      const scan = picomatch.scan(pattern);
      root = scan.base || '/';
      pattern = scan.glob || '*';
    }
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
      return { output: `Directory does not exist: ${root}`, isError: true, summary: 'not found' };
    }
    const asked = /(^|\/)node_modules(\/|$)/.test(pattern);
    const skipDirs = new Set(asked ? VCS_DIRS : [...VCS_DIRS, 'node_modules']);
    const isMatch = picomatch(pattern.replace(/^\.\//, ''), { dot: true });
    // Walk only below the pattern's literal prefix ("src/**" never reads the rest of the tree).
    const base = bySlash ? picomatch.scan(pattern.replace(/^\.\//, '')).base : '';
    const start = base ? path.join(root, base) : root;
    const found: string[] = [];
    if (fs.existsSync(start)) {
      await walk(
        start,
        { skipDirs, exempt: asked ? (abs) => /[\\/]node_modules([\\/]|$)/.test(abs) : undefined, signal: ctx.signal },
        (e) => {
          if (e.isDir) return;
          const rel = base ? `${base}/${e.rel}` : e.rel;
          if ((bySlash ? isMatch(rel) : isMatch(e.name)) && !ctx.isReadDenied?.(e.abs)) found.push(e.abs);
        },
      );
    }
    if (found.length === 0) return { output: 'No files found', summary: '0 files' };
    const mtime = new Map(found.map((f) => [f, safeMtime(f)]));
    found.sort((a, b) => mtime.get(b)! - mtime.get(a)! || (a < b ? -1 : 1));
    const shown = found.slice(0, GLOB_LIMIT).map((f) => displayPath(ctx.cwd, f));
    const note =
      found.length > GLOB_LIMIT
        ? `\n(Results are truncated: showing ${GLOB_LIMIT} of ${found.length}. Consider using a more specific path or pattern.)`
        : '';
    return {
      output: shown.join('\n') + note,
      summary: `${found.length} file${found.length === 1 ? '' : 's'}`,
      display: { kind: 'matches', count: found.length },
    };
  },
});

function safeMtime(f: string): number {
  try {
    return fs.statSync(f).mtimeMs;
  } catch {
    return 0;
  }
}
