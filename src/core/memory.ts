import fs from 'node:fs';
import path from 'node:path';

// Memory files (SPEC §7): CLAW_HOME/CLAUDE.md, CLAW_HOME/AGENTS.md, then from the git root (or '/')
// down to cwd every CLAUDE.md, AGENTS.md, CLAUDE.local.md. `@path` imports pull in more files, listed
// right after the file that imports them, up to MAX_IMPORT_DEPTH hops; a file already loaded is never
// loaded twice, which also breaks cycles. Imports inside code fences or inline code are ignored.

export interface MemoryFile {
  path: string;
  content: string;
  /** The file that imported this one, for /memory. */
  importedFrom?: string;
}

export const MAX_IMPORT_DEPTH = 5;
/** A memory file larger than this is cut: it is sent with every request. */
const MAX_FILE_CHARS = 40_000;
const PROJECT_NAMES = ['CLAUDE.md', 'AGENTS.md', 'CLAUDE.local.md'];
const USER_NAMES = ['CLAUDE.md', 'AGENTS.md'];

/** The nearest ancestor of dir (itself included) holding a .git entry, or undefined. */
export function findGitRoot(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** Directories from top (inclusive) down to dir (inclusive). */
function chain(top: string, dir: string): string[] {
  const dirs: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    dirs.unshift(current);
    if (current === top) break;
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return dirs;
}

function readText(file: string): string | undefined {
  try {
    if (!fs.statSync(file).isFile()) return undefined;
    const text = fs.readFileSync(file, 'utf8');
    return text.length > MAX_FILE_CHARS ? `${text.slice(0, MAX_FILE_CHARS)}\n[… cut: file longer than ${MAX_FILE_CHARS} characters]` : text;
  } catch {
    return undefined;
  }
}

/** `@path` references outside fenced code blocks and inline code spans, in order. */
export function findImports(content: string): string[] {
  const refs: string[] = [];
  let fence: string | undefined;
  for (const line of content.split('\n')) {
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (!fence) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (fence) continue;
    const prose = line.replace(/(`+)[^`]*?\1/g, ' '); // drop inline code spans
    for (const match of prose.matchAll(/(?:^|\s)@((?:~\/|\.{0,2}\/)?[^\s@`]+)/g)) refs.push(match[1]!);
  }
  return refs;
}

function resolveImport(ref: string, fromFile: string, home: string | undefined): string | undefined {
  const candidates = [ref];
  const trimmed = ref.replace(/[.,;:!?)\]]+$/, ''); // "see @docs/x.md." in prose
  if (trimmed !== ref && trimmed) candidates.push(trimmed);
  for (const candidate of candidates) {
    let full: string;
    if (candidate.startsWith('~/')) {
      if (!home) continue;
      full = path.join(home, candidate.slice(2));
    } else {
      full = path.resolve(path.dirname(fromFile), candidate);
    }
    if (readText(full) !== undefined) return full;
  }
  return undefined;
}

export function loadMemoryFiles(opts: { clawHome: string; cwd: string; home?: string }): MemoryFile[] {
  const out: MemoryFile[] = [];
  const seen = new Set<string>();

  const realKey = (file: string): string => {
    try {
      return fs.realpathSync(file);
    } catch {
      return path.resolve(file);
    }
  };

  const add = (file: string, depth: number, importedFrom?: string): void => {
    const key = realKey(file);
    if (seen.has(key)) return;
    const content = readText(file);
    if (content === undefined) return;
    seen.add(key);
    out.push(importedFrom ? { path: file, content, importedFrom } : { path: file, content });
    if (depth >= MAX_IMPORT_DEPTH) return;
    for (const ref of findImports(content)) {
      const target = resolveImport(ref, file, opts.home);
      if (target) add(target, depth + 1, file);
    }
  };

  for (const name of USER_NAMES) add(path.join(opts.clawHome, name), 0);
  const cwd = path.resolve(opts.cwd);
  const top = findGitRoot(cwd) ?? path.parse(cwd).root;
  for (const dir of chain(top, cwd)) {
    for (const name of PROJECT_NAMES) add(path.join(dir, name), 0);
  }
  return out;
}

/** Format characters (zero-width spaces and joiners, bidi controls, Unicode tag characters U+E0000–E007F):
 *  invisible in an editor and on GitHub, but read by the model, so they can hide instructions. */
const INVISIBLE = /\p{Cf}/gu;

/** One warning per memory file holding invisible characters (a leading byte-order mark is not counted). The
 *  file is still loaded as is: the user decides, and now can see that there is something to look at. */
export function hiddenCharacterWarnings(files: MemoryFile[], cwd: string): string[] {
  const out: string[] = [];
  for (const file of files) {
    const count = (file.content.replace(/^\uFEFF/, '').match(INVISIBLE) ?? []).length;
    if (count === 0) continue;
    const rel = path.relative(cwd, file.path);
    const shown = rel && !rel.startsWith('..') ? rel : file.path;
    out.push(`${shown} contains ${count} invisible character${count === 1 ? '' : 's'} (zero-width or Unicode tag characters) that can hide instructions from you but not from the model; it is loaded as is. Inspect it, e.g. with \`cat -v ${shown}\`.`);
  }
  return out;
}
