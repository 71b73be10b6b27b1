import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { GrepError, type GrepHits, type GrepQuery, type HitLine } from './grepCore.js';

const MAX_STDOUT = 32 * 1024 * 1024;
let cached: string | null | undefined;

/** The ripgrep binary: @vscode/ripgrep's, else `rg` on PATH, else null (JS fallback). */
export async function findRg(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  if (cached !== undefined) return cached;
  try {
    const mod = (await import('@vscode/ripgrep')) as { rgPath: string };
    if (fs.existsSync(mod.rgPath)) return (cached = mod.rgPath);
  } catch {
    // package or platform binary missing
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'rg');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return (cached = candidate);
    } catch {
      // keep looking
    }
  }
  return (cached = null);
}

export function rgArgs(q: GrepQuery): string[] {
  const args = ['--no-config', '--hidden', '--no-require-git', '--null', '--color=never', '--no-messages'];
  for (const dir of ['.git', '.svn', '.hg', '.bzr']) args.push('--glob', `!${dir}`);
  if (q.ignoreCase) args.push('-i');
  if (q.multiline) args.push('-U', '--multiline-dotall');
  for (const g of q.globs) args.push('--glob', g);
  if (q.type) args.push('--type', q.type);
  if (q.mode === 'files_with_matches') args.push('-l');
  else if (q.mode === 'count') args.push('-c', '-H');
  else {
    args.push('-n', '-H', '--no-heading');
    if (q.before) args.push('-B', String(q.before));
    if (q.after) args.push('-A', String(q.after));
  }
  // Globs with a slash are matched relative to rg's cwd, so rg runs in the search root and searches '.'.
  args.push('-e', q.pattern, '--', q.rootIsFile ? q.root : '.');
  return args;
}

export async function grepRg(rg: string, q: GrepQuery): Promise<GrepHits> {
  const cwd = q.rootIsFile ? path.dirname(q.root) : q.root;
  const { stdout, stderr, code } = await run(rg, rgArgs(q), cwd, q.signal);
  const abs = (p: string) => (q.rootIsFile ? p : path.join(q.root, p));
  if (code === 2 && (stdout.length === 0 || /regex|unrecognized|error/i.test(stderr))) {
    throw new GrepError(stderr.trim().replace(/^rg: /, '') || 'ripgrep failed');
  }
  const text = stdout.toString('utf8');
  if (q.mode === 'files_with_matches') return { mode: q.mode, files: text.split('\0').filter(Boolean).map(abs) };
  if (q.mode === 'count') {
    const counts = text
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const z = l.indexOf('\0');
        return { path: abs(l.slice(0, z)), count: Number(l.slice(z + 1)) };
      });
    return { mode: q.mode, counts };
  }
  const byFile = new Map<string, HitLine[]>();
  for (const l of text.split('\n')) {
    const z = l.indexOf('\0');
    if (z < 0) continue; // "--" separators; rebuilt by the formatter
    const file = abs(l.slice(0, z));
    const m = /^(\d+)([:-])/.exec(l.slice(z + 1));
    if (!m) continue;
    const lines = byFile.get(file) ?? [];
    if (!byFile.has(file)) byFile.set(file, lines);
    lines.push({ n: Number(m[1]), text: l.slice(z + 1 + m[0].length), match: m[2] === ':' });
  }
  return { mode: q.mode, files: [...byFile].map(([p, lines]) => ({ path: p, lines })) };
}

function run(cmd: string, args: string[], cwd: string, signal?: AbortSignal): Promise<{ stdout: Buffer; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], signal });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      size += b.length;
      if (size <= MAX_STDOUT) out.push(b);
      else child.kill();
    });
    child.stderr.on('data', (b: Buffer) => {
      if (stderr.length < 10_000) stderr += b.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr, code: code ?? 0 }));
  });
}
