// The rows of reference/security-cases.md that depend on the filesystem (§3 paths and symlinks, §1.3 and other
// shell redirections/paths), run on a REAL filesystem: every row gets its own copy of the §0.1 world under a temp
// root (realFixture.ts) with the row's symlinks, hard links and FIFOs made for real, and is decided by the real
// gate (createPermissionGate: realpath + stat of the disk). Rows whose verdict is allow for Read/Glob/Grep/LS also
// run the real tool with the gate's isReadDenied, and no denied file's content or name may show in the output;
// allowed Writes run the real Write tool and must land inside cwd without touching anything protected or outside.
// Rows that fail on a real disk and were checked by hand against the doc are `it.fails` (KNOWN, see
// /work/perm-failures.md "Real-filesystem failures"); rows that cannot be expressed here are `it.skip` with the reason.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPermissionGate, type PermissionGate } from '../../src/permissions/gate.js';
import { loadShellParser } from '../../src/permissions/bash/parser.js';
import { runTool } from '../../src/tools/define.js';
import { executeGrep } from '../../src/tools/grep.js';
import { createBuiltinTools } from '../../src/tools/index.js';
import type { AnyTool, ToolContext } from '../../src/tools/types.js';
import { RULE_SETS, securityCases, type SecurityCase } from './security-cases.data.js';
import { applyRow, buildTemplate, DENIED_MARK, makeWorld, OUTSIDE_MARK, type World } from './realFixture.js';

// the policy's parser is an explicit dependency: one loaded here, passed in every env
const shell = await loadShellParser();

const LINUX = process.platform === 'linux';
const READ_TOOLS = new Set(['Read', 'Glob', 'Grep', 'LS']);
const WRITE_TOOLS = new Set(['Write']);
// a shell redirection whose target is a word (not `2>&1`, `<<EOF`, `<<<`, `>(…)`)
const REDIRECT = /(^|[\s\d&])(>>|>\||&>|>|<)(?![<(&])\s*["']?[~./\w$"]/;

let TMP = '';
let TEMPLATE = '';
let worlds = 0;
const { tools, dispose } = createBuiltinTools();
const toolByName = (name: string): AnyTool => tools.find((t) => t.name === name)!;

beforeAll(async () => {
  TMP = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'claw-real-')));
  TEMPLATE = path.join(TMP, 'template');
  buildTemplate(TEMPLATE);
});

afterAll(() => {
  dispose();
  if (TMP) fs.rmSync(TMP, { recursive: true, force: true });
});

// ---- rows: which run here, and what a real world needs beyond symlinks/existing/missing ----

/** Rows (of the doc, or variants only a real disk has) that cannot be expressed here, with the reason. */
const SKIP: Record<string, string> = {
  // The swap needs a moment between the decision and the write: test/core/pipeline.test.ts makes it while the user is asked.
  'P3-067': 'TOCTOU: tested by effect in test/core/pipeline.test.ts (file swapped for a symlink during approval)',
  'P3-068': 'TOCTOU: tested by effect in test/core/pipeline.test.ts (folder swapped for a symlink during approval)',
  'P3-074': 'start-up confirmation of --add-dir /; not a tool call',
};
if (!LINUX) {
  for (const id of ['P3-004', 'P3-005', 'P3-006']) SKIP[id] = '/proc/self is Linux-only';
  SKIP['P3-070'] = 'mkfifo fixture is Linux-only here';
}

const SETUP: Record<string, (w: World) => void> = {
  // hard link to the authorized_keys file (same filesystem: both under the temp root)
  'P3-066': (w) => fs.linkSync(w.map('/home/u/.ssh/authorized_keys'), w.map('/srv/app/keys')),
  'P3-070': (w) => execFileSync('mkfifo', [w.map('/srv/app/fifo')]),
};

interface Row { c: SecurityCase; label: string; setup?: (w: World) => void }

