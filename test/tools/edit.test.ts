import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editTool } from '../../src/tools/edit.js';
import { multiEditTool } from '../../src/tools/multiEdit.js';
import { readTool } from '../../src/tools/read.js';
import { writeTool } from '../../src/tools/write.js';
import { call, makeCtx, tempDir, write } from './helpers.js';

async function setup(files: Record<string, string | Buffer>, readFirst = true) {
  const dir = tempDir();
  write(dir, files);
  const ctx = makeCtx(dir);
  if (readFirst) for (const f of Object.keys(files)) await call(readTool, { file_path: f }, ctx);
  const p = (f: string) => path.join(dir, f);
  return { dir, ctx, p, bytes: (f: string) => fs.readFileSync(p(f)) };
}

describe('read-before-write rule', () => {
  it.each([
    { tool: 'Write', run: (ctx: any) => call(writeTool, { file_path: 'f.txt', content: 'new\n' }, ctx) },
    { tool: 'Edit', run: (ctx: any) => call(editTool, { file_path: 'f.txt', old_string: 'old', new_string: 'new' }, ctx) },
    { tool: 'MultiEdit', run: (ctx: any) => call(multiEditTool, { file_path: 'f.txt', edits: [{ old_string: 'old', new_string: 'new' }] }, ctx) },
  ])('$tool refuses an existing file that was not read, and one changed since the read', async ({ run }) => {
    const s = await setup({ 'f.txt': 'old\n' }, false);
    const notRead = await run(s.ctx);
    expect(notRead.isError).toBe(true);
    expect(notRead.output).toBe('File has not been read yet. Read it first before writing to it.');
    await call(readTool, { file_path: 'f.txt' }, s.ctx);
    fs.writeFileSync(s.p('f.txt'), 'old but changed by the user\n');
    const stale = await run(s.ctx);
    expect(stale.isError).toBe(true);
    expect(stale.output).toMatch(/^File has been modified since read/);
    expect(s.bytes('f.txt').toString()).toBe('old but changed by the user\n');
  });

  it('accepts a touched but unchanged file', async () => {
    const s = await setup({ 'f.txt': 'old\n' });
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(s.p('f.txt'), later, later);
    const r = await call(editTool, { file_path: 'f.txt', old_string: 'old', new_string: 'new' }, s.ctx);
    expect(r.isError).toBeFalsy();
    expect(s.bytes('f.txt').toString()).toBe('new\n');
  });

  it('allows consecutive edits without re-reading, and a new file needs no read', async () => {
    const s = await setup({ 'f.txt': 'a b c\n' });
    await call(editTool, { file_path: 'f.txt', old_string: 'a', new_string: 'A' }, s.ctx);
    const r2 = await call(editTool, { file_path: 'f.txt', old_string: 'b', new_string: 'B' }, s.ctx);
    expect(r2.isError).toBeFalsy();
    expect(s.bytes('f.txt').toString()).toBe('A B c\n');
    const w = await call(writeTool, { file_path: 'deep/new/file.txt', content: 'hi\n' }, s.ctx);
    expect(w.output).toBe(`File created successfully at: ${s.p('deep/new/file.txt')}`);
    const e = await call(editTool, { file_path: 'deep/new/file.txt', old_string: 'hi', new_string: 'ho' }, s.ctx);
    expect(e.isError).toBeFalsy();
  });
});

