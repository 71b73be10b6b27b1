import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTool } from '../../src/tools/read.js';
import { call, makeCtx, tempDir, write } from './helpers.js';

describe('Read', () => {
  it('numbers lines cat -n style with a 6-wide number and a tab, and records the read', async () => {
    const dir = tempDir();
    write(dir, { 'a.txt': 'alpha\r\nbeta\r\n' });
    const ctx = makeCtx(dir);
    const r = await call(readTool, { file_path: 'a.txt' }, ctx);
    expect(r.isError).toBeFalsy();
    expect(r.output).toBe('     1\talpha\n     2\tbeta');
    expect(r.summary).toBe('2 lines');
    expect(ctx.readFiles.has(path.join(dir, 'a.txt'))).toBe(true);
  });

  it.each([
    { name: 'offset+limit', args: { offset: 3, limit: 2 }, first: '     3\tl3', last: '     4\tl4', more: false },
    { name: 'default window is 2000 lines', args: {}, first: '     1\tl1', last: '  2000\tl2000', more: true },
    { name: 'tail', args: { offset: 2499 }, first: '  2499\tl2499', last: '  2500\tl2500', more: false },
  ])('pages: $name', async ({ args, first, last, more }) => {
    const dir = tempDir();
    write(dir, { 'big.txt': Array.from({ length: 2500 }, (_, i) => `l${i + 1}`).join('\n') + '\n' });
    const r = await call(readTool, { file_path: path.join(dir, 'big.txt'), ...args }, makeCtx(dir));
    const lines = r.output.split('\n');
    expect(lines[0]).toBe(first);
    const numbered = lines.filter((l) => /^\s+\d+\t/.test(l));
    expect(numbered[numbered.length - 1]).toBe(last);
    expect(r.output.includes('Use offset=')).toBe(more);
  });

  it('cuts lines longer than 2000 characters', async () => {
    const dir = tempDir();
    write(dir, { 'long.txt': 'x'.repeat(5000) + '\nshort\n' });
    const r = await call(readTool, { file_path: 'long.txt' }, makeCtx(dir));
    const first = r.output.split('\n')[0]!;
    expect(first.length).toBeLessThan(2100);
    expect(first).toContain('truncated');
    expect(r.output).toContain('     2\tshort');
  });

  it.each([
    { name: 'missing file', setup: {}, file: 'nope.txt', expect: /^File does not exist\./ },
    { name: 'directory', setup: { 'sub/x': 'x' }, file: 'sub', expect: /directory.*LS/ },
    { name: 'binary (NUL byte)', setup: { 'b.dat2': Buffer.from([1, 2, 0, 3]) }, file: 'b.dat2', expect: /binary file/ },
    { name: 'binary (extension)', setup: { 'i.png': 'not really' }, file: 'i.png', expect: /binary file/ },
  ])('refuses: $name', async ({ setup, file, expect: re }) => {
    const dir = tempDir();
    write(dir, setup as Record<string, string | Buffer>);
    const r = await call(readTool, { file_path: file }, makeCtx(dir));
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(re);
  });

  it('suggests a similarly named file when missing', async () => {
    const dir = tempDir();
    write(dir, { 'Config.ts': 'x' });
    const r = await call(readTool, { file_path: 'config.ts' }, makeCtx(dir));
    expect(r.output).toContain('Did you mean');
  });

  it('refuses a too-large file whole, giving its size, but pages it with offset/limit', async () => {
    const dir = tempDir();
    write(dir, { 'huge.txt': 'y'.repeat(100) + '\n'.repeat(1) + ('z'.repeat(99) + '\n').repeat(5000) });
    const whole = await call(readTool, { file_path: 'huge.txt' }, makeCtx(dir));
    expect(whole.isError).toBe(true);
    expect(whole.output).toMatch(/\(488.4 KB\) exceeds maximum allowed size .*offset and limit/);
    const part = await call(readTool, { file_path: 'huge.txt', offset: 10, limit: 3 }, makeCtx(dir));
    expect(part.isError).toBeFalsy();
    expect(part.output.split('\n').slice(0, 3).map((l) => l.split('\t')[0]!.trim())).toEqual(['10', '11', '12']);
  });

  it('warns on an empty file and on an offset past the end', async () => {
    const dir = tempDir();
    write(dir, { 'e.txt': '', 's.txt': 'a\nb\n' });
    expect((await call(readTool, { file_path: 'e.txt' }, makeCtx(dir))).output).toBe(
      '<system-reminder>Warning: the file exists but the contents are empty.</system-reminder>',
    );
    expect((await call(readTool, { file_path: 's.txt', offset: 10 }, makeCtx(dir))).output).toMatch(/shorter than the provided offset \(10\). The file has 2 lines/);
  });

  it('strips a BOM from the shown text', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'bom.txt'), '\ufeffhello\n');
    expect((await call(readTool, { file_path: 'bom.txt' }, makeCtx(dir))).output).toBe('     1\thello');
  });
});