const section3 = securityCases.filter((c) => c.section === '3' || c.section === '3.1');
const bashWithPaths = securityCases.filter((c) => {
  if (c.tool !== 'Bash' || c.section === '3' || c.section === 'H') return false;
  const cmd = String(c.input.command);
  return c.section === '1.3' || REDIRECT.test(cmd) || /(^|[\s<>="'])\/(srv|home|etc|tmp)(?=[/\s"']|$)/.test(cmd);
});

const byId = (id: string): SecurityCase => securityCases.find((c) => c.id === id)!;
/** Variants that only a real disk raises: the doc's symlink rows with the link target missing (dangling). */
const VARIANTS: Row[] = [
  // `git init` leaves only hooks/*.sample, so in the doc's fixture out.txt → .git/hooks/pre-commit is dangling;
  // here the hook exists, so both states are covered
  {
    c: byId('S1-061'), label: 'S1-061/target-exists',
    setup: (w) => fs.writeFileSync(w.map('/srv/app/.git/hooks/pre-commit'), '#!/bin/sh\n'),
  },
  {
    c: byId('P3-060'), label: 'P3-060/dangling (authorized_keys does not exist yet)',
    setup: (w) => fs.rmSync(w.map('/home/u/.ssh/authorized_keys')),
  },
  {
    c: { ...byId('P3-060'), input: { file_path: 'notes.md', content: 'x' }, tool: 'Write', symlinks: { '/srv/app/notes.md': '/etc/cron.d/job' } },
    label: 'P3-060/dangling-outside (Write notes.md → missing /etc/cron.d/job)',
  },
  {
    c: { ...byId('P3-039'), symlinks: { '/srv/app/src/hooks': '../.git/hooks' }, input: { file_path: 'src/hooks/pre-push', content: 'x' } },
    label: 'P3-039/missing-leaf (src/hooks → .git/hooks, pre-push absent)',
  },
  // the loader's form of P3-037: `Edit(/src/**)` in ~/.claw/settings.json is rewritten to `//<home>/.claw/src/**`
  { c: { ...byId('P3-037'), allow: ['Edit(//home/u/.claw/src/**)'] }, label: 'P3-037/loader-anchored' },
];

// ---- running one row ----

// decide() and the read tools never change the disk, so rows that need the same world share one copy
const worldCache = new Map<string, World>();
function worldFor(row: Row): World {
  const { symlinks, existing, missing } = row.c;
  const custom = row.setup ? row.label : SETUP[row.c.id] ? row.c.id : '';
  const key = JSON.stringify([symlinks, existing, missing, custom]);
  let w = worldCache.get(key);
  if (w) return w;
  w = makeWorld(TEMPLATE, path.join(TMP, `w${worlds++}`));
  applyRow(w, row.c);
  SETUP[row.c.id]?.(w);
  row.setup?.(w);
  worldCache.set(key, w);
  return w;
}

/** `Tool(//abs/…)` rules name an absolute path: map it into the world. Relative, `./`, `~/`, single-`/` rules stay. */
function mapRules(list: string[] | undefined, w: World): string[] {
  return (list ?? []).map((r) => r.replace(/^([\w-]+)\(\/(\/[^)]*)\)$/, (_a, tool: string, abs: string) => `${tool}(/${w.map(abs)})`));
}

function mapInput(c: SecurityCase, w: World): Record<string, unknown> {
  const input: Record<string, unknown> = { ...c.input };
  if (c.tool === 'Bash') input.command = w.mapCommand(String(input.command));
  for (const k of ['file_path', 'path', 'pattern']) if (typeof input[k] === 'string') input[k] = w.map(input[k] as string);
  return input;
}

interface Setup { w: World; gate: PermissionGate; cwd: string; input: Record<string, unknown> }

function prepare(row: Row): Setup {
  const w = worldFor(row);
  const { c } = row;
  const cwd = c.cwd ? w.map(c.cwd) : w.cwd;
  const gate = createPermissionGate({
    mode: c.mode,
    rules: { allow: mapRules(c.allow, w), ask: mapRules(c.ask, w), deny: mapRules(c.deny, w) },
    cwd,
    additionalDirs: (c.addDirs ?? []).map(w.map),
    home: w.home,
  });
  return { w, gate, cwd, input: mapInput(c, w) };
}

async function decideIn(s: Setup, c: SecurityCase): Promise<{ behavior: string; reason: string }> {
  // /proc/self/cwd is the process's cwd: claw runs in its project, so the row runs there too
  const before = process.cwd();
  process.chdir(s.cwd);
  try {
    const d = await s.gate.decide({ toolName: c.tool, input: s.input }, s.cwd);
    return { behavior: d.behavior, reason: d.reason ?? '' };
  } finally {
    process.chdir(before);
  }
}

function expectVerdict(c: SecurityCase, label: string, got: { behavior: string; reason: string }): void {
  const msg = `${label}: ${c.why}${got.reason ? ` (engine: ${got.reason})` : ''}`;
  if (c.expected === '≥ask') expect(got.behavior, msg).toMatch(/^(ask|deny)$/);
  else expect(got.behavior, msg).toBe(c.expected);
}

function toolCtx(s: Setup): ToolContext {
  return {
    cwd: s.cwd,
    workingDirs: s.gate.workingDirs,
    signal: new AbortController().signal,
    readFiles: new Map(),
    env: { ...process.env },
    home: s.w.home, // as claw passes it: the same home the gate uses
    setCwd: () => undefined,
    isReadDenied: (abs) => s.gate.isReadDenied(abs, s.cwd),
  };
}

/** Nothing of a denied file (content, or a path that resolves to one) and nothing from outside the working dirs. */
function expectNoLeak(output: string, s: Setup, what: string): void {
  expect(output, `${what}: denied content`).not.toContain(DENIED_MARK);
  expect(output, `${what}: content from outside`).not.toContain(OUTSIDE_MARK);
  const denied = new Set(s.w.deniedFiles());
  for (const line of output.split('\n')) {
    const m = /^([^:\n]+?)(?:[:-]\d+(?:[:-].*)?)?$/.exec(line);
    if (!m) continue;
    let real: string;
    try { real = fs.realpathSync(path.resolve(s.cwd, m[1]!)); } catch { continue; }
    expect(denied.has(real), `${what}: lists denied file ${m[1]} (→ ${real})`).toBe(false);
  }
  // LS prints a tree of bare names: the denied directory and the names only it holds must be absent
  expect(output, `${what}: denied names`).not.toMatch(/^(\s*- )?(secrets\/?|\.env|\.env\.local)$|(^|\/|- )(api\.txt|deep\.pem)$/m);
}

async function runReal(s: Setup, name: string, input: Record<string, unknown>): Promise<string> {
  const r = await runTool(toolByName(name), input, toolCtx(s));
  expect(r.isError ?? false, `${name} ${JSON.stringify(input)} failed: ${r.output}`).toBe(false);
  return r.output;
}

/** Row-specific proof that the tool did its job (so "no leak" cannot come from an empty result). */
const POSITIVE: Record<string, (out: string) => void> = {
  'P3-026': (out) => {
    expect(out).toMatch(/^src\/a\.ts$/m);
    expect(out).toMatch(/^config\/\.env$/m); // anchored `./.env` must not hide config/.env (P3-023)
  },
  'P3-027': (out) => {
    expect(out).toMatch(/^certs\/pub\.pem$/m);
    expect(out).not.toMatch(/secrets/);
  },
  'P3-029': (out) => {
    expect(out).toMatch(/^src\/a\.ts$/m);
    expect(out).not.toMatch(/^vendor\//m); // vendor → the fixture's `/`: never descended
  },
  'P3-030': (out) => {
    expect(out).toMatch(/^src\/a\.ts$/m);
    expect(out).not.toMatch(/^loop\//m);
  },
};

/** First line of the file a Read row names, read from the disk the way the doc means the path (`~` = home). */
function firstLine(s: Setup, filePath: string): string {
  const p = filePath.startsWith('~/') ? path.join(s.w.home, filePath.slice(2)) : path.resolve(s.cwd, filePath);
  return fs.readFileSync(p, 'utf8').split('\n')[0]!;
}

/**
 * Rows that fail on a real disk, each verified by hand against the doc (written up in /work/perm-failures.md,
 * "Real-filesystem failures"). `it.fails` keeps them visible; when the engine is fixed they turn red here.
 */
const KNOWN: Record<string, string> = {};

/** Every entry under dir (symlinks not followed) with its size and mtime. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    let names: string[];
    try { names = fs.readdirSync(d); } catch { return; }
    for (const n of names.sort()) {
      const p = path.join(d, n);
      const st = fs.lstatSync(p);
      out.push(`${p} ${st.size} ${st.mtimeMs}`);
      if (st.isDirectory()) visit(p);
    }
  };
  visit(dir);
  return out;
}

function title(row: Row): string {
  const { c } = row;
  const input = JSON.stringify(c.input).replace(/[^\x20-\x7e]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
  return `${row.label} [${c.rules}/${c.mode}] ${c.tool} ${input.length > 70 ? input.slice(0, 70) + '…' : input} → ${c.expected}`;
}

function itMaybeFails(label: string, name: string, fn: () => Promise<void>): void {
  const known = KNOWN[label];
  if (known) it.fails(`${name} — KNOWN FAILURE: ${known}`, fn);
  else it(name, fn);
}

function defineRow(row: Row): void {
  const { c } = row;
  const skip = SKIP[c.id] ?? c.notDecidable;
  if (skip) {
    it.skip(`${title(row)} — skipped: ${skip}`, () => undefined);
    return;
  }
  itMaybeFails(row.label, title(row), async () => {
    const s = prepare(row);
    expectVerdict(c, row.label, await decideIn(s, c));
  });
  if (WRITE_TOOLS.has(c.tool) && c.expected === 'allow') {
    // an allowed write lands where the gate looked: inside cwd, and nothing protected or outside changes
    itMaybeFails(`${row.label} real ${c.tool}`, `${row.label} real ${c.tool}: the file lands inside cwd, nothing protected or outside changes`, async () => {
      const s = prepare({ ...row, setup: row.setup ?? (() => undefined), label: `${row.label} (fresh)` });
      expect((await decideIn(s, c)).behavior).toBe('allow');
      const guarded = [s.w.home, path.join(s.cwd, '.git'), s.w.map('/etc'), s.w.map('/tmp'), s.w.map('/srv/shared')];
      const before = guarded.map(snapshot);
      const r = await runTool(toolByName(c.tool), s.input, toolCtx(s));
      expect(r.isError ?? false, r.output).toBe(false);
      const target = fs.realpathSync(path.resolve(s.cwd, String(s.input.file_path)));
      expect(target.startsWith(fs.realpathSync(s.cwd) + '/'), `${target} is inside cwd`).toBe(true);
      expect(fs.readFileSync(target, 'utf8')).toBe(String(s.input.content));
      expect(guarded.map(snapshot)).toEqual(before);
    });
  }
  if (!READ_TOOLS.has(c.tool) || c.expected !== 'allow') return;
  // the real tool, with what the gate says is denied
  itMaybeFails(`${row.label} real ${c.tool}`, `${row.label} real ${c.tool}: output has no denied or outside content`, async () => {
    const s = prepare(row);
    expect((await decideIn(s, c)).behavior).toBe('allow');
    const out = await runReal(s, c.tool, s.input);
    expectNoLeak(out, s, `${row.label} ${c.tool}`);
    if (c.tool === 'Read') expect(out).toContain(firstLine(s, String(s.input.file_path)));
    POSITIVE[c.id]?.(out);
  });
}

describe('security-cases.md §3 on a real filesystem (real gate; real tools for allowed reads and writes)', () => {
  for (const c of section3) defineRow({ c, label: c.id });
});

describe('shell redirections and paths (§1.3 and other Bash rows naming paths) on a real filesystem', () => {
  for (const c of bashWithPaths) defineRow({ c, label: c.id });
});

describe('real-filesystem variants of symlink rows', () => {
  for (const row of VARIANTS) defineRow(row);
});

// ---- every world a row builds: the search tools, run the way the model would, never show a denied file ----

const SEARCHES: Array<[string, Record<string, unknown>]> = [
  ['Grep', { pattern: 'TOKEN', output_mode: 'content' }],
  ['Grep', { pattern: 'TOKEN', output_mode: 'files_with_matches' }],
  ['Grep', { pattern: 'TOKEN', output_mode: 'count' }],
  ['Grep', { pattern: 'token', '-i': true, glob: '*.pem', output_mode: 'content', '-C': 1 }],
  ['Glob', { pattern: '**/*' }],
  ['Glob', { pattern: '**/*.pem' }],
  ['Glob', { pattern: '.env*' }],
  ['LS', { path: '.' }],
];

describe('search tools in every world the rows build (P3-025/026/027 with each row\'s symlinks)', () => {
  const rows: Row[] = [
    { c: byId('P3-001'), label: 'base world' },
    ...[...section3.map((c) => ({ c, label: c.id })), ...VARIANTS]
      .filter(({ c }) => c.symlinks && c.tool !== 'Bash' && !SKIP[c.id])
      .map((r) => ({ ...r, label: `${r.label} world (${Object.entries(r.c.symlinks!).map(([l, t]) => `${path.basename(l)} → ${t}`).join(', ')})` })),
  ];
  for (const row of rows) {
    it(`${row.label}: Grep/Glob/LS of cwd under RP show no denied content or names`, async () => {
      const w = worldFor(row);
      const s: Setup = { w, cwd: w.cwd, input: {}, gate: createPermissionGate({ mode: 'default', rules: RULE_SETS.RP!, cwd: w.cwd, additionalDirs: [], home: w.home }) };
      let grepContent = '';
      for (const [tool, input] of SEARCHES) {
        const d = await s.gate.decide({ toolName: tool, input }, s.cwd);
        expect(d.behavior, `${tool} ${JSON.stringify(input)}: ${d.reason ?? ''}`).toBe('allow');
        const out = await runReal(s, tool, input);
        expectNoLeak(out, s, `${tool} ${JSON.stringify(input)}`);
        if (tool === 'Grep' && input.output_mode === 'content' && !input.glob) grepContent = out;
      }
      // the JS fallback (no ripgrep) filters the same way
      const js = await executeGrep({ pattern: 'TOKEN', output_mode: 'content' }, toolCtx(s), 'js');
      expectNoLeak(js.output, s, 'Grep (js backend)');
      // proof the searches searched: allowed files with TOKEN are found (config/.env is allowed under RP, P3-023)
      for (const out of [grepContent, js.output]) {
        expect(out).toContain('ALLOWED-src-a');
        expect(out).toContain('ALLOWED-config-env');
      }
    });
  }
});

// ---- the gate judges `~/x` as <home>/x (P3-019/P3-020); the tool must then act on that same file ----

describe('gate and tools agree on what a path names', () => {
  const rp = byId('P3-020');
  const tildeRead: Row = {
    c: { ...rp, mode: 'bypassPermissions', input: { file_path: '~/k.pem' }, symlinks: { '/srv/app/~': 'secrets' } },
    label: 'P3-020/tilde-symlink-read',
  };
  const tildeWrite: Row = {
    c: { ...rp, mode: 'bypassPermissions', tool: 'Write', input: { file_path: '~/pre-commit', content: '#!/bin/sh\n' }, symlinks: { '/srv/app/~': '.git/hooks' } },
    label: 'P3-020/tilde-symlink-write',
  };
  const why = 'tools and the gate both read ~/x as the home directory, never a repository directory named ~';

  it(`${tildeRead.label}: bypassPermissions + RP, <cwd>/~ → secrets: Read ~/k.pem never returns secrets/k.pem — ${why}`, async () => {
    const s = prepare(tildeRead);
    const d = await decideIn(s, tildeRead.c);
    if (d.behavior !== 'allow') return; // the gate refused: nothing can leak
    const r = await runTool(toolByName('Read'), s.input, toolCtx(s));
    expect(r.output).not.toContain(DENIED_MARK);
  });

  it(`${tildeWrite.label}: bypassPermissions, <cwd>/~ → .git/hooks: Write ~/pre-commit never creates a git hook — ${why}`, async () => {
    const s = prepare(tildeWrite);
    const d = await decideIn(s, tildeWrite.c);
    if (d.behavior !== 'allow') return; // asked: the protected-path rule held
    await runTool(toolByName('Write'), s.input, toolCtx(s));
    expect(fs.existsSync(path.join(s.cwd, '.git/hooks/pre-commit'))).toBe(false);
  });
});

// ---- issue 11's held-out classes (section H) on a real disk: the real gate stats, walks and asks git itself ----

/** Real-world facts the rows' PolicyEnv stand-ins (linkedDenied, gitHazard) describe. */
function heldOutSetup(c: SecurityCase): ((w: World) => void) | undefined {
  const setups: Array<(w: World) => void> = [];
  if (c.linkedDenied) {
    setups.push((w) => {
      fs.linkSync(w.map('/srv/app/.env'), w.map('/srv/app/src/notes')); // a second name of .env
      fs.writeFileSync(w.map('/srv/app/src/other'), 'ALLOWED-other TOKEN\n');
      fs.linkSync(w.map('/srv/app/src/other'), w.map('/srv/app/src/other2')); // hard-linked, but not to a denied file
    });
  }
  if (c.gitHazard) {
    const key = c.gitHazard;
    setups.push((w) => execFileSync('git', ['config', key, `touch ${w.map('/tmp')}/GIT-RAN`], { cwd: w.cwd, stdio: 'ignore' }));
  }
  return setups.length ? (w) => setups.forEach((f) => f(w)) : undefined;
}

// running these for real needs their toolchain and is not the point of the row: the verdict is checked only
const VERDICT_ONLY = /^(npm|python3|pytest|node|perl|ruby|su|nsenter|unshare|chrt|taskset|flock|script|watch|GIT_CONFIG_COUNT)\b/;

describe('held-out classes of issue 11 (section H) on a real filesystem', () => {
  for (const c of securityCases.filter((x) => x.section === 'H')) {
    const row: Row = { c, label: c.id, setup: heldOutSetup(c) };
    it(title(row), async () => {
      const s = prepare(row);
      const got = await decideIn(s, c);
      expectVerdict(c, row.label, got);
      // an allowed read-only command, run for real, shows nothing of a denied file
      if (c.tool === 'Bash' && got.behavior === 'allow' && c.mode !== 'bypassPermissions' && !VERDICT_ONLY.test(String(c.input.command))) {
        const r = await runTool(toolByName('Bash'), s.input, toolCtx(s));
        expect(r.output, `${c.id}: ${String(s.input.command)}`).not.toContain(DENIED_MARK);
        expect(fs.existsSync(s.w.map('/tmp/GIT-RAN')), `${c.id}: a repository program ran`).toBe(false);
      }
      if (c.tool === 'Read' && got.behavior === 'allow') {
        const r = await runTool(toolByName('Read'), s.input, toolCtx(s));
        expect(r.output).not.toContain(DENIED_MARK);
      }
    });
  }
});
