import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { globTool } from '../../src/tools/glob.js';
import { lsTool } from '../../src/tools/ls.js';
import { call, makeCtx, tempDir, write } from './helpers.js';

function tree() {
  const dir = tempDir();
  write(dir, {
    '.gitignore': 'dist/\n*.log\n',
    'src/a.ts': 'a',
    'src/b.ts': 'b',
    'src/deep/c.ts': 'c',
    'src/readme.md': 'r',
    'top.ts': 't',
    'dist/out.ts': 'ignored by .gitignore',
    'debug.log': 'ignored',
    'node_modules/pkg/index.ts': 'skipped',
    '.git/HEAD': 'ref',
    '.hidden/h.ts': 'hidden but not ignored',
  });
  // Distinct mtimes: newest first must be observable.
  const times: Record<string, number> = { 'src/a.ts': 1000, 'src/b.ts': 3000, 'src/deep/c.ts': 2000, 'top.ts': 500, '.hidden/h.ts': 100 };
  for (const [f, t] of Object.entries(times)) fs.utimesSync(path.join(dir, f), t, t);
  return dir;
}

describe('Glob', () => {
  it.each([
    { pattern: '**/*.ts', expected: ['src/b.ts', 'src/deep/c.ts', 'src/a.ts', 'top.ts', '.hidden/h.ts'] },
    { pattern: '*.ts', expected: ['src/b.ts', 'src/deep/c.ts', 'src/a.ts', 'top.ts', '.hidden/h.ts'] },
    { pattern: 'src/*.ts', expected: ['src/b.ts', 'src/a.ts'] },
    { pattern: 'src/**/*.ts', expected: ['src/b.ts', 'src/deep/c.ts', 'src/a.ts'] },
    { pattern: 'node_modules/**/*.ts', expected: ['node_modules/pkg/index.ts'] },
    { pattern: '**/*.log', expected: [] },
  ])('$pattern → newest first, ignoring .gitignore/.git/node_modules', async ({ pattern, expected }) => {
    const dir = tree();
    const r = await call(globTool, { pattern }, makeCtx(dir));
    expect(r.output).toBe(expected.length ? expected.join('\n') : 'No files found');
  });

  it('accepts an absolute pattern, printing paths outside cwd absolutely', async () => {
    const dir = tree();
    const other = makeCtx(path.dirname(dir) === '/' ? dir : path.join(dir, 'src'));
    const r = await call(globTool, { pattern: `${dir}/src/*.ts` }, other);
    expect(r.output).toBe('b.ts\na.ts');
    const out = await call(globTool, { pattern: '*.ts', path: dir }, makeCtx(path.join(dir, 'src', 'deep')));
    expect(out.output.split('\n')[0]).toBe(path.join(dir, 'src/b.ts'));
  });

  it('searches under path, and caps at 100 with a note', async () => {
    const dir = tempDir();
    write(dir, Object.fromEntries(Array.from({ length: 130 }, (_, i) => [`many/f${i}.txt`, 'x'])));
    const r = await call(globTool, { pattern: '*.txt', path: 'many' }, makeCtx(dir));
    const lines = r.output.split('\n');
    expect(lines.filter((l) => l.startsWith('many/'))).toHaveLength(100);
    expect(r.output).toContain('Results are truncated: showing 100 of 130');
  });

  it('in a git repo with node_modules ignored, finds its files only when the pattern names it', async () => {
    const dir = tempDir();
    write(dir, { '.git/HEAD': 'x', '.gitignore': 'node_modules/\n', 'node_modules/p/i.js': '', 'src/s/x.js': '' });
    const ctx = makeCtx(path.join(dir, 'src'));
    expect((await call(globTool, { pattern: '**/*.js', path: dir }, ctx)).output).toBe('s/x.js');
    expect((await call(globTool, { pattern: 'node_modules/**/*.js', path: dir }, ctx)).output).toBe(path.join(dir, 'node_modules/p/i.js'));
  });

  it('respects nested .gitignore files and negation', async () => {
    const dir = tempDir();
    write(dir, { 'pkg/.gitignore': 'gen/\n*.tmp\n!keep.tmp\n', 'pkg/gen/x.ts': '', 'pkg/x.tmp': '', 'pkg/keep.tmp': '', 'pkg/y.ts': '' });
    const r = await call(globTool, { pattern: '**/*' }, makeCtx(dir));
    expect(r.output.split('\n').sort()).toEqual(['pkg/.gitignore', 'pkg/keep.tmp', 'pkg/y.ts']);
  });
});

describe('LS', () => {
  it('prints a tree, skipping hidden, ignored and node_modules entries', async () => {
    const dir = tree();
    const r = await call(lsTool, { path: '.' }, makeCtx(dir));
    expect(r.output).toBe(
      [`- ${dir}/`, '  - src/', '    - a.ts', '    - b.ts', '    - deep/', '      - c.ts', '    - readme.md', '  - top.ts'].join('\n'),
    );
  });

  it('applies ignore globs', async () => {
    const dir = tree();
    const r = await call(lsTool, { path: dir, ignore: ['*.md', 'deep'] }, makeCtx(dir));
    expect(r.output).not.toContain('readme.md');
    expect(r.output).not.toContain('deep');
    expect(r.output).toContain('a.ts');
  });

  it('caps large listings breadth first with a note', async () => {
    const dir = tempDir();
    write(dir, { 'z-top.txt': 'x', ...Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`a/f${i}.txt`, 'x'])) });
    const r = await call(lsTool, { path: '.' }, makeCtx(dir));
    expect(r.output).toMatch(/^There are more than 1000 entries/);
    expect(r.output).toContain('- z-top.txt');
    expect(r.output.split('\n').filter((l) => l.includes('- f'))).toHaveLength(998);
  });

  it('refuses a file or missing path', async () => {
    const dir = tree();
    expect((await call(lsTool, { path: 'top.ts' }, makeCtx(dir))).isError).toBe(true);
    expect((await call(lsTool, { path: 'nope' }, makeCtx(dir))).output).toMatch(/does not exist/);
  });
});
