// The sandbox's part of the permission decision, typed (runIn, autoAllowedBy), and its effect through the
// real tool runner: which calls prompt, which run, and what reaches the disk.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToolCalls } from '../../src/core/toolPipeline.js';
import type { PermissionRequest } from '../../src/core/events.js';
import { createPermissionGate } from '../../src/permissions/gate.js';
import type { Decision } from '../../src/permissions/types.js';
import { BackgroundShells } from '../../src/tools/background.js';
import { createBashTool } from '../../src/tools/bash.js';
import { ToolRegistry } from '../../src/tools/registry.js';
import type { ToolContext } from '../../src/tools/types.js';
import { createSandbox } from '../../src/sandbox/sandbox.js';
import { detectSandbox, type SandboxAvailability } from '../../src/sandbox/detect.js';
import type { SandboxSettings } from '../../src/sandbox/settings.js';
import { tempDir } from '../tools/helpers.js';

const canRun = (() => {
  const a = detectSandbox(process.env);
  return a.available && a.platform === 'linux';
})();
const sit = canRun ? it : it.skip;

const available = () => ({ available: true as const, platform: 'linux' as const, bwrap: '/usr/bin/bwrap', version: 'test' });
const missing = () => ({ available: false as const, reason: 'bubblewrap (bwrap) is not installed', fix: 'install bubblewrap' });

function pure(settings: SandboxSettings = {}, detect: () => SandboxAvailability = available) {
  return createSandbox({ settings: { enabled: true, ...settings }, env: {}, home: '/nonexistent', denyRules: () => [], isReadDenied: () => false, detect });
}
const bashCall = (command: string, extra: Record<string, unknown> = {}) => ({ toolName: 'Bash', input: { command, ...extra } });
const ask: Decision = { behavior: 'ask', reason: 'writes a file', suggestedRule: 'Bash(touch:*)' };

describe('sandbox decision (typed flags)', () => {
  it('turns an ask into a sandboxed allow, marked as auto-allowed by the sandbox', () => {
    expect(pure().decide(bashCall('touch x'), ask, 'default')).toEqual({ behavior: 'allow', reason: 'runs inside the sandbox', runIn: 'sandbox', autoAllowedBy: 'sandbox' });
  });
  it('an ask that guards a deny rule (denyGuard) stays an ask: the sandbox runs it only after the user says yes', () => {
    const guarded: Decision = { behavior: 'ask', reason: 'tar reads a tree holding .env', flags: { denyGuard: true, rule: 'Read(./.env)' } };
    expect(pure().decide(bashCall('tar -c .'), guarded, 'default')).toEqual({ ...guarded, runIn: 'sandbox' });
  });
  it('keeps deny, and leaves other tools alone', () => {
    const deny: Decision = { behavior: 'deny', reason: 'rule' };
    expect(pure().decide(bashCall('rm -rf x'), deny, 'default')).toEqual(deny);
    expect(pure().decide({ toolName: 'Write', input: {} }, ask, 'default')).toEqual(ask);
  });
  it('keeps the prompt when autoAllowBashIfSandboxed is false or in plan mode, but still sandboxes', () => {
    expect(pure({ autoAllowBashIfSandboxed: false }).decide(bashCall('touch x'), ask, 'default')).toEqual({ ...ask, runIn: 'sandbox' });
    expect(pure().decide(bashCall('touch x'), ask, 'plan')).toEqual({ ...ask, runIn: 'sandbox' });
  });
  it('sends excludedCommands outside the sandbox through the normal gate', () => {
    const s = pure({ excludedCommands: ['docker', 'git push:*'] });
    expect(s.decide(bashCall('npm i && docker build .'), ask, 'default')).toEqual({ ...ask, runIn: 'host' });
    expect(s.decide(bashCall('FOO=1 git push origin'), ask, 'default')).toEqual({ ...ask, runIn: 'host' });
    expect(s.decide(bashCall('git status'), ask, 'default').runIn).toBe('sandbox');
  });
  it('dangerouslyDisableSandbox always asks, or is refused when allowUnsandboxedCommands is false', () => {
    const allowed: Decision = { behavior: 'allow' };
    expect(pure().decide(bashCall('curl x', { dangerouslyDisableSandbox: true }), allowed, 'default')).toMatchObject({ behavior: 'ask', runIn: 'host' });
    expect(pure({ allowUnsandboxedCommands: false }).decide(bashCall('curl x', { dangerouslyDisableSandbox: true }), allowed, 'default').behavior).toBe('deny');
  });
  it('when enabled but unavailable: runs on the host and the gate still asks; the status says why and how to fix', () => {
    const s = pure({}, missing);
    expect(s.decide(bashCall('touch x'), ask, 'default')).toEqual({ ...ask, runIn: 'host' });
    expect(s.status()).toMatchObject({ enabled: true, active: false });
    expect(s.status().summary).toMatch(/UNAVAILABLE: bubblewrap \(bwrap\) is not installed\. Fix: install bubblewrap/);
  });
  it('off: decisions are untouched', () => {
    const s = createSandbox({ settings: {}, env: {}, home: '/', denyRules: () => [], isReadDenied: () => false, detect: available });
    expect(s.decide(bashCall('touch x'), ask, 'default')).toEqual(ask);
  });
});

