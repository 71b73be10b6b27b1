// Session retention on real files with a fake clock: old sessions go with their checkpoints and
// sidechains; recent, locked and kept ones stay; a side directory whose session is gone goes too.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneSessions } from '../../src/session/prune.js';
import { tempDir } from '../helpers/cli.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-06-01T12:00:00Z');

function at(file: string, daysAgo: number): void {
  const t = new Date(NOW.getTime() - daysAgo * DAY);
  fs.utimesSync(file, t, t);
}

/** A session file plus its side directory (checkpoints and a subagent sidechain), all `daysAgo` old. */
function session(dir: string, id: string, daysAgo: number): void {
  const file = path.join(dir, `${id}.jsonl`);
  fs.writeFileSync(file, '{"type":"user"}\n');
  const side = path.join(dir, id);
  fs.mkdirSync(path.join(side, 'checkpoints', 'blobs'), { recursive: true });
  fs.mkdirSync(path.join(side, 'subagents'), { recursive: true });
  const files = [
    path.join(side, 'checkpoints', 'index.jsonl'),
    path.join(side, 'checkpoints', 'blobs', 'abc'),
    path.join(side, 'subagents', 'agent-1.jsonl'),
  ];
  for (const f of files) fs.writeFileSync(f, 'x');
  for (const f of [...files, path.join(side, 'checkpoints', 'blobs'), path.join(side, 'checkpoints'), path.join(side, 'subagents'), side, file]) at(f, daysAgo);
}

describe('session retention (cleanupPeriodDays)', () => {
  it('deletes sessions older than the period with their checkpoints and sidechains, keeps the rest', async () => {
    const projects = tempDir('claw-prune-');
    const a = path.join(projects, '-work-a');
    const b = path.join(projects, '-work-b');
    fs.mkdirSync(a);
    fs.mkdirSync(b);
    session(a, 'old', 40);
    session(a, 'recent', 3);
    session(b, 'old-b', 31);
    session(b, 'locked', 90);
    fs.writeFileSync(path.join(b, 'locked.jsonl.lock'), `${process.pid}\nhost\n`);
    session(b, 'current', 90);
    // A session whose file is old but whose subagent wrote yesterday is still active.
    session(a, 'busy', 60);
    at(path.join(a, 'busy', 'subagents', 'agent-1.jsonl'), 1);
    // Checkpoints left without their session (the .jsonl was removed some other way).
    session(a, 'orphan', 2);
    fs.rmSync(path.join(a, 'orphan.jsonl'));

    const report = await pruneSessions({ projectsDir: projects, days: 30, now: () => NOW, keep: new Set(['current']) });
    expect(report.sessions.sort()).toEqual(['old', 'old-b']);
    expect(report.orphanDirs).toEqual(['orphan']);
    expect(fs.readdirSync(a).sort()).toEqual(['busy', 'busy.jsonl', 'recent', 'recent.jsonl']);
    expect(fs.readdirSync(b).sort()).toEqual(['current', 'current.jsonl', 'locked', 'locked.jsonl', 'locked.jsonl.lock']);
    expect(fs.existsSync(path.join(a, 'recent', 'checkpoints', 'index.jsonl'))).toBe(true);

    // A shorter period reaches the recent one; the clock decides, not the machine's time.
    const later = await pruneSessions({ projectsDir: projects, days: 2, now: () => NOW, keep: new Set(['current']) });
    expect(later.sessions).toEqual(['recent']);
    expect(fs.existsSync(path.join(a, 'recent'))).toBe(false);
  });

  it('leaves a side directory alone while it is new (a turn records its checkpoint before the session file exists)', async () => {
    const projects = tempDir('claw-prune-');
    const dir = path.join(projects, '-p');
    fs.mkdirSync(path.join(dir, 'fresh', 'checkpoints'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'fresh', 'checkpoints', 'index.jsonl'), 'x');
    for (const f of [path.join(dir, 'fresh', 'checkpoints', 'index.jsonl'), path.join(dir, 'fresh', 'checkpoints'), path.join(dir, 'fresh')]) {
      fs.utimesSync(f, new Date(NOW.getTime() - 60_000), new Date(NOW.getTime() - 60_000));
    }
    const report = await pruneSessions({ projectsDir: projects, days: 30, now: () => NOW });
    expect(report).toEqual({ sessions: [], orphanDirs: [] });
    expect(fs.existsSync(path.join(dir, 'fresh', 'checkpoints', 'index.jsonl'))).toBe(true);
  });

  it('does nothing when there is no projects directory yet', async () => {
    const report = await pruneSessions({ projectsDir: path.join(tempDir('claw-prune-'), 'missing'), days: 30, now: () => NOW });
    expect(report).toEqual({ sessions: [], orphanDirs: [] });
  });
});
