import { execFile } from 'node:child_process';
import path from 'node:path';
import { gitRepoHazard } from '../permissions/repoFacts.js';
import { clawGitEnv as gitEnv } from '../tools/shell.js';

// What Bash changed, found cheaply through git: a tracked file that was clean when the turn began and is
// not now was changed during the turn, and its content before was HEAD's; an untracked file that was not
// there before was created. Not covered: files already dirty when the turn began, ignored files, files
// outside the repository, and everything when the project is not a git work tree.


function git(cwd: string, args: string[], encoding: 'utf8' | 'buffer' = 'utf8'): Promise<string | Buffer | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, encoding, env: gitEnv(), maxBuffer: 64 * 1024 * 1024, timeout: 10_000 }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}

/** The work tree root containing `cwd`, or undefined. */
export async function gitRoot(cwd: string): Promise<string | undefined> {
  const out = await git(cwd, ['rev-parse', '--show-toplevel']);
  return typeof out === 'string' && out.trim() ? out.trim() : undefined;
}

/**
 * Changed paths (absolute) → porcelain status (`??`, ` M`, `D `, …); renames list both sides. Or why git
 * was not asked (`skipped`), in words for the user.
 */
export async function gitStatus(root: string): Promise<Map<string, string> | { skipped: string }> {
  // `git status` runs the clean filters and diff programs a repository's own config names: a hostile
  // repository would run code through claw's checkpoint. Such a repository gets no Bash change tracking.
  const hazard = gitRepoHazard(root, gitEnv());
  if (hazard) return { skipped: `this repository's git config names programs (${hazard}) that \`git status\` would run, and claw never runs a repository's own programs` };
  const out = await git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  if (typeof out !== 'string') return { skipped: '`git status` failed' };
  const map = new Map<string, string>();
  const parts = out.split('\0');
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i]!;
    if (entry.length < 4) continue;
    const status = entry.slice(0, 2);
    map.set(path.join(root, entry.slice(3)), status);
    // A rename or copy is followed by its source path.
    if (status[0] === 'R' || status[0] === 'C') {
      const from = parts[++i];
      if (from) map.set(path.join(root, from), ' D');
    }
  }
  return map;
}

/** HEAD's content of a file, or undefined when HEAD has no such file. */
export async function headContent(root: string, file: string): Promise<Buffer | undefined> {
  const rel = path.relative(root, file).split(path.sep).join('/');
  const out = await git(root, ['show', '--no-textconv', `HEAD:${rel}`], 'buffer');
  return Buffer.isBuffer(out) ? out : undefined;
}
