import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownFiles, readText, sortedEntries } from '../../src/config/markdownFiles.js';

describe('extension folders', () => {
  it('names .md files as Claude Code names commands (sub:name), in name order, and skips other files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-md-'));
    fs.mkdirSync(path.join(dir, 'git'));
    fs.writeFileSync(path.join(dir, 'b.md'), 'b');
    fs.writeFileSync(path.join(dir, 'a.md'), 'a');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
    fs.writeFileSync(path.join(dir, 'git', 'commit.md'), 'c');
    expect(markdownFiles(dir).map((f) => f.name)).toEqual(['a', 'b', 'git:commit']);
    expect(markdownFiles(dir, false).map((f) => f.name)).toEqual(['a', 'b']);
  });

  it('a missing folder or file is simply absent', () => {
    const missing = path.join(os.tmpdir(), 'claw-no-such-folder-' + process.pid);
    expect(markdownFiles(missing)).toEqual([]);
    expect(sortedEntries(missing)).toEqual([]);
    expect(readText(path.join(missing, 'x.md'))).toBeUndefined();
  });
});
