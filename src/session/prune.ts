import fs from 'node:fs/promises';
import path from 'node:path';

// Session retention (Claude Code's `cleanupPeriodDays`, default 30): a session whose file was last written
// before the cut-off is deleted together with its own directory `<id>/` (checkpoints, subagent sidechains,
// large tool results). A `<id>/` directory whose session file is gone (deleted by hand or by an older claw)
// goes too, an hour after its last write (a turn records its checkpoint a moment before the session file
// is first written, so a brand-new one is left alone). A session another claw holds open (its `.lock` exists) is kept.
// It runs in the background after start-up, asynchronously, so it never delays the first frame.

export const DEFAULT_CLEANUP_PERIOD_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const ORPHAN_GRACE_MS = 60 * 60 * 1000;

export interface PruneOptions {
  projectsDir: string;
  days: number;
  now: () => Date;
  /** Session ids never deleted (the one this claw is using). */
  keep?: ReadonlySet<string>;
}

export interface PruneReport {
  sessions: string[];
  orphanDirs: string[];
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}

async function mtime(file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Latest write anywhere in a session's side directory (checkpoints and sidechains are written there). */
async function newestIn(dir: string, depth = 3): Promise<number> {
  let newest = (await mtime(dir)) ?? 0;
  if (depth === 0) return newest;
  for (const name of await entries(dir)) {
    const child = path.join(dir, name);
    const stat = await fs.lstat(child).catch(() => undefined);
    if (!stat) continue;
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) newest = Math.max(newest, await newestIn(child, depth - 1));
  }
  return newest;
}

export async function pruneSessions(opts: PruneOptions): Promise<PruneReport> {
  const report: PruneReport = { sessions: [], orphanDirs: [] };
  const cutoff = opts.now().getTime() - opts.days * DAY_MS;
  for (const project of await entries(opts.projectsDir)) {
    const dir = path.join(opts.projectsDir, project);
    const names = await entries(dir);
    const present = new Set(names);
    for (const name of names) {
      const full = path.join(dir, name);
      if (name.endsWith('.jsonl')) {
        const id = name.slice(0, -'.jsonl'.length);
        if (opts.keep?.has(id) || present.has(`${name}.lock`)) continue;
        const last = await mtime(full);
        if (last === undefined || last >= cutoff) continue;
        // A subagent or checkpoint written later than the main file is activity too.
        const side = path.join(dir, id);
        if (present.has(id) && (await newestIn(side)) >= cutoff) continue;
        await fs.rm(full, { force: true });
        await fs.rm(side, { recursive: true, force: true });
        report.sessions.push(id);
      } else if (!name.includes('.') && !present.has(`${name}.jsonl`) && !opts.keep?.has(name)) {
        // A side directory without its session: the session was removed some other way.
        const stat = await fs.lstat(full).catch(() => undefined);
        if (!stat?.isDirectory() || (await newestIn(full)) >= opts.now().getTime() - ORPHAN_GRACE_MS) continue;
        await fs.rm(full, { recursive: true, force: true });
        report.orphanDirs.push(name);
      }
    }
  }
  return report;
}
