import fs from 'node:fs';
import { z } from 'zod';
import { defineTool } from './define.js';
import { bool, int } from './zodx.js';
import { GrepError, sortHits, splitGlobs, type GrepHits, type GrepQuery } from './grepCore.js';
import { grepJs } from './grepJs.js';
import { findRg, grepRg } from './grepRg.js';
import { displayPath, resolveIn } from './paths.js';
import type { ToolContext, ToolResult } from './types.js';

export const DEFAULT_HEAD_LIMIT = 250;
const MAX_LINE = 500;

const schema = z.object({
  pattern: z.string().describe('Regex, ripgrep syntax (escape literal braces and parentheses)'),
  path: z.string().optional().describe('File or directory (default: working directory)'),
  glob: z.string().optional().describe('Only files matching this glob, e.g. "*.ts"'),
  type: z.string().optional().describe('Only files of this type: js, py, rust, ...'),
  output_mode: z.enum(['content', 'files_with_matches', 'count']).optional(),
  '-i': bool().optional().describe('Case-insensitive'),
  '-n': bool().optional().describe('Line numbers (default true)'),
  '-A': int().optional().describe('Lines after each match'),
  '-B': int().optional().describe('Lines before each match'),
  '-C': int().optional().describe('Lines around each match'),
  multiline: bool().optional().describe('Patterns span lines; . matches newlines'),
  head_limit: int().optional().describe(`First N results only (default ${DEFAULT_HEAD_LIMIT})`),
});

export type GrepArgs = z.infer<typeof schema>;
export type GrepBackend = 'auto' | 'rg' | 'js';

export const grepTool = defineTool({
  name: 'Grep',
  description:
    'Search file contents by regular expression (ripgrep; respects .gitignore). output_mode: "files_with_matches" ' +
    '(default, newest first), "content" (path:line:text; -A/-B/-C add context) or "count".',
  schema,
  isReadOnly: () => true,
  execute: (args, ctx) => executeGrep(args, ctx, 'auto'),
});

/** The Grep tool with an explicit backend (tests and benchmarks compare rg and the JS fallback). */
export async function executeGrep(args: GrepArgs, ctx: ToolContext, backend: GrepBackend = 'auto'): Promise<ToolResult> {
  const root = resolveIn(ctx, args.path ?? '.').literal;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    return { output: `Path does not exist: ${root}`, isError: true, summary: 'path not found' };
  }
  const mode = args.output_mode ?? 'files_with_matches';
  const q: GrepQuery = {
    pattern: args.pattern,
    root,
    rootIsFile: !stat.isDirectory(),
    globs: splitGlobs(args.glob),
    type: args.type,
    mode,
    ignoreCase: args['-i'] ?? false,
    before: Math.max(0, args['-B'] ?? args['-C'] ?? 0),
    after: Math.max(0, args['-A'] ?? args['-C'] ?? 0),
    multiline: args.multiline ?? false,
    signal: ctx.signal,
  };
  let hits: GrepHits;
  try {
    const rg = backend === 'js' ? null : await findRg(ctx.env);
    if (backend === 'rg' && !rg) throw new Error('ripgrep not found');
    hits = withoutDenied(sortHits(rg ? await grepRg(rg, q) : await grepJs(q)), ctx.isReadDenied);
  } catch (e) {
    if (e instanceof GrepError) {
      return { output: `Invalid search: ${e.message}`, isError: true, summary: 'invalid pattern' };
    }
    throw e;
  }
  const limit = Math.max(1, args.head_limit ?? DEFAULT_HEAD_LIMIT);
  return formatHits(hits, ctx.cwd, args['-n'] ?? true, limit, q.before + q.after > 0);
}

/** Files a Read deny rule covers are left out of the results (their content must not leak through search). */
function withoutDenied(hits: GrepHits, denied: ((absPath: string) => boolean) | undefined): GrepHits {
  if (!denied) return hits;
  if (hits.mode === 'files_with_matches') return { ...hits, files: hits.files.filter((f) => !denied(f)) };
  if (hits.mode === 'count') return { ...hits, counts: hits.counts.filter((c) => !denied(c.path)) };
  return { ...hits, files: hits.files.filter((f) => !denied(f.path)) };
}

function cut(text: string): string {
  const t = text.endsWith('\r') ? text.slice(0, -1) : text;
  return t.length > MAX_LINE ? `${t.slice(0, MAX_LINE)}... [line truncated]` : t;
}

function limitNote(shown: number, total: number, what: string): string {
  return shown < total ? `\n\n(Showing the first ${shown} of ${total} ${what}. Narrow the search or raise head_limit.)` : '';
}

export function formatHits(hits: GrepHits, cwd: string, numbers: boolean, limit: number, context = false): ToolResult {
  const rel = (p: string) => displayPath(cwd, p);
  if (hits.mode === 'files_with_matches') {
    const n = hits.files.length;
    if (n === 0) return { output: 'No files found', summary: '0 files', display: { kind: 'matches', count: 0 } };
    const shown = hits.files.slice(0, limit).map(rel);
    return {
      output: `Found ${n} file${n === 1 ? '' : 's'}\n${shown.join('\n')}${limitNote(shown.length, n, 'files')}`,
      summary: `${n} file${n === 1 ? '' : 's'}`,
      display: { kind: 'matches', count: n },
    };
  }
  if (hits.mode === 'count') {
    if (hits.counts.length === 0) return { output: 'No matches found', summary: '0 matches', display: { kind: 'matches', count: 0 } };
    const total = hits.counts.reduce((s, c) => s + c.count, 0);
    const shown = hits.counts.slice(0, limit).map((c) => `${rel(c.path)}:${c.count}`);
    const files = hits.counts.length;
    return {
      output:
        `${shown.join('\n')}${limitNote(shown.length, files, 'files')}\n\n` +
        `Found ${total} matching line${total === 1 ? '' : 's'} across ${files} file${files === 1 ? '' : 's'}.`,
      summary: `${total} matches`,
      display: { kind: 'matches', count: total },
    };
  }
  const out: string[] = [];
  let matches = 0;
  for (const file of hits.files) {
    const p = rel(file.path);
    let prev = -1;
    for (const line of file.lines) {
      // "--" between non-adjacent groups, also between files, as ripgrep prints with context.
      if (context && out.length > 0 && line.n !== prev + 1) out.push('--');
      const sep = line.match ? ':' : '-';
      out.push(numbers ? `${p}${sep}${line.n}${sep}${cut(line.text)}` : `${p}${sep}${cut(line.text)}`);
      if (line.match) matches++;
      prev = line.n;
    }
  }
  if (out.length === 0) return { output: 'No matches found', summary: '0 matches', display: { kind: 'matches', count: 0 } };
  const shown = out.slice(0, limit);
  return {
    output: shown.join('\n') + limitNote(shown.length, out.length, 'lines'),
    summary: `${matches} match${matches === 1 ? '' : 'es'}`,
    display: { kind: 'matches', count: matches },
  };
}
