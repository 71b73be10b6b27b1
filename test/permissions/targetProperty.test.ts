// Property (issue 11 item 6): on a real filesystem, the target the permission gate judges is the file the
// tool really opens — through symlinks, `..`, NFD/NFC names, case variants and hard links. Compared by
// device and inode, not by path spelling.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCtx, resolvePath } from '../../src/permissions/context.js';
import { cachedRealpathNearest, fileInfo, resolveTarget } from '../../src/permissions/paths.js';
import { readTool } from '../../src/tools/read.js';
import { writeTool } from '../../src/tools/write.js';
import { runTool } from '../../src/tools/define.js';
import type { ToolContext } from '../../src/tools/types.js';
import { tempDir } from '../helpers/cli.js';

const NFC = 'caf\u00e9';
const NFD = 'cafe\u0301';

/** A project with every kind of alias; each regular file holds its own dev:ino so a read names the inode. */
function fixture(): { root: string; project: string; outside: string; home: string } {
  const root = tempDir('claw-target-');
  const project = path.join(root, 'project');
  const outside = path.join(root, 'outside');
  const home = path.join(root, 'home');
  for (const d of [project, outside, home, path.join(project, 'sub'), path.join(project, 'secrets'), path.join(project, '.git/hooks')]) {
    fs.mkdirSync(d, { recursive: true });
  }
  const files = ['a.txt', 'A.txt', NFC, NFD, 'sub/b.txt', 'secrets/token', '.git/hooks/pre-commit'].map((f) => path.join(project, f));
  files.push(path.join(outside, 'o.txt'), path.join(home, 'h.txt'));
  for (const f of files) {
    fs.writeFileSync(f, 'x');
    const st = fs.statSync(f);
    fs.writeFileSync(f, `${st.dev}:${st.ino}\n`);
  }
  const link = (target: string, name: string) => fs.symlinkSync(target, path.join(project, name));
  link('sub', 'dirLink'); // relative
  link(path.join(project, 'a.txt'), 'fileLink');
  link(path.join(outside), 'outLink');
  link('.git/hooks/pre-commit', `hook-${NFD}`); // an NFD-named link at a protected file
  link('secrets/token', `tok-${NFC}`);
  link('missing/new.txt', 'dangling');
  link('dirLink', 'chain');
  fs.linkSync(path.join(project, 'secrets/token'), path.join(project, 'hard')); // same inode as secrets/token
  return { root, project, outside, home };
}

const SEGMENTS = ['.', '..', 'sub', 'dirLink', 'chain', 'outLink', 'a.txt', 'A.txt', 'b.txt', 'o.txt', NFC, NFD, 'fileLink',
  `hook-${NFD}`, `tok-${NFC}`, 'hard', 'secrets', 'token', 'dangling', 'missing', 'new.txt', 'SUB', 'A.TXT'];

const DIRS = [[], ['sub'], ['dirLink'], ['chain'], ['outLink'], ['sub', '..'], ['dirLink', '..'], ['missing', '..'], ['.'], ['secrets']];
const LEAVES = ['a.txt', 'A.txt', 'b.txt', 'o.txt', NFC, NFD, 'fileLink', `hook-${NFD}`, `tok-${NFC}`, 'hard', 'token', 'dangling', 'new.txt', 'A.TXT'];
// mostly "a directory spelling + a file name" (so most draws reach a real file), some free-form
const toolPath = fc.tuple(
  fc.constantFrom('', './', 'ABS', '~/'),
  fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...DIRS), fc.constantFrom(...LEAVES)).map(([d, l]) => [...d, l]) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 4 }) },
  ),
);

function spell([prefix, segs]: [string, string[]], project: string): string {
  const rest = segs.join('/');
  return prefix === 'ABS' ? `${project}/${rest}` : `${prefix}${rest}`;
}