describe('format preservation', () => {
  it.each([
    { name: 'CRLF stays CRLF', before: 'one\r\ntwo\r\nthree\r\n', old: 'two', neu: 'TWO\nextra', after: 'one\r\nTWO\r\nextra\r\nthree\r\n' },
    { name: 'CRLF old_string given with CRLF', before: 'one\r\ntwo\r\n', old: 'one\r\ntwo', neu: 'x', after: 'x\r\n' },
    { name: 'BOM kept', before: '\ufeffhello\n', old: 'hello', neu: 'bye', after: '\ufeffbye\n' },
    { name: 'no trailing newline kept', before: 'a\nb', old: 'b', neu: 'c', after: 'a\nc' },
    { name: 'trailing newline kept', before: 'a\nb\n', old: 'b', neu: 'c', after: 'a\nc\n' },
    { name: 'mixed endings edited byte-for-byte', before: 'a\r\nb\nc\r\n', old: 'b', neu: 'B', after: 'a\r\nB\nc\r\n' },
  ])('Edit: $name', async ({ before, old, neu, after }) => {
    const s = await setup({ 'f.txt': before });
    const r = await call(editTool, { file_path: 'f.txt', old_string: old, new_string: neu }, s.ctx);
    expect(r.isError, r.output).toBeFalsy();
    expect(s.bytes('f.txt').toString()).toBe(after);
  });

  it.each([
    { name: 'CRLF', before: 'x\r\ny\r\n', content: 'p\nq\n', after: 'p\r\nq\r\n' },
    { name: 'BOM', before: '\ufeffx\n', content: 'y\n', after: '\ufeffy\n' },
    { name: 'adds missing trailing newline', before: 'x\n', content: 'y', after: 'y\n' },
    { name: 'keeps absent trailing newline', before: 'x', content: 'y\n', after: 'y' },
  ])('Write: $name', async ({ before, content, after }) => {
    const s = await setup({ 'f.txt': before });
    const r = await call(writeTool, { file_path: 'f.txt', content }, s.ctx);
    expect(r.isError).toBeFalsy();
    expect(r.output).toBe(`The file ${s.p('f.txt')} has been updated successfully.`);
    expect(s.bytes('f.txt').toString()).toBe(after);
  });

  it('keeps the file mode and writes through a symlink to its target', async () => {
    const s = await setup({ 'real/script.sh': '#!/bin/sh\necho hi\n' }, false);
    fs.chmodSync(s.p('real/script.sh'), 0o751);
    fs.symlinkSync(s.p('real/script.sh'), s.p('link.sh'));
    await call(readTool, { file_path: 'link.sh' }, s.ctx);
    const r = await call(editTool, { file_path: 'link.sh', old_string: 'hi', new_string: 'bye' }, s.ctx);
    expect(r.isError, r.output).toBeFalsy();
    expect(fs.lstatSync(s.p('link.sh')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(s.p('real/script.sh'), 'utf8')).toBe('#!/bin/sh\necho bye\n');
    expect(fs.statSync(s.p('real/script.sh')).mode & 0o7777).toBe(0o751);
    // Atomic write leaves no temp files behind.
    expect(fs.readdirSync(s.p('real'))).toEqual(['script.sh']);
  });
});

describe('symlinks and ownership', () => {
  it('Write through a dangling symlink creates the target and keeps the link', async () => {
    const s = await setup({});
    fs.symlinkSync(s.p('target.txt'), s.p('link.txt'));
    const r = await call(writeTool, { file_path: 'link.txt', content: 'x\n' }, s.ctx);
    expect(r.isError, r.output).toBeFalsy();
    expect(fs.lstatSync(s.p('link.txt')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(s.p('target.txt'), 'utf8')).toBe('x\n');
  });

  it('a file Read through a symlink may be edited through its real path (same record)', async () => {
    const s = await setup({ 'real.txt': 'a\n' }, false);
    fs.symlinkSync(s.p('real.txt'), s.p('alias.txt'));
    await call(readTool, { file_path: 'alias.txt' }, s.ctx);
    const r = await call(editTool, { file_path: 'real.txt', old_string: 'a', new_string: 'b' }, s.ctx);
    expect(r.isError, r.output).toBeFalsy();
  });

  it.runIf(process.getuid?.() === 0)('keeps the owner when running as root', async () => {
    const s = await setup({ 'o.txt': 'a\n' }, false);
    fs.chownSync(s.p('o.txt'), 1234, 2345);
    await call(readTool, { file_path: 'o.txt' }, s.ctx);
    await call(editTool, { file_path: 'o.txt', old_string: 'a', new_string: 'b' }, s.ctx);
    const st = fs.statSync(s.p('o.txt'));
    expect([st.uid, st.gid]).toEqual([1234, 2345]);
  });
});

describe('Edit matching', () => {
  it('refuses to edit a file that is not valid UTF-8 (it would corrupt other bytes)', async () => {
    const latin1 = Buffer.from('caf\xe9 = 1\n', 'latin1');
    const s = await setup({ 'l.txt': latin1 });
    const r = await call(editTool, { file_path: 'l.txt', old_string: '1', new_string: '2' }, s.ctx);
    expect(r.isError).toBe(true);
    expect(r.output).toContain('not valid UTF-8');
    expect(s.bytes('l.txt').equals(latin1)).toBe(true);
  });

  it.each([
    { name: '$& is literal', old: 'X', neu: "$&-$1-$$-$'", after: "a $&-$1-$$-$' b\n" },
    { name: '$1 is literal with replace_all', old: 'X', neu: '$1', all: true, after: 'a $1 b\n' },
  ])('$name', async ({ old, neu, all, after }) => {
    const s = await setup({ 'f.txt': 'a X b\n' });
    const r = await call(editTool, { file_path: 'f.txt', old_string: old, new_string: neu, replace_all: all }, s.ctx);
    expect(r.isError).toBeFalsy();
    expect(s.bytes('f.txt').toString()).toBe(after);
  });

  it('not unique: gives the count and the line numbers, changes nothing', async () => {
    const s = await setup({ 'f.txt': 'foo\nbar\nfoo\nbaz\nfoo\n' });
    const r = await call(editTool, { file_path: 'f.txt', old_string: 'foo', new_string: 'qux' }, s.ctx);
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/^Found 3 matches of the string to replace, but replace_all is false/);
    expect(r.output).toContain('lines: 1, 3, 5');
    expect(s.bytes('f.txt').toString()).toBe('foo\nbar\nfoo\nbaz\nfoo\n');
    const all = await call(editTool, { file_path: 'f.txt', old_string: 'foo', new_string: 'qux', replace_all: true }, s.ctx);
    expect(all.output).toContain('All 3 occurrences');
    expect(s.bytes('f.txt').toString()).toBe('qux\nbar\nqux\nbaz\nqux\n');
  });

  it('not found: shows the closest lines, numbered', async () => {
    const s = await setup({ 'f.ts': 'function add(a, b) {\n  return a + b;\n}\n\nexport default add;\n' });
    const r = await call(editTool, { file_path: 'f.ts', old_string: 'function add(a,b) {\n    return a+b;', new_string: 'x' }, s.ctx);
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/^String to replace not found in file\.\nString: function add/);
    expect(r.output).toContain('     1\tfunction add(a, b) {');
    expect(r.output).toContain('     2\t  return a + b;');
  });

  it('tolerates Read line-number prefixes pasted into old_string', async () => {
    const s = await setup({ 'f.txt': 'alpha\nbeta\n' });
    const r = await call(editTool, { file_path: 'f.txt', old_string: '     2\tbeta', new_string: '     2\tgamma' }, s.ctx);
    expect(r.isError, r.output).toBeFalsy();
    expect(s.bytes('f.txt').toString()).toBe('alpha\ngamma\n');
  });

  it.each([
    { name: 'identical strings', args: { old_string: 'a', new_string: 'a' }, re: /^No changes to make/ },
    { name: 'empty old_string on existing file', args: { old_string: '', new_string: 'a' }, re: /^Cannot create new file - file already exists\./ },
  ])('refuses $name', async ({ args, re }) => {
    const s = await setup({ 'f.txt': 'a\n' });
    const r = await call(editTool, { file_path: 'f.txt', ...args }, s.ctx);
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(re);
  });

  it('empty old_string on a missing file creates it; returns a diff display', async () => {
    const s = await setup({});
    const r = await call(editTool, { file_path: 'n/new.txt', old_string: '', new_string: 'hello\n' }, s.ctx);
    expect(r.isError).toBeFalsy();
    expect(s.bytes('n/new.txt').toString()).toBe('hello\n');
    expect(r.display).toMatchObject({ kind: 'diff', added: 1, removed: 0 });
  });

  it('result has a compact diff and a numbered snippet', async () => {
    const s = await setup({ 'f.txt': Array.from({ length: 20 }, (_, i) => `line${i + 1}`).join('\n') + '\n' });
    const r = await call(editTool, { file_path: 'f.txt', old_string: 'line10', new_string: 'LINE10' }, s.ctx);
    expect(r.display).toMatchObject({ kind: 'diff', added: 1, removed: 1 });
    const d = (r.display as { diff: string }).diff;
    expect(d).toContain('@@ -7,7 +7,7 @@');
    expect(d).toContain('-line10\n+LINE10');
    expect(r.summary).toBe('1 addition, 1 removal');
    expect(r.output).toContain('    10\tLINE10');
  });
});

