import fs from 'node:fs';
import os from 'node:os';

// One writer per session file. The lock is `<session>.jsonl.lock`, created with O_EXCL and holding
// "<pid>\n<hostname>\n". A lock whose pid is dead on this host is stale and taken over. Locks held by
// this process are released on exit, including exits through process.exit().

const held = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lockPath of held) {
      try {
        fs.unlinkSync(lockPath);
      } catch {
        // already gone
      }
    }
  });
}

const FOREIGN_LOCK_TTL_MS = 12 * 60 * 60 * 1000;

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the lock file at `file` (the lock for `lockPath`) is held by a live process. Our own pid
 * counts only if this process really holds it: a pid reused after a restart (pid 1 in containers)
 * must not keep a dead claw's lock alive.
 */
function lockIsLive(file: string, lockPath: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  const [pidText, host] = text.split('\n');
  const pid = Number(pidText);
  // A half-written lock (empty or unparsable): treat as live unless it is old.
  if (!Number.isInteger(pid) || pid <= 0) {
    return ageMs(file) < 10_000;
  }
  // Another machine (shared home) or an earlier container with another hostname: its pids cannot be
  // checked here, so trust the lock while it is recent and treat it as abandoned after a while.
  if (host && host !== os.hostname()) return ageMs(file) < FOREIGN_LOCK_TTL_MS;
  if (pid === process.pid) return held.has(lockPath);
  return pidAlive(pid);
}

/** Tries to take the lock for a session file. Returns the lock path, or undefined when another live claw holds it. */
export function acquireLock(sessionPath: string): string | undefined {
  const lockPath = `${sessionPath}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600);
      fs.writeSync(fd, `${process.pid}\n${os.hostname()}\n`);
      fs.closeSync(fd);
      held.add(lockPath);
      installExitHook();
      return lockPath;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (lockIsLive(lockPath, lockPath)) return undefined;
    // Stale. Move it aside before deciding: if another claw replaced it with a live lock in between,
    // what we moved is that live lock, so put it back and give up.
    const aside = `${lockPath}.${process.pid}.${attempt}`;
    try {
      fs.renameSync(lockPath, aside);
    } catch {
      continue; // someone else moved or removed it first
    }
    const live = lockIsLive(aside, lockPath);
    if (live) {
      try {
        fs.linkSync(aside, lockPath);
      } catch {
        // a third claw already holds a new lock
      }
    }
    fs.rmSync(aside, { force: true });
    if (live) return undefined;
  }
  return undefined;
}

export function releaseLock(lockPath: string): void {
  if (!held.delete(lockPath)) return;
  try {
    fs.unlinkSync(lockPath);
  } catch {
    // already gone
  }
}
