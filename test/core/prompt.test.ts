import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SYSTEM_PROMPT,
  buildFirstUserMessage,
  buildSystemPrompt,
  contextOf,
  gitInfo,
  promptOf,
} from '../../src/core/prompt.js';
import { estimateTokens } from '../../src/core/tokens.js';

const toolsIndex = path.resolve(__dirname, '../../src/tools/index.ts');

describe('system prompt', () => {
  it('is byte-identical across calls and carries no per-run data', () => {
    const a = buildSystemPrompt({});
    const b = buildSystemPrompt({});
    expect(a).toBe(b);
    expect(a).toBe(SYSTEM_PROMPT);
    expect(a).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
    expect(a).not.toContain(process.cwd());
    expect(a).not.toContain(os.platform() === 'linux' ? 'linux' : os.platform());
    expect(a).not.toMatch(/branch: /i);
  });

  it('stays short and covers how to use the tools', () => {
    expect(estimateTokens(SYSTEM_PROMPT)).toBeLessThanOrEqual(1200);
    for (const word of ['Read', 'Edit', 'Write', 'Grep', 'Glob', 'Bash', 'TodoWrite', 'test', 'concise', 'destructive', 'ask']) {
      expect(SYSTEM_PROMPT).toContain(word);
    }
  });

  it('--system-prompt replaces and --append-system-prompt appends', () => {
    expect(buildSystemPrompt({ override: 'You are a pirate.' })).toBe('You are a pirate.');
    expect(buildSystemPrompt({ append: 'Always answer in French.' })).toBe(`${SYSTEM_PROMPT}\n\nAlways answer in French.`);
    expect(buildSystemPrompt({ override: 'X', append: 'Y' })).toBe('X\n\nY');
  });

  it.skipIf(!fs.existsSync(toolsIndex))('keeps the fixed overhead (system prompt + tool schemas) within 4000 tokens', async () => {
    const { toolSchema } = await import('../../src/tools/define.js');
    type Builtins = { tools: Parameters<typeof toolSchema>[0][]; dispose(): void };
    const { createBuiltinTools } = (await import(toolsIndex)) as { createBuiltinTools: () => Builtins };
    const builtins = createBuiltinTools();
    const schemas = builtins.tools.map(toolSchema);
    builtins.dispose();
    expect(schemas.length).toBeGreaterThanOrEqual(11);
    expect(estimateTokens(SYSTEM_PROMPT + JSON.stringify(schemas))).toBeLessThanOrEqual(4000);
  });
});

describe('first user message', () => {
  const opts = {
    prompt: 'add a --json flag',
    cwd: '/home/u/app',
    platform: 'linux',
    date: '2026-03-04',
    git: { branch: 'main', status: '1 modified\n   M src/a.ts' },
    memory: [
      { path: '/home/u/.claw/CLAUDE.md', content: 'Answer briefly.\n' },
      { path: '/home/u/app/CLAUDE.md', content: 'Use pnpm, not npm.' },
    ],
  };

  it('carries environment, memory files in order, then the prompt', () => {
    const text = buildFirstUserMessage(opts);
    expect(text.startsWith('<context>\n')).toBe(true);
    expect(text.endsWith('\n</context>\n\nadd a --json flag')).toBe(true);
    for (const part of ['Working directory: /home/u/app', 'Platform: linux', 'Date: 2026-03-04', 'Git branch: main', '1 modified', 'M src/a.ts']) {
      expect(text).toContain(part);
    }
    const user = text.indexOf('Contents of /home/u/.claw/CLAUDE.md:\n\nAnswer briefly.');
    const project = text.indexOf('Contents of /home/u/app/CLAUDE.md:\n\nUse pnpm, not npm.');
    expect(user).toBeGreaterThan(0);
    expect(project).toBeGreaterThan(user);
    expect(promptOf(text)).toBe('add a --json flag');
    expect(contextOf(text) + 'add a --json flag').toBe(text);
    expect(buildFirstUserMessage(opts)).toBe(text);
  });

  it('says when there is no repository and plain prompts pass through', () => {
    const text = buildFirstUserMessage({ ...opts, git: undefined, memory: [] });
    expect(text).toContain('Not a git repository');
    expect(text).not.toContain('memory files');
    expect(promptOf('just a prompt')).toBe('just a prompt');
    expect(contextOf('just a prompt')).toBe('');
  });
});

describe('gitInfo', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, { cwd, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });

  it('reports branch and a short status summary', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-git-'));
    git(dir, 'init', '-q', '-b', 'feature/x');
    expect(gitInfo(dir)?.branch).toBe('feature/x');
    fs.writeFileSync(path.join(dir, 'a.txt'), 'a');
    fs.writeFileSync(path.join(dir, 'b.txt'), 'b');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'init');
    expect(gitInfo(dir)).toEqual({ branch: 'feature/x', status: 'clean' });
    fs.writeFileSync(path.join(dir, 'a.txt'), 'changed');
    fs.rmSync(path.join(dir, 'b.txt'));
    for (let i = 0; i < 12; i++) fs.writeFileSync(path.join(dir, `new${i}.txt`), 'n');
    const info = gitInfo(dir)!;
    expect(info.branch).toBe('feature/x');
    expect(info.status!.split('\n')[0]).toBe('1 modified, 1 deleted, 12 untracked');
    expect(info.status).toContain('a.txt');
    expect(info.status).toContain('… and 4 more');
    expect(info.status!.split('\n').length).toBeLessThanOrEqual(12);
  });

  it('still names the branch when git status is too slow', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-git-slow-'));
    git(dir, 'init', '-q', '-b', 'topic');
    fs.mkdirSync(path.join(dir, 'sub'));
    const info = gitInfo(path.join(dir, 'sub'), 1);
    expect(info).toEqual({ branch: 'topic', status: 'unknown (git status took too long)' });
  });

  it('is undefined outside a repository', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-nogit-'));
    expect(gitInfo(dir, 1500)).toBeUndefined();
  });
});
