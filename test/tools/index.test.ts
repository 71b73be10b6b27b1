import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool, toolSchema } from '../../src/tools/define.js';
import { createBuiltinTools, scrubEnv } from '../../src/tools/index.js';
import { makeCtx, tempDir, write } from './helpers.js';

describe('createBuiltinTools', () => {
  it('returns the tools in the fixed order with the SPEC parameter names', () => {
    const { tools, dispose } = createBuiltinTools();
    try {
      expect(tools.map((t) => t.name)).toEqual([
        'Read', 'Write', 'Edit', 'MultiEdit', 'Glob', 'Grep', 'LS', 'Bash', 'BashOutput', 'KillShell', 'TodoWrite',
      ]);
      const params = Object.fromEntries(
        tools.map((t) => [t.name, Object.keys((toolSchema(t).function.parameters as { properties: object }).properties)]),
      );
      expect(params).toEqual({
        Read: ['file_path', 'offset', 'limit'],
        Write: ['file_path', 'content'],
        Edit: ['file_path', 'old_string', 'new_string', 'replace_all'],
        MultiEdit: ['file_path', 'edits'],
        Glob: ['pattern', 'path'],
        Grep: ['pattern', 'path', 'glob', 'type', 'output_mode', '-i', '-n', '-A', '-B', '-C', 'multiline', 'head_limit'],
        LS: ['path', 'ignore'],
        Bash: ['command', 'timeout', 'description', 'run_in_background', 'dangerouslyDisableSandbox'],
        BashOutput: ['bash_id'],
        KillShell: ['shell_id'],
        TodoWrite: ['todos'],
      });
      // Tool schemas must leave room for the system prompt in a 16,000-char budget.
      const total = tools.reduce((n, t) => n + JSON.stringify(toolSchema(t)).length, 0);
      expect(total).toBeLessThan(8000);
      for (const t of tools) expect(t.description.length).toBeLessThanOrEqual(600);
    } finally {
      dispose();
    }
  });

  it('read-only flags let the loop parallelise only what cannot change anything', () => {
    const { tools, dispose } = createBuiltinTools();
    dispose();
    const ro = tools.filter((t) => t.isReadOnly({})).map((t) => t.name);
    expect(ro).toEqual(['Read', 'Glob', 'Grep', 'LS', 'BashOutput']);
  });
});

describe('lenient arguments from small models', () => {
  it('accepts numbers and booleans sent as strings; rejects junk with a usable error', async () => {
    const dir = tempDir();
    write(dir, { 'f.txt': 'a\nb\nc\nB\n' });
    const { tools, dispose } = createBuiltinTools();
    dispose();
    const tool = (n: string) => tools.find((t) => t.name === n)!;
    const ctx = makeCtx(dir);
    expect((await runTool(tool('Read'), { file_path: 'f.txt', offset: '2', limit: '1' }, ctx)).output).toBe('     2\tb');
    const g = await runTool(tool('Grep'), { pattern: 'b', '-i': 'true', output_mode: 'count' }, ctx);
    expect(g.output).toMatch(/^f\.txt:2/);
    const bad = await runTool(tool('Read'), { file_path: 'f.txt', offset: 'abc' }, ctx);
    expect(bad.isError).toBe(true);
    expect(bad.output).toMatch(/^InputValidationError: Read was called with invalid arguments:\n- offset:/);
  });
});

describe('scrubEnv', () => {
  it.each([
    { name: 'CLAW_HOME', removed: true },
    { name: 'CLAW_API_KEY', removed: true },
    { name: 'OPENAI_API_KEY', removed: true },
    { name: 'ANTHROPIC_API_KEY', removed: true },
    { name: 'groq_api_key', removed: true },
    { name: 'PATH', removed: false },
    { name: 'API_KEYS_DIR', removed: false },
    { name: 'MY_CLAW_THING', removed: false },
  ])('$name removed: $removed', ({ name, removed }) => {
    const out = scrubEnv({ [name]: 'v' });
    expect(name in out).toBe(!removed);
  });

  it('applies settings env on top and does not mutate its input', () => {
    const input = { A: '1', OPENAI_API_KEY: 'x' };
    const out = scrubEnv(input, { A: '2', B: '3' });
    expect(out).toEqual({ A: '2', B: '3' });
    expect(input).toEqual({ A: '1', OPENAI_API_KEY: 'x' });
  });
});

describe('TodoWrite', () => {
  it('replaces the list and exposes it as a todos display', async () => {
    const { tools, dispose } = createBuiltinTools();
    dispose();
    const todo = tools.find((t) => t.name === 'TodoWrite')!;
    const todos = [
      { content: 'Run tests', status: 'in_progress', activeForm: 'Running tests' },
      { content: 'Fix bug', status: 'completed', activeForm: 'Fixing bug' },
    ];
    const r = await runTool(todo, { todos }, makeCtx(tempDir()));
    expect(r.output).toMatch(/^Todos have been modified successfully/);
    expect(r.display).toEqual({ kind: 'todos', todos });
    expect(r.summary).toBe('1/2 done');
    const bad = await runTool(todo, { todos: [{ content: 'x', status: 'doing', activeForm: 'x' }] }, makeCtx(tempDir()));
    expect(bad.isError).toBe(true);
    expect(bad.output).toMatch(/todos\.0\.status/);
  });
});

describe('end to end: read a buggy file, fix it, run its test', () => {
  it('the file is fixed and the test passes', async () => {
    const dir = tempDir();
    write(dir, {
      'sum.mjs': 'export function sum(a, b) {\n  return a - b;\n}\n',
      'sum.test.mjs': "import { sum } from './sum.mjs';\nif (sum(2, 3) !== 5) { console.error('FAIL'); process.exit(1); }\nconsole.log('PASS');\n",
    });
    const { tools, dispose } = createBuiltinTools();
    const tool = (n: string) => tools.find((t) => t.name === n)!;
    const ctx = makeCtx(dir);
    try {
      const before = await runTool(tool('Bash'), { command: 'node sum.test.mjs' }, ctx);
      expect(before.output).toBe('FAIL\nExit code 1');
      const found = await runTool(tool('Grep'), { pattern: 'a - b', output_mode: 'content' }, ctx);
      expect(found.output).toBe('sum.mjs:2:  return a - b;');
      const read = await runTool(tool('Read'), { file_path: 'sum.mjs' }, ctx);
      expect(read.output).toContain('     2\t  return a - b;');
      const edit = await runTool(tool('Edit'), { file_path: 'sum.mjs', old_string: 'a - b', new_string: 'a + b' }, ctx);
      expect(edit.isError, edit.output).toBeFalsy();
      const after = await runTool(tool('Bash'), { command: 'node sum.test.mjs' }, ctx);
      expect(after.output).toBe('PASS');
      expect(fs.readFileSync(path.join(dir, 'sum.mjs'), 'utf8')).toBe('export function sum(a, b) {\n  return a + b;\n}\n');
    } finally {
      dispose();
    }
  });
});
