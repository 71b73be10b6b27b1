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

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether an existing lock file is held by a live process (ours counts as live). */
function lockIsLive(lockPath: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, 'utf8');
  } catch {
    return false;
  }
  const [pidText, host] = text.split('\n');
  const pid = Number(pidText);
  // A half-written lock (empty or unparsable): treat as live unless it is old.
  if (!Number.isInteger(pid) || pid <= 0) {
    try {
      return Date.now() - fs.statSync(lockPath).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  if (host && host !== os.hostname()) return true; // cannot check another machine's pids
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
    if (lockIsLive(lockPath)) return undefined;
    // Stale. Move it aside before deciding: if another claw replaced it with a live lock in between,
    // what we moved is that live lock, so put it back and give up.
    const aside = `${lockPath}.${process.pid}.${attempt}`;
    try {
      fs.renameSync(lockPath, aside);
    } catch {
      continue; // someone else moved or removed it first
    }
    const live = lockIsLive(aside);
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
