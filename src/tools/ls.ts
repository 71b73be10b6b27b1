import fs from 'node:fs';
import { z } from 'zod';
import { defineTool } from './define.js';
import { resolveIn } from './paths.js';
import { picomatchLib } from './lazy.js';
import { VCS_DIRS, walk } from './walk.js';

export const LS_LIMIT = 1000;
const SKIP = new Set([...VCS_DIRS, 'node_modules', '__pycache__']);

interface Node {
  children: Map<string, Node>;
  isDir: boolean;
}

export const lsTool = defineTool({
  name: 'LS',
  description:
    'List a directory as a tree (skips hidden and .gitignore\'d files and node_modules). Prefer Glob or Grep for known names.',
  schema: z.object({
    path: z.string().describe('Directory to list (absolute, or relative to the working directory)'),
    ignore: z.array(z.string()).optional().describe('Glob patterns to leave out, e.g. ["*.log", "dist"]'),
  }),
  isReadOnly: () => true,
  async execute(args, ctx) {
    const root = resolveIn(ctx, args.path).literal;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(root);
    } catch {
      return { output: `Directory does not exist: ${root}`, isError: true, summary: 'not found' };
    }
    if (!stat.isDirectory()) return { output: `${root} is a file, not a directory. Use Read to read it.`, isError: true, summary: 'not a directory' };
    const ignored = args.ignore?.length ? (await picomatchLib())(args.ignore, { dot: true }) : undefined;
    const tree: Node = { children: new Map(), isDir: true };
    let count = 0;
    let truncated = false;
    // The walk is breadth first, so a capped listing still shows the top levels.
    await walk(root, { hidden: false, skipDirs: SKIP, signal: ctx.signal }, (e) => {
      if (ignored && (ignored(e.name) || ignored(e.rel))) return 'skip';
      if (ctx.isReadDenied?.(e.abs)) return 'skip'; // a denied tree's names are not listed either
      if (count >= LS_LIMIT) {
        truncated = true;
        return 'stop';
      }
      count++;
      let node = tree;
      for (const part of e.rel.split('/')) {
        let next = node.children.get(part);
        if (!next) {
          next = { children: new Map(), isDir: false };
          node.children.set(part, next);
        }
        node = next;
      }
      node.isDir = e.isDir;
    });
    const lines = [`- ${root}/`];
    const print = (node: Node, depth: number): void => {
      const names = [...node.children.keys()].sort((a, b) => a.localeCompare(b));
      for (const name of names) {
        const child = node.children.get(name)!;
        lines.push(`${'  '.repeat(depth)}- ${name}${child.isDir ? '/' : ''}`);
        if (child.isDir) print(child, depth + 1);
      }
    };
    print(tree, 1);
    const head = truncated
      ? `There are more than ${LS_LIMIT} entries in ${root}; the first ${LS_LIMIT} (breadth first) are listed. Use a more specific path, Glob or Grep.\n\n`
      : '';
    return { output: head + lines.join('\n'), summary: `${count}${truncated ? '+' : ''} entries` };
  },
});
