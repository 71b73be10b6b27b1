import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { executeGrep, type GrepArgs } from '../../src/tools/grep.js';
import { findRg } from '../../src/tools/grepRg.js';
import { makeCtx, tempDir, write } from './helpers.js';

let dir: string;

beforeAll(async () => {
  expect(await findRg()).toBeTruthy();
  dir = tempDir('claw-grep-');
  write(dir, {
    '.gitignore': 'build/\n*.gen.ts\n',
    'src/app.ts': 'import { helper } from "./util";\n// TODO: wire up\nexport function main() {\n  return helper(1);\n}\n',
    'src/util.ts': 'export function helper(x: number) {\n  return x + 1; // todo later\n}\n\n\n\nexport const HELPER_NAME = "helper";\n',
    'src/view.tsx': 'export const View = () => <div>helper</div>;\n',
    'src/skip.gen.ts': 'helper generated\n',
    'lib/a.js': 'function helper() {}\nmodule.exports = helper;\n',
    'lib/b.py': 'def helper():\n    pass\n\n# TODO python\n',
    'docs/readme.md': 'Helper docs\nsee helper()\n',
    'crlf.txt': 'alpha helper\r\nbeta\r\ngamma helper\r\n',
    'build/out.js': 'helper in build output\n',
    '.config/settings.json': '{"helper": true}\n',
    'data.bin': Buffer.from('helper\0\x01\x02'),
    'multi.txt': 'start {\n  inner\n} end\nother line\n',
  });
  // Distinct mtimes so "newest first" is defined.
  let t = 1_000_000;
  for (const f of ['src/app.ts', 'src/util.ts', 'src/view.tsx', 'lib/a.js', 'lib/b.py', 'docs/readme.md', 'crlf.txt', '.config/settings.json', 'multi.txt']) {
    fs.utimesSync(path.join(dir, f), t, t);
    t += 1000;
  }
});

const cases: Array<{ name: string; args: GrepArgs }> = [
  { name: 'files_with_matches default', args: { pattern: 'helper' } },
  { name: 'content', args: { pattern: 'helper', output_mode: 'content' } },
  { name: 'content without line numbers', args: { pattern: 'helper', output_mode: 'content', '-n': false } },
  { name: 'count', args: { pattern: 'helper', output_mode: 'count' } },
  { name: 'case-insensitive', args: { pattern: 'todo', '-i': true, output_mode: 'content' } },
  { name: 'context -C 1', args: { pattern: 'return', output_mode: 'content', '-C': 1 } },
  { name: 'context -A 2 overlapping', args: { pattern: 'helper', output_mode: 'content', '-A': 2 } },
  { name: 'context -B 3', args: { pattern: 'HELPER_NAME', output_mode: 'content', '-B': 3 } },
  { name: 'glob *.ts', args: { pattern: 'helper', glob: '*.ts' } },
  { name: 'glob brace list', args: { pattern: 'helper', glob: '*.{ts,tsx}', output_mode: 'count' } },
  { name: 'glob path', args: { pattern: 'helper', glob: 'src/**' } },
  { name: 'glob path under path', args: { pattern: 'helper', path: 'src', glob: '*.tsx', output_mode: 'content' } },
  { name: 'glob list with negation', args: { pattern: 'helper', glob: '*.ts,!util.ts', output_mode: 'count' } },
  { name: 'glob negated', args: { pattern: 'helper', glob: '!*.ts' } },
  { name: 'type py', args: { pattern: 'helper', type: 'py', output_mode: 'content' } },
  { name: 'type ts', args: { pattern: 'helper', type: 'ts' } },
  { name: 'path subdir', args: { pattern: 'helper', path: 'lib', output_mode: 'content' } },
  { name: 'path single file', args: { pattern: 'helper', path: 'src/util.ts', output_mode: 'content' } },
  { name: 'regex anchors', args: { pattern: '^export', output_mode: 'content' } },
  { name: 'end anchor on CRLF', args: { pattern: 'helper$', output_mode: 'content' } },
  { name: 'multiline', args: { pattern: '\\{\\n\\s+inner', multiline: true, output_mode: 'content' } },
  { name: 'multiline dotall', args: { pattern: 'start.*end', multiline: true, output_mode: 'content' } },
  { name: 'head_limit', args: { pattern: 'helper', output_mode: 'content', head_limit: 3 } },
  { name: 'no match', args: { pattern: 'zzzz_nothing' } },
  { name: 'no match content', args: { pattern: 'zzzz_nothing', output_mode: 'content' } },
  { name: 'cross-line \\s does not match', args: { pattern: 'helper\\s+def', output_mode: 'content' } },
];