/** The gate's view: the policy's own resolvePath, with the env the gate builds and the call's shared resolver. */
function gateTarget(p: string, cwd: string, home: string, realpath: (abs: string) => string): string {
  const ctx = makeCtx('default', { allow: [], ask: [], deny: [] }, { cwd, workingDirs: [cwd], home, realpath, fileInfo });
  return resolvePath(ctx, p).resolved;
}

function toolCtx(cwd: string, home: string, realpath: (abs: string) => string): ToolContext {
  return {
    cwd,
    workingDirs: [cwd],
    signal: new AbortController().signal,
    readFiles: new Map(),
    env: {},
    home,
    setCwd: () => undefined,
    // what src/core/toolPipeline.ts hands the tool: the resolver the gate used for this call
    resolvePath: (q) => resolveTarget(q, cwd, home, realpath),
  };
}

const inode = (file: string): string | undefined => {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
};

describe('the gate judges the file the tool opens (property, real filesystem)', () => {
  it('Read: the inode the tool read is the inode at the gate\'s resolved target', async () => {
    const fx = fixture();
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(toolPath, async (tp) => {
        const p = spell(tp, fx.project);
        const realpath = cachedRealpathNearest();
        const target = gateTarget(p, fx.project, fx.home, realpath);
        const result = await runTool(readTool, { file_path: p }, toolCtx(fx.project, fx.home, realpath));
        const expected = inode(target);
        if (expected === undefined) {
          // nothing readable where the gate looked: the tool must not have read anything either
          expect(result.isError).toBe(true);
          return;
        }
        compared++;
        expect(result.isError ?? false).toBe(false);
        const read = /(\d+:\d+)/.exec(result.output)?.[1];
        expect(read).toBe(expected);
        // and the kernel agrees when the spelling has no `..` (lexical and physical `..` differ by design)
        if (!tp[1].includes('..') && !p.startsWith('~/')) expect(inode(path.resolve(fx.project, p))).toBe(expected);
      }),
      { numRuns: 300 },
    );
    expect(compared).toBeGreaterThan(40);
  });

  it('Write: the file that changes (or appears) is the one at the gate\'s resolved target, and nothing else', async () => {
    let created = 0;
    await fc.assert(
      fc.asyncProperty(toolPath, async (tp) => {
        const fx = fixture();
        const p = spell(tp, fx.project);
        const realpath = cachedRealpathNearest();
        const target = gateTarget(p, fx.project, fx.home, realpath);
        const before = snapshot(fx.root);
        const ctx = toolCtx(fx.project, fx.home, realpath);
        if (inode(target)) await runTool(readTool, { file_path: p }, ctx); // Write requires a read first
        const result = await runTool(writeTool, { file_path: p, content: 'WRITTEN\n' }, ctx);
        const after = snapshot(fx.root);
        const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
        if (result.isError) {
          expect(changed).toEqual([]);
        } else {
          created++;
          expect(fs.readFileSync(target, 'utf8')).toBe('WRITTEN\n');
          const targetIno = inode(target)!;
          // every changed entry is the target itself (by inode: a hard link shows the same change twice)
          // or a directory Write created on the way to it
          for (const k of changed) {
            const now = after.get(k);
            expect(now === undefined ? 'gone' : now.startsWith('dir') || now.startsWith(`${targetIno}|`) ? 'ok' : `${k}: ${now}`).toBe('ok');
          }
        }
        fs.rmSync(fx.root, { recursive: true, force: true });
      }),
      { numRuns: 120 },
    );
    expect(created).toBeGreaterThan(20);
  });
});

/** Every entry under dir (links not followed): kind, and for files inode and content. */
function snapshot(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isSymbolicLink()) out.set(full, `link→${fs.readlinkSync(full)}`);
    else if (e.isDirectory()) {
      out.set(full, 'dir');
      snapshot(full, out);
    } else {
      const st = fs.lstatSync(full);
      out.set(full, `${st.dev}:${st.ino}|${fs.readFileSync(full, 'utf8')}`);
    }
  }
  return out;
}
