// Checkpoints against a real git work tree: what Write/Edit record before changing, what git status
// reveals after a Bash command, and what a code rewind puts back.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCheckpointer } from '../../src/checkpoints/recorder.js';
import { CheckpointStore } from '../../src/checkpoints/store.js';
import { describeRewind, rewind, type Rewindable } from '../../src/checkpoints/rewind.js';
import type { ChatMessage } from '../../src/core/messages.js';
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

  it('a code-only rewind keeps the later checkpoints, and the code can go forward to one again; Write-made directories go when empty', async () => {
    const dir = repo({ 'a.txt': 'a0\n' });
    const home = tempDir('claw-ckpt-home-');
    const cp = createCheckpointer({ dirFor: (id) => path.join(home, id), cwd: dir });
    const a = path.join(dir, 'a.txt');
    const deep = path.join(dir, 'src', 'lib', 'new.ts');
    const write = (file: string, content: string) => {
      cp.beforeWrite(file); // as the Write tool does, before it makes the directories
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    };
    // A conversation the rewind can cut: one user message per prompt.
    const messages: ChatMessage[] = [];
    const agent: Rewindable = { messages, rewindConversation: (keep) => void messages.splice(keep) };
    const prompt = async (text: string, work: () => void) => {
      await cp.begin('s', text, messages.length);
      messages.push({ role: 'user', content: text }, { role: 'assistant', content: 'done' });
      work();
      await cp.end(false);
    };
    await prompt('one', () => write(a, 'a1\n'));
    await prompt('two', () => write(deep, 'export {};\n'));
    await prompt('three', () => write(a, 'a3\n'));
    const store = cp.store('s');
    const [one, two, three] = store.checkpoints();

    const back = rewind(store, agent, two!.turn, 'code')!;
    expect(fs.readFileSync(a, 'utf8')).toBe('a1\n');
    expect(fs.existsSync(path.join(dir, 'src'))).toBe(false); // src/lib/new.ts deleted, src/lib and src removed
    expect(back.code!.removedDirs.map((d) => path.relative(dir, d))).toEqual(['src/lib', 'src']);
    expect(describeRewind(back, dir)).toContain('  removed src/lib/ (created with those files, now empty)');
    // The conversation keeps all three prompts, and so does the list.
    expect(messages).toHaveLength(6);
    expect(store.checkpoints().map((c) => c.prompt)).toEqual(['one', 'two', 'three']);

    // Forward again: the code as it was when "three" was sent (after "two").
    const forward = store.restoreCode(three!.turn);
    expect(forward.conflicts).toEqual([]);
    expect(fs.readFileSync(deep, 'utf8')).toBe('export {};\n');
    expect(fs.readFileSync(a, 'utf8')).toBe('a1\n');
    // And back to the very start, from a fresh read of the index (as after --resume).
    const reread = new CheckpointStore(store.dir);
    const start = reread.restoreCode(one!.turn);
    expect(start.conflicts).toEqual([]);
    expect(fs.readFileSync(a, 'utf8')).toBe('a0\n');
    expect(fs.existsSync(path.join(dir, 'src'))).toBe(false);

    // A directory the user put a file into is left standing.
    await prompt('four', () => write(deep, 'x\n'));
    fs.writeFileSync(path.join(dir, 'src', 'mine.txt'), 'mine\n');
    const kept = store.restoreCode(store.checkpoints().at(-1)!.turn);
    expect(kept.deleted).toEqual([deep]);
    expect(kept.removedDirs.map((d) => path.relative(dir, d))).toEqual(['src/lib']);
    expect(fs.readFileSync(path.join(dir, 'src', 'mine.txt'), 'utf8')).toBe('mine\n');

    // Code and conversation: the conversation is cut and that prompt and the later ones leave the list.
    const both = rewind(store, agent, two!.turn, 'both')!;
    expect(both.conversation).toBe(true);
    expect(messages.map((m) => m.content)).toEqual(['one', 'done']);
    expect(store.checkpoints().map((c) => c.prompt)).toEqual(['one']);
  });

  it('says plainly when Bash changes were not recorded because the repository names git filter programs', async () => {
    const dir = repo({ 'a.txt': 'a\n' });
    execFileSync('git', ['config', 'filter.planted.clean', 'touch /tmp/claw-should-never-run'], { cwd: dir });
    const home = tempDir('claw-ckpt-home-');
    const cp = createCheckpointer({ dirFor: (id) => path.join(home, id), cwd: dir });
    await cp.begin('s', 'run the script', 0);
    fs.writeFileSync(path.join(dir, 'a.txt'), 'changed by bash\n');
    await cp.end(true);
    const store = cp.store('s');
    const [checkpoint] = store.checkpoints();
    expect(checkpoint!.files).toEqual([]);
    expect(checkpoint!.bashNotCovered).toContain('filter.planted.clean');
    const agent: Rewindable = { messages: [{ role: 'user', content: 'run the script' }], rewindConversation: () => undefined };
    const lines = describeRewind(rewind(store, agent, checkpoint!.turn, 'code')!, dir);
    expect(lines.join('\n')).toMatch(/Changes made by Bash in "run the script" were not recorded, so they were not undone: this repository's git config names programs \(filter\.planted\.clean\)/);
    expect(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('changed by bash\n');
  });

  it('says so when Bash ran outside a git work tree', async () => {
    const dir = tempDir('claw-ckpt-nogit-');
    const home = tempDir('claw-ckpt-home-');
    const cp = createCheckpointer({ dirFor: (id) => path.join(home, id), cwd: dir });
    await cp.begin('s', 'build', 0);
    await cp.end(true);
    expect(cp.store('s').checkpoints()[0]!.bashNotCovered).toBe('the project is not a git work tree');
  });
});