describe('Grep parity: ripgrep and the JS fallback give identical results', () => {
  it.each(cases)('$name', async ({ args }) => {
    const rg = await executeGrep(args, makeCtx(dir), 'rg');
    const js = await executeGrep(args, makeCtx(dir), 'js');
    expect(rg.isError, rg.output).toBeFalsy();
    expect(js.output).toBe(rg.output);
    expect(js.summary).toBe(rg.summary);
  });
});

describe.each(['rg', 'js'] as const)('Grep behaviour (%s)', (backend) => {
  const grep = (args: GrepArgs) => executeGrep(args, makeCtx(dir), backend);

  it('lists files newest first, skipping ignored, binary and VCS files, including hidden ones', async () => {
    const r = await grep({ pattern: 'helper' });
    expect(r.output).toBe(
      ['Found 8 files', '.config/settings.json', 'crlf.txt', 'docs/readme.md', 'lib/b.py', 'lib/a.js', 'src/view.tsx', 'src/util.ts', 'src/app.ts'].join('\n'),
    );
  });

  it('content mode prints path:line:text, context with -, groups split by --', async () => {
    const r = await grep({ pattern: 'HELPER_NAME', output_mode: 'content', '-B': 1 });
    expect(r.output).toBe('src/util.ts-6-\nsrc/util.ts:7:export const HELPER_NAME = "helper";');
    const c = await grep({ pattern: 'return', output_mode: 'content', '-C': 1 });
    expect(c.output).toBe(
      [
        'src/app.ts-3-export function main() {',
        'src/app.ts:4:  return helper(1);',
        'src/app.ts-5-}',
        '--',
        'src/util.ts-1-export function helper(x: number) {',
        'src/util.ts:2:  return x + 1; // todo later',
        'src/util.ts-3-}',
      ].join('\n'),
    );
  });

  it('count mode gives per-file counts and a total', async () => {
    const r = await grep({ pattern: 'helper', output_mode: 'count', type: 'ts' });
    expect(r.output).toBe('src/app.ts:2\nsrc/util.ts:2\nsrc/view.tsx:1\n\nFound 5 matching lines across 3 files.');
  });

  it('a matching glob overrides .gitignore (as rg does); a type does not', async () => {
    const g = await grep({ pattern: 'helper', glob: '*.ts' });
    expect(g.output.split('\n').slice(1).sort()).toEqual(['src/app.ts', 'src/skip.gen.ts', 'src/util.ts']);
    const t = await grep({ pattern: 'helper', type: 'ts' });
    expect(t.output).not.toContain('skip.gen.ts');
  });

  it('a slash glob is relative to the search path', async () => {
    const r = await grep({ pattern: 'helper', path: 'lib', glob: 'a.*' });
    expect(r.output).toBe('Found 1 file\nlib/a.js');
    const s = await grep({ pattern: 'helper', glob: 'src/*.tsx' });
    expect(s.output).toBe('Found 1 file\nsrc/view.tsx');
  });

  it('-i makes matching case-insensitive', async () => {
    const r = await grep({ pattern: 'TODO', output_mode: 'count', '-i': true });
    expect(r.output).toContain('src/util.ts:1');
    const s = await grep({ pattern: 'TODO', output_mode: 'count' });
    expect(s.output).not.toContain('src/util.ts');
  });

  it('head_limit cuts output with a note', async () => {
    const r = await grep({ pattern: 'helper', head_limit: 2 });
    expect(r.output.split('\n').slice(0, 3)).toEqual(['Found 8 files', '.config/settings.json', 'crlf.txt']);
    expect(r.output).toContain('Showing the first 2 of 8 files');
  });

  it('an invalid regex gives a clear error result', async () => {
    const r = await grep({ pattern: 'foo(' });
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/^Invalid search: regex parse error/);
  });

  it('an unknown type is an error result', async () => {
    const r = await grep({ pattern: 'x', type: 'nosuchtype' });
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/unrecognized file type/);
  });

  it('a missing path is an error result', async () => {
    const r = await grep({ pattern: 'x', path: 'nope' });
    expect(r.isError).toBe(true);
  });
});

describe('Grep JS fallback traversal', () => {
  it('never enters an ignored directory', async () => {
    const d = tempDir();
    write(d, { '.gitignore': 'vendor/\n', 'vendor/a.txt': 'needle', 'ok.txt': 'needle' });
    const opened: string[] = [];
    const orig = fs.readdirSync;
    (fs as { readdirSync: unknown }).readdirSync = (p: fs.PathLike, o?: unknown) => {
      opened.push(String(p));
      return (orig as (p: fs.PathLike, o?: unknown) => unknown)(p, o);
    };
    try {
      const r = await executeGrep({ pattern: 'needle' }, makeCtx(d), 'js');
      expect(r.output).toBe('Found 1 file\nok.txt');
    } finally {
      (fs as { readdirSync: unknown }).readdirSync = orig;
    }
    expect(opened).toContain(d);
    expect(opened.some((p) => p.includes('vendor'))).toBe(false);
  });
});