describe('MultiEdit', () => {
  it('applies edits in order, each on the previous result', async () => {
    const s = await setup({ 'f.txt': 'a\nb\n' });
    const r = await call(
      multiEditTool,
      { file_path: 'f.txt', edits: [{ old_string: 'a', new_string: 'c' }, { old_string: 'c\nb', new_string: 'done' }] },
      s.ctx,
    );
    expect(r.isError, r.output).toBeFalsy();
    expect(s.bytes('f.txt').toString()).toBe('done\n');
  });

  it.each([
    { name: 'second edit not found', edits: [{ old_string: 'a', new_string: 'A' }, { old_string: 'zzz', new_string: 'y' }], re: /Edit 2 of 2 failed; no edits were applied\.\nString to replace not found/ },
    { name: 'second edit not unique', edits: [{ old_string: 'a', new_string: 'b' }, { old_string: 'b', new_string: 'c' }], re: /Edit 2 of 2 failed.*\nFound 2 matches/ },
    { name: 'first edit no-op', edits: [{ old_string: 'a', new_string: 'a' }], re: /Edit 1 of 1 failed.*\nNo changes to make/ },
  ])('all or nothing: $name', async ({ edits, re }) => {
    const s = await setup({ 'f.txt': 'a\nb\n' });
    const before = s.bytes('f.txt');
    const r = await call(multiEditTool, { file_path: 'f.txt', edits }, s.ctx);
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(re);
    expect(s.bytes('f.txt').equals(before)).toBe(true);
  });

  it('creates a file when the first old_string is empty', async () => {
    const s = await setup({});
    const r = await call(
      multiEditTool,
      { file_path: 'x.txt', edits: [{ old_string: '', new_string: 'one two\n' }, { old_string: 'two', new_string: '2' }] },
      s.ctx,
    );
    expect(r.isError, r.output).toBeFalsy();
    expect(s.bytes('x.txt').toString()).toBe('one 2\n');
  });
});
