// Grep over a large tree: ripgrep run directly vs claw's Grep tool (rg path) vs the pure-JS fallback.
// Targets (issue 4): Grep within 30 ms of rg; JS fallback within 10x of rg.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { executeGrep, grepTool, type GrepArgs } from '../src/tools/grep.js';
import { splitGlobs, type GrepQuery } from '../src/tools/grepCore.js';
import { findRg, rgArgs } from '../src/tools/grepRg.js';
import type { ToolContext } from '../src/tools/types.js';

const RUNS = 15;

function makeTree(root: string): number {
  let files = 0;
  fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules/\ndist/\n');
  const body = (i: number, hit: boolean) =>
    Array.from({ length: 30 }, (_, l) =>
      l === 17 && hit ? `  const value = computeNeedle(${i}); // needle_marker` : `  const line${l} = someFunction(${i}, "text ${l}");`,
    ).join('\n') + '\n';
  // 18,000 files under the ignored node_modules (900 packages x 20 files).
  for (let p = 0; p < 900; p++) {
    const dir = path.join(root, 'node_modules', `pkg${p}`, 'lib');
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 20; f++, files++) fs.writeFileSync(path.join(dir, `f${f}.js`), body(f, f % 3 === 0));
  }
  // 2,400 project files, 1 in 10 containing the pattern.
  for (let d = 0; d < 120; d++) {
    const dir = path.join(root, 'src', `mod${d % 12}`, `part${d}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 20; f++, files++) fs.writeFileSync(path.join(dir, `file${f}.ts`), body(f, (d * 20 + f) % 10 === 0));
  }
  return files;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm the page cache and module state
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

export async function run() {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'claw-grep-bench-')));
  try {
    const files = makeTree(root);
    const rg = await findRg();
    if (!rg) return [{ name: 'grep: ripgrep missing', value: 0, unit: 'ms', note: 'no rg binary' }];
    const ctx: ToolContext = {
      cwd: root,
      workingDirs: [root],
      signal: new AbortController().signal,
      readFiles: new Map(),
      env: process.env,
      setCwd() {},
    };
    const rows: Array<{ name: string; value: number; unit: string; ratio?: number; note?: string }> = [];
    const modes: Array<{ label: string; args: GrepArgs }> = [
      { label: 'files', args: { pattern: 'needle_marker' } },
      { label: 'content', args: { pattern: 'needle_\\w+', output_mode: 'content' } },
    ];
    for (const { label, args } of modes) {
      const q: GrepQuery = {
        pattern: args.pattern,
        root,
        rootIsFile: false,
        globs: splitGlobs(args.glob),
        mode: args.output_mode ?? 'files_with_matches',
        ignoreCase: false,
        before: 0,
        after: 0,
        multiline: false,
      };
      const argv = rgArgs(q);
      const direct = () =>
        new Promise<void>((resolve, reject) =>
          execFile(rg, argv, { cwd: root, maxBuffer: 64 << 20 }, (e) => (e && e.code !== 1 ? reject(e) : resolve())),
        );
      const tRg = await time(direct);
      const tTool = await time(() => grepTool.execute(args, ctx));
      const tJs = await time(() => executeGrep(args, ctx, 'js'));
      const check = (await grepTool.execute(args, ctx)).output === (await executeGrep(args, ctx, 'js')).output;
      rows.push({ name: `grep ${label}: rg direct (${files} files)`, value: round(tRg), unit: 'ms' });
      rows.push({
        name: `grep ${label}: claw Grep (rg)`,
        value: round(tTool),
        unit: 'ms',
        ratio: round(tTool / tRg),
        note: `${tTool >= tRg ? "+" : ""}${round(tTool - tRg)} ms vs rg (target < +30)`,
      });
      rows.push({
        name: `grep ${label}: JS fallback`,
        value: round(tJs),
        unit: 'ms',
        ratio: round(tJs / tRg),
        note: `target < 10x rg; output ${check ? 'identical' : 'DIFFERS'}`,
      });
    }
    return rows;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