async function runBash(command: string, opts: { settings?: SandboxSettings; deny?: string[]; env?: NodeJS.ProcessEnv; answer?: 'allow' | 'deny' }) {
  const dir = tempDir('claw-sbx-pipe-');
  const gate = createPermissionGate({ mode: 'default', rules: { allow: [], ask: [], deny: opts.deny ?? [] }, cwd: dir, additionalDirs: [], home: dir });
  const sandbox = createSandbox({
    settings: { enabled: true, ...opts.settings },
    env: opts.env ?? process.env,
    home: dir,
    denyRules: () => gate.rules.deny,
    isReadDenied: (p, cwd) => gate.isReadDenied(p, cwd),
  });
  const bg = new BackgroundShells();
  const asked: PermissionRequest[] = [];
  const context = (): Omit<ToolContext, 'signal'> => ({
    cwd: dir,
    workingDirs: [dir],
    readFiles: new Map(),
    env: { PATH: process.env.PATH, HOME: dir, SHELL: '/bin/bash' },
    setCwd: () => undefined,
  });
  const results: string[] = [];
  const calls = [{ id: 'c1', type: 'function' as const, function: { name: 'Bash', arguments: JSON.stringify({ command }) } }];
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
    maxResultChars: 10_000,
    onResult: (m: { content: string }) => results.push(m.content),
  };
  for await (const _ of runToolCalls(calls, deps, new AbortController().signal)) void _;
  bg.disposeAll();
  sandbox.dispose();
  return { dir, asked, output: results.join('\n') };
}

describe('sandbox through the tool runner', () => {
  sit('a command the gate would ask about runs sandboxed without a prompt', async () => {
    const r = await runBash('touch made.txt && touch ../escaped-$$.txt', {});
    expect(r.asked).toEqual([]);
    expect(fs.existsSync(path.join(r.dir, 'made.txt'))).toBe(true);
    expect(r.output).toContain('Read-only file system');
  });
  sit('deny rules still deny, with no prompt and nothing run', async () => {
    const r = await runBash('touch denied.txt', { deny: ['Bash(touch:*)'] });
    expect(r.asked).toEqual([]);
    expect(r.output).toMatch(/Permission denied/);
    expect(fs.existsSync(path.join(r.dir, 'denied.txt'))).toBe(false);
  });
  it('excludedCommands go through the gate: asked, and nothing runs when the user says no', async () => {
    const r = await runBash('touch excluded.txt', { settings: { excludedCommands: ['touch'] } });
    expect(r.asked.map((a) => a.toolName)).toEqual(['Bash']);
    expect(fs.existsSync(path.join(r.dir, 'excluded.txt'))).toBe(false);
  });
  it('excludedCommands run outside the sandbox once the user allows them', async () => {
    const outside = `/tmp/claw-sbx-excluded-${process.pid}.txt`;
    try {
      const r = await runBash(`touch ${outside}`, { settings: { excludedCommands: ['touch'] }, answer: 'allow' });
      expect(r.asked).toHaveLength(1);
      expect(fs.existsSync(outside)).toBe(true);
    } finally {
      fs.rmSync(outside, { force: true });
    }
  });
  it('bwrap missing: the command asks instead of running, and does not run when refused', async () => {
    const r = await runBash('touch fallback.txt', { env: { ...process.env, CLAW_BWRAP: '/nonexistent/bwrap' } });
    expect(r.asked.map((a) => a.toolName)).toEqual(['Bash']);
    expect(fs.existsSync(path.join(r.dir, 'fallback.txt'))).toBe(false);
  });
});
