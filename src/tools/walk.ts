import fs from 'node:fs';
import path from 'node:path';
import type { Ignore } from 'ignore';
import { ignoreLib } from './lazy.js';

/** Version-control directories are never searched (as Claude Code's Grep does with ripgrep). */
export const VCS_DIRS = ['.git', '.svn', '.hg', '.bzr'];

export interface WalkEntry {
  abs: string;
  /** Path relative to the walk root, `/`-separated. */
  rel: string;
  name: string;
  isDir: boolean;
  depth: number;
}

export interface WalkOptions {
  /** Directory names never entered. */
  skipDirs?: Set<string>;
  /** Honour .gitignore/.ignore files (default true). */
  gitignore?: boolean;
  /** Include entries whose name starts with a dot (default true). */
  hidden?: boolean;
  /** Paths exempt from ignore files (e.g. under node_modules when the pattern asks for it). */
  exempt?: (abs: string) => boolean;
  /** Decides before ignore files do: 'include' bypasses them, 'exclude' drops the entry (ripgrep --glob). */
  override?: (rel: string, name: string, isDir: boolean) => 'include' | 'exclude' | undefined;
  maxDepth?: number;
  signal?: AbortSignal;
}

type IgnoreLib = Awaited<ReturnType<typeof ignoreLib>>;

interface Layer {
  base: string;
  ig: Ignore;
}

/**
 * Walks a tree without ever entering ignored directories. `visit` returns 'stop' to end the walk
 * or 'skip' to not descend into a directory. Symlinks are not followed (ripgrep's default).
 */
export async function walk(
  root: string,
  opts: WalkOptions,
  visit: (e: WalkEntry) => 'stop' | 'skip' | void,
): Promise<void> {
  const useIgnore = opts.gitignore !== false;
  const hidden = opts.hidden !== false;
  const skipDirs = opts.skipDirs ?? new Set(VCS_DIRS);
  const ignore = useIgnore ? await ignoreLib() : undefined;
  const rootLayers = ignore ? ancestorLayers(root, ignore) : [];
  const queue: Array<{ dir: string; rel: string; depth: number; layers: Layer[] }> = [
    { dir: root, rel: '', depth: 0, layers: rootLayers },
  ];
  // Synchronous readdir is several times faster than the promise API for many small directories;
  // yielding every few directories keeps the event loop (UI, abort) responsive.
  let sinceYield = 0;
  for (let head = 0; head < queue.length; head++) {
    if (++sinceYield >= 32) {
      sinceYield = 0;
      await new Promise((r) => setImmediate(r));
    }
    if (opts.signal?.aborted) return;
    const job = queue[head]!;
    queue[head] = undefined as never; // let finished jobs be collected
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(job.dir, { withFileTypes: true });
    } catch {
      continue; // unreadable directory: skip, as rg does
    }
    let layers = job.layers;
    if (ignore) {
      const own = loadIgnore(job.dir, entries, ignore);
      if (own) layers = [...layers, own];
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of entries) {
      const isDir = d.isDirectory();
      if (!isDir && !d.isFile()) continue;
      if (!hidden && d.name.startsWith('.')) continue;
      if (isDir && skipDirs.has(d.name)) continue;
      const abs = path.join(job.dir, d.name);
      const rel = job.rel ? `${job.rel}/${d.name}` : d.name;
      const ov = opts.override?.(rel, d.name, isDir);
      if (ov === 'exclude') continue;
      if (ov !== 'include' && ignore && !opts.exempt?.(abs) && isIgnored(layers, abs, isDir)) continue;
      const verdict = visit({ abs, rel, name: d.name, isDir, depth: job.depth + 1 });
      if (verdict === 'stop') return;
      if (isDir && verdict !== 'skip' && (opts.maxDepth === undefined || job.depth + 1 < opts.maxDepth)) {
        queue.push({ dir: abs, rel, depth: job.depth + 1, layers });
      }
    }
  }
}

function isIgnored(layers: Layer[], abs: string, isDir: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    const rel = abs.slice(layer.base.length + 1).split(path.sep).join('/') + (isDir ? '/' : '');
    const r = layer.ig.test(rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

function loadIgnore(dir: string, entries: fs.Dirent[], ignore: IgnoreLib): Layer | undefined {
  let ig: Ignore | undefined;
  for (const name of ['.gitignore', '.ignore', '.rgignore']) {
    if (!entries.some((e) => e.name === name && e.isFile())) continue;
    try {
      ig ??= ignore({ allowRelativePaths: true });
      ig.add(fs.readFileSync(path.join(dir, name), 'utf8'));
    } catch {
      // unreadable ignore file: ignore it
    }
  }
  return ig ? { base: dir, ig } : undefined;
}

/** Ignore files of the directories above `root`, up to the enclosing git repository's root. */
function ancestorLayers(root: string, ignore: IgnoreLib): Layer[] {
  const chain: string[] = [];
  let dir = path.dirname(root);
  let cur = root;
  let inRepo = fs.existsSync(path.join(root, '.git'));
  while (!inRepo && dir !== cur) {
    chain.unshift(dir);
    if (fs.existsSync(path.join(dir, '.git'))) inRepo = true;
    cur = dir;
    dir = path.dirname(dir);
  }
  if (!inRepo) return [];
  const layers: Layer[] = [];
  for (const d of chain) {
    try {
      const layer = loadIgnore(d, fs.readdirSync(d, { withFileTypes: true }), ignore);
      if (layer) layers.push(layer);
    } catch {
      // skip
    }
  }
  return layers;
}
