// Read deny rules against commands that read a whole directory tree or names another program supplies (issue
// 11): the real command, through the real tool pipeline and gate, in a temp project whose denied files hold a
// canary. Judged by effect: the canary never reaches the tool result. Each leak is first shown to be real (the
// same command with no deny rule prints the canary), so a passing row cannot come from a command that fails.
// The sandbox part runs real bubblewrap and is skipped, with a note, where bwrap cannot run.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToolCalls } from '../../src/core/toolPipeline.js';
import type { PermissionRequest } from '../../src/core/events.js';
import { createPermissionGate } from '../../src/permissions/gate.js';
import type { PermissionMode } from '../../src/permissions/types.js';
import { BackgroundShells } from '../../src/tools/background.js';
import { createBashTool } from '../../src/tools/bash.js';
import { ToolRegistry } from '../../src/tools/registry.js';
import type { ToolContext } from '../../src/tools/types.js';
import { createSandbox } from '../../src/sandbox/sandbox.js';
import { detectSandbox } from '../../src/sandbox/detect.js';
import { tempDir } from '../tools/helpers.js';

const CANARY = 'CANARY-7f3k-denied';
const DENY = ['Read(./.env)', 'Read(./secrets/**)'];

const sandboxAvailable = (() => {
  const a = detectSandbox(process.env);
  if (!(a.available && a.platform === 'linux')) console.warn(`NOTE: sandbox read-deny tests skipped: ${a.available ? 'not Linux' : a.reason}`);
  return a.available && a.platform === 'linux';
})();
const sit = sandboxAvailable ? it : it.skip;

function project(): string {
  const root = tempDir('claw-rdeny-');
  const dir = path.join(root, 'proj');
  fs.mkdirSync(path.join(dir, 'secrets'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, '.env'), `TOKEN=${CANARY}-env\n`);
  fs.writeFileSync(path.join(dir, 'secrets/key.txt'), `${CANARY}-secret\n`);
  fs.writeFileSync(path.join(dir, 'src/a.ts'), 'export const visible = 1;\n');
  // scripts the gate cannot look into: only the sandbox can keep them from reading denied files
  fs.writeFileSync(path.join(dir, 'x.sh'), 'cat .env secrets/key.txt\n');
  fs.writeFileSync(path.join(dir, 'x.py'), "print(open('.env').read()); print(open('secrets/key.txt').read())\n");
  fs.writeFileSync(path.join(dir, 'l.sh'), 'ls -a secrets; cat secrets/key.txt; echo done\n');
  fs.writeFileSync(path.join(dir, 'x.js'), "const fs = require('fs'); console.log(fs.readFileSync('.env', 'utf8') + fs.readFileSync('secrets/key.txt', 'utf8'));\n");
  return dir;
}

interface Run { asked: PermissionRequest[]; output: string }

async function run(command: string, opts: { mode: PermissionMode; deny?: string[]; sandbox?: boolean; answer?: 'allow' | 'deny' }): Promise<Run> {
  const dir = project();
  const gate = createPermissionGate({ mode: opts.mode, rules: { allow: [], ask: [], deny: opts.deny ?? [] }, cwd: dir, additionalDirs: [], home: path.dirname(dir) });
  const sandbox = opts.sandbox
    ? createSandbox({ settings: { enabled: true }, env: process.env, home: path.dirname(dir), denyRules: () => gate.rules.deny, isReadDenied: (p, cwd) => gate.isReadDenied(p, cwd) })
    : undefined;
  const bg = new BackgroundShells();
  const asked: PermissionRequest[] = [];
  const results: string[] = [];
  const context = (): Omit<ToolContext, 'signal'> => ({ cwd: dir, workingDirs: [dir], readFiles: new Map(), env: { PATH: process.env.PATH, HOME: path.dirname(dir), SHELL: '/bin/bash' }, setCwd: () => undefined });
  const deps = {
    tools: new ToolRegistry([createBashTool(bg)]),
    gate,
    sandbox,
    approve: async (request: PermissionRequest) => {
      asked.push(request);
      return { behavior: opts.answer ?? 'deny' } as const;
    },
    context,
    setMode: () => undefined,
    maxResultChars: 200_000,
    onResult: (m: { content: string }) => results.push(m.content),
  };
  const calls = [{ id: 'c1', type: 'function' as const, function: { name: 'Bash', arguments: JSON.stringify({ command }) } }];
  try {
    for await (const _ of runToolCalls(calls, deps, new AbortController().signal)) void _;
  } finally {
    bg.disposeAll();
    sandbox?.dispose();
  }
  return { asked, output: results.join('\n') };
}

