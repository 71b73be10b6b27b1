// Checkpoints against a real git work tree: what Write/Edit record before changing, what git status
// reveals after a Bash command, and what a code rewind puts back.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCheckpointer } from '../../src/checkpoints/recorder.js';
import { CheckpointStore } from '../../src/checkpoints/store.js';
import { tempDir } from '../helpers/cli.js';

function repo(files: Record<string, string>): string {
  const dir = tempDir('claw-ckpt-');
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '-A');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init');
  return dir;
}

describe('checkpoints', () => {
  it('covers what Bash changed in a git work tree: modified, deleted and created files', async () => {
    const dir = repo({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'dirty.txt': 'd\n' });
    fs.writeFileSync(path.join(dir, 'dirty.txt'), 'dirty before the turn\n');
    const home = tempDir('claw-ckpt-home-');
    const cp = createCheckpointer({ dirFor: (id) => path.join(home, id), cwd: dir });
    await cp.begin('s1', 'run the script', 0);
    // What a Bash command might do:
    fs.writeFileSync(path.join(dir, 'a.txt'), 'changed by bash\n');
    fs.unlinkSync(path.join(dir, 'b.txt'));
    fs.writeFileSync(path.join(dir, 'new.txt'), 'created by bash\n');
    await cp.end(true);

    const store = new CheckpointStore(path.join(home, 's1')); // read back from disk, as after --resume
    const [checkpoint] = store.checkpoints();
    expect(checkpoint!.files.map((f) => path.basename(f)).sort()).toEqual(['a.txt', 'b.txt', 'new.txt']);
    const report = store.restoreCode(checkpoint!.turn);
    expect(report.conflicts).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('a\n');
    expect(fs.readFileSync(path.join(dir, 'b.txt'), 'utf8')).toBe('b\n');
    expect(fs.existsSync(path.join(dir, 'new.txt'))).toBe(false);
    // Dirty before the turn: not covered, left alone.
    expect(fs.readFileSync(path.join(dir, 'dirty.txt'), 'utf8')).toBe('dirty before the turn\n');
    store.dropFrom(checkpoint!.turn);
    expect(store.checkpoints()).toEqual([]);
  });

  it('restores across several turns to the earliest state, and stops at a change made between turns', () => {
    const dir = tempDir('claw-ckpt-plain-');
    const file = path.join(dir, 'f.txt');
    fs.writeFileSync(file, 'v0\n');
    const home = tempDir('claw-ckpt-home-');
    const edit = async (cp: ReturnType<typeof createCheckpointer>, turnPrompt: string, content: string) => {
      await cp.begin('s', turnPrompt, 0);
      cp.beforeWrite(file);
      fs.writeFileSync(file, content);
      await cp.end(false);
    };
    return (async () => {
      const cp = createCheckpointer({ dirFor: (id) => path.join(home, id), cwd: dir });
      await edit(cp, 'one', 'v1\n');
      await edit(cp, 'two', 'v2\n');
      const store = cp.store('s');
      expect(store.checkpoints().map((c) => c.prompt)).toEqual(['one', 'two']);
      expect(store.restoreCode(1).restored).toEqual([file]);
      expect(fs.readFileSync(file, 'utf8')).toBe('v0\n');

      // Edited by hand between two turns: reported, not overwritten.
      store.dropFrom(1);
      await edit(cp, 'three', 'v3\n');
      fs.writeFileSync(file, 'by hand\n');
      await edit(cp, 'four', 'v4\n');
      const turns = store.checkpoints();
      const report = store.restoreCode(turns[0]!.turn);
      expect(report.conflicts).toEqual([{ path: file, why: 'changed outside claw between two prompts' }]);
      expect(fs.readFileSync(file, 'utf8')).toBe('v4\n');
    })();
  });
});