// uncompressed forms, so the canary would show in the output if the file were read
const TREE_READERS = [
  'tar -cf - .',
  'tar cf - secrets src',
  'zip -0 -r - .',
  'cp -r . ../copy && cat ../copy/.env ../copy/secrets/key.txt',
  'cp -a secrets ../s2 && cat ../s2/key.txt',
  'find . -exec cat {} +',
  'find . -type f | xargs cat',
  'find . -type f -print0 | xargs -0 head -n 5',
  'ls -a | xargs cat',
  'cat .e*',
  'for f in secrets/*; do cat "$f"; done',
  'cat "$(ls -a | grep env)"',
];

describe('Read deny rules hold against directory-tree readers, by effect', () => {
  it.each(TREE_READERS)('bypassPermissions: `%s` is refused and the canary never reaches the result (it does without the rule)', async (command) => {
    const control = await run(command, { mode: 'bypassPermissions' });
    expect(control.output, 'the command really reads the denied file when no rule stops it').toContain(CANARY);
    const r = await run(command, { mode: 'bypassPermissions', deny: DENY });
    expect(r.asked).toEqual([]);
    expect(r.output).not.toContain(CANARY);
    expect(r.output).toMatch(/Permission denied: .*rule Read\(\.\/(\.env|secrets\/\*\*)\)/);
  });

  it.each(TREE_READERS)('default mode: `%s` asks (naming the rule), and when the user says no nothing is read', async (command) => {
    const r = await run(command, { mode: 'default', deny: DENY });
    expect(r.output).not.toContain(CANARY);
    // either refused outright (a denied operand) or asked; the question names a deny rule
    if (r.asked.length) expect(r.asked[0]!.reason).toMatch(/Read deny rules|rule Read\(/);
    else expect(r.output).toMatch(/Permission denied/);
  });

  it('a control: the same readers on a tree without denied files run in bypassPermissions', async () => {
    const r = await run('tar -cf - src | tar -tf - && find src -type f -exec cat {} +', { mode: 'bypassPermissions', deny: DENY });
    expect(r.output).toContain('src/a.ts');
    expect(r.output).toContain('export const visible');
  });
});

describe('scripts the gate cannot read: the bubblewrap sandbox hides Read-denied files from them', () => {
  for (const command of ['bash x.sh', 'python3 x.py', 'node x.js', 'tar -cf - .', 'sh x.sh']) {
    sit(`\`${command}\` in bypassPermissions: outside the sandbox it prints the canary; inside, the denied files read as empty`, async () => {
      const host = await run(command, { mode: 'bypassPermissions', deny: command.startsWith('tar') ? [] : DENY });
      expect(host.output, 'unsandboxed, the script does read the file').toContain(CANARY);
      const boxed = await run(command, { mode: command.startsWith('tar') ? 'default' : 'bypassPermissions', deny: DENY, sandbox: true, answer: 'allow' });
      expect(boxed.output).not.toContain(CANARY);
    });
  }
  sit('a denied directory reads as empty inside the sandbox (ls shows nothing, cat finds no file)', async () => {
    const host = await run('bash l.sh', { mode: 'bypassPermissions', deny: ['Read(./secrets/**)'] });
    expect(host.output).toContain('key.txt\n');
    const r = await run('bash l.sh', { mode: 'bypassPermissions', deny: ['Read(./secrets/**)'], sandbox: true });
    expect(r.output).toContain('done');
    expect(r.output).not.toContain('key.txt\n');
    expect(r.output).not.toContain(CANARY);
  });
});
